package dev.unroll.runtime.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's layers, read from its sources: support ({@code internal.*}) below the API, the API,
 * and above it {@code codegen} (what generated code extends) and {@code golden} (the golden-file
 * readers). A reference may only go down: support sees nothing of the API but the foundation
 * (the root exceptions, {@code Limits}, the {@code spec} catalogue), and the API never sees
 * {@code codegen} or {@code golden}. {@code module-info.java} must name every package, exporting the
 * API and {@code codegen} to everyone and the rest only to Unroll's own modules.
 */
class LayeringTest {
    private static final String ROOT = "dev.unroll.runtime";
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A runtime type named in full (imports, static imports and qualified uses): package, then the class. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.unroll\\.runtime(?:\\.[a-z]\\w*)*)\\.([A-Z]\\w*)");
    /** Packages above the support layer that users' modules do not see: the mode definitions and the golden-file readers. */
    static final Set<String> NOT_FOR_USERS = Set.of(ROOT + ".attention.definition", ROOT + ".golden");
    private static final Set<String> FOUNDATION = Set.of(ROOT + ".UnrollException", ROOT + ".ShapeMismatchException", ROOT + ".Limits");

    enum Layer { SUPPORT, API, ABOVE }

    static Layer layer(String pkg) {
        if (pkg.equals(ROOT + ".internal") || pkg.startsWith(ROOT + ".internal.")) {
            return Layer.SUPPORT;
        }
        if (pkg.equals(ROOT + ".codegen") || pkg.equals(ROOT + ".golden")) {
            return Layer.ABOVE;
        }
        return Layer.API;
    }

    /** @return every main source file's package and the runtime types it names (outside its own package) */
    static Map<Path, Map.Entry<String, Set<String>>> sources() throws IOException {
        Map<Path, Map.Entry<String, Set<String>>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java"))::iterator) {
                String text = Files.readString(p);
                Matcher pm = PACKAGE.matcher(text);
                assertTrue(pm.find(), p + " has no package");
                String pkg = pm.group(1);
                Set<String> refs = new TreeSet<>();
                Matcher m = REFERENCE.matcher(text);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        refs.add(m.group(1) + "." + m.group(2));
                    }
                }
                out.put(p, Map.entry(pkg, refs));
            }
        }
        return out;
    }

    @Test
    void referencesOnlyGoDown() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (var e : sources().entrySet()) {
            String pkg = e.getValue().getKey();
            Layer from = layer(pkg);
            for (String ref : e.getValue().getValue()) {
                String refPkg = ref.substring(0, ref.lastIndexOf('.'));
                Layer to = layer(refPkg);
                boolean ok = switch (from) {
                    case SUPPORT -> to == Layer.SUPPORT || FOUNDATION.contains(ref) || refPkg.equals(ROOT + ".spec");
                    case API -> to != Layer.ABOVE;
                    case ABOVE -> true;
                };
                if (!ok) {
                    wrong.add(e.getKey() + " (" + from + ") names " + ref + " (" + to + ")");
                }
            }
        }
        assertEquals(List.of(), wrong, "references that go up a layer");
    }

    @Test
    void moduleInfoNamesEveryPackageWithItsExport() throws IOException {
        Set<String> packages = new TreeSet<>();
        for (var e : sources().values()) {
            packages.add(e.getKey());
        }
        String moduleInfo = Files.readString(Path.of("src/main/java/module-info.java"));
        Map<String, String> exports = new TreeMap<>();
        Matcher m = Pattern.compile("^\\s*exports ([\\w.]+)( to [\\w., ]+)?;", Pattern.MULTILINE).matcher(moduleInfo);
        while (m.find()) {
            exports.put(m.group(1), m.group(2) == null ? "everyone" : m.group(2).substring(4).trim());
        }
        assertEquals(packages, exports.keySet(), "module-info.java must export every package (to everyone, or to Unroll's own modules)");
        for (var e : exports.entrySet()) {
            boolean toEveryone = e.getValue().equals("everyone");
            assertEquals(layer(e.getKey()) != Layer.SUPPORT && !NOT_FOR_USERS.contains(e.getKey()), toEveryone,
                    e.getKey() + " is exported to " + e.getValue());
        }
    }
}
