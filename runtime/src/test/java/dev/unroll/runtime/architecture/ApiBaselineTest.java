package dev.unroll.runtime.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of {@code unroll-runtime} and {@code unroll-annotations}, against the baseline committed
 * in {@code runtime/api/unroll-runtime.api}: every public type of the packages exported to everyone
 * (the API and {@code codegen}, which generated code links against), with its public and
 * protected members, one line each. A change here is a change users see: when it is intended, rewrite
 * the baseline with {@code mvn -pl runtime test -Dtest=ApiBaselineTest -Dunroll.updateApi=true} and
 * review the diff with the change. No exported signature may name a type users cannot read
 * ({@code internal}, {@code attention.definition}, {@code golden}).
 *
 * <p>Before the first release there is no published artifact for japicmp or revapi to compare with;
 * this baseline is the comparison until then (see {@code docs/design.md}).
 */
class ApiBaselineTest {
    private static final Path BASELINE = Path.of("api/unroll-runtime.api");

    @Test
    void thePublicApiIsTheBaseline() throws IOException, URISyntaxException, ClassNotFoundException {
        List<String> lines = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        for (String name : exportedClasses()) {
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            describe(c, lines, leaks);
        }
        assertEquals(List.of(), leaks, "exported signatures that name types a user's module cannot read");
        String now = String.join("\n", lines) + "\n";
        if (Boolean.getBoolean("unroll.updateApi")) {
            Files.createDirectories(BASELINE.getParent());
            Files.writeString(BASELINE, now);
            return;
        }
        if (!Files.exists(BASELINE)) {
            fail("no API baseline at runtime/" + BASELINE + ": create it with -Dunroll.updateApi=true");
        }
        String before = Files.readString(BASELINE);
        if (!before.equals(now)) {
            Set<String> was = new TreeSet<>(List.of(before.split("\n")));
            Set<String> is = new TreeSet<>(List.of(now.split("\n")));
            List<String> diff = new ArrayList<>();
            for (String l : was) {
                if (!is.contains(l)) {
                    diff.add("- " + l);
                }
            }
            for (String l : is) {
                if (!was.contains(l)) {
                    diff.add("+ " + l);
                }
            }
            fail("the public API changed (" + diff.size() + " lines); if intended, rewrite runtime/" + BASELINE
                    + " with -Dunroll.updateApi=true and review it:\n" + String.join("\n", diff));
        }
    }

    private static void describe(Class<?> c, List<String> lines, List<String> leaks) {
        int mods = c.getModifiers();
        if (!Modifier.isPublic(mods) && !Modifier.isProtected(mods) || c.isSynthetic() || c.isAnonymousClass()) {
            return;
        }
        String head = Modifier.toString(mods & ~Modifier.STRICT) + " " + kind(c) + " " + c.getTypeName()
                + (c.getGenericSuperclass() != null && c.getSuperclass() != Object.class && !c.isEnum() && !c.isRecord()
                        ? " extends " + c.getGenericSuperclass().getTypeName() : "")
                + (c.getGenericInterfaces().length > 0 ? " implements " + String.join(", ",
                        Stream.of(c.getGenericInterfaces()).map(java.lang.reflect.Type::getTypeName).toList()) : "");
        lines.add(head);
        check(c.getTypeName(), head, leaks);
        List<String> members = new ArrayList<>();
        boolean subclassable = !Modifier.isFinal(mods) && !c.isEnum() && !c.isRecord();
        List<Member> all = new ArrayList<>();
        all.addAll(List.of(c.getDeclaredConstructors()));
        all.addAll(List.of(c.getDeclaredMethods()));
        all.addAll(List.of(c.getDeclaredFields()));
        for (Member m : all) {
            int mm = m.getModifiers();
            boolean visible = Modifier.isPublic(mm) || (Modifier.isProtected(mm) && subclassable);
            if (!visible || m.isSynthetic() || (m instanceof java.lang.reflect.Method method && method.isBridge())) {
                continue;
            }
            String text = m instanceof java.lang.reflect.Method method ? method.toGenericString() + defaultValue(method)
                    : m instanceof java.lang.reflect.Constructor<?> ctor ? ctor.toGenericString()
                    : ((java.lang.reflect.Field) m).toGenericString();
            members.add("  " + text);
            check(c.getTypeName(), text, leaks);
        }
        members.sort(null);
        lines.addAll(members);
        List<Class<?>> nested = new ArrayList<>(List.of(c.getDeclaredClasses()));
        nested.sort(java.util.Comparator.comparing(Class::getName));
        for (Class<?> n : nested) {
            describe(n, lines, leaks);
        }
    }

    /** An annotation member's default is API: changing it changes every descriptor that omits the member. */
    private static String defaultValue(java.lang.reflect.Method m) {
        Object d = m.getDefaultValue();
        if (d == null) {
            return "";
        }
        return " default " + (d.getClass().isArray() ? java.util.Arrays.deepToString(new Object[] {d}) : String.valueOf(d));
    }

    private static String kind(Class<?> c) {
        return c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum" : c.isRecord() ? "record" : "class";
    }

    private static void check(String owner, String signature, List<String> leaks) {
        if (signature.contains("dev.unroll.runtime.internal.")) {
            leaks.add(owner + ": " + signature);
        }
        for (String hidden : LayeringTest.NOT_FOR_USERS) {
            if (signature.matches(".*\\b" + java.util.regex.Pattern.quote(hidden) + "\\.[A-Z].*")) {
                leaks.add(owner + ": " + signature);
            }
        }
    }

    /** @return the top-level classes of every package exported to everyone, and of the annotations, by name */
    private static Set<String> exportedClasses() throws IOException, URISyntaxException {
        Set<String> exported = new TreeSet<>();
        Matcher m = Pattern.compile("^\\s*exports ([\\w.]+);", Pattern.MULTILINE).matcher(Files.readString(Path.of("src/main/java/module-info.java")));
        while (m.find()) {
            exported.add(m.group(1));
        }
        exported.add("dev.unroll.annotations");
        Set<String> names = new TreeSet<>();
        for (Class<?> anchor : new Class<?>[] {dev.unroll.runtime.Flavour.class, dev.unroll.annotations.Precision.class}) {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.map(p -> root.relativize(p).toString().replace('/', '.'))
                            .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                            .map(n -> n.substring(0, n.length() - ".class".length()))
                            .filter(n -> exported.contains(n.substring(0, n.lastIndexOf('.'))))
                            .forEach(names::add);
                }
            } else {
                try (var jar = new java.util.jar.JarFile(root.toFile())) {
                    jar.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                            .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                            .filter(n -> exported.contains(n.substring(0, n.lastIndexOf('.'))))
                            .forEach(names::add);
                }
            }
        }
        return names;
    }
}
