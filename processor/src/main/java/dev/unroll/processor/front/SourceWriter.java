package dev.unroll.processor.front;

import com.palantir.javapoet.JavaFile;
import dev.unroll.annotations.UnrollGenerated;
import dev.unroll.processor.emit.Emitted;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes a descriptor's sources through the Filer, and at the end of processing the ServiceLoader
 * files. A type that already exists is Unroll's own earlier output (it carries
 * {@code @UnrollGenerated} of the same descriptor: replaced, or kept when it is compiled as a source
 * and still what the descriptor generates) or a clash; a changed earlier output compiled as a source
 * is stale.
 */
public final class SourceWriter {
    static final String SERVICES = "META-INF/services/";
    private static final String UNROLL_GENERATED = UnrollGenerated.class.getCanonicalName();

    private final ProcessingEnvironment env;
    /** Service interface to the providers this compilation registers. */
    private final Map<String, Set<String>> services = new TreeMap<>();

    /** @param env the processing environment */
    public SourceWriter(ProcessingEnvironment env) {
        this.env = env;
    }

    /**
     * @param descriptor the annotated type
     * @param out its sources
     * @param roots the types this round compiles from source
     * @return null when written, else the finding that stopped it ({@code NameClash}, {@code StaleOutput})
     * @throws IOException when the Filer fails
     */
    public Violation write(TypeElement descriptor, Emitted out, Set<Element> roots) throws IOException {
        List<JavaFile> toWrite = new ArrayList<>();
        for (JavaFile f : out.files()) {
            String name = name(f);
            TypeElement existing = env.getElementUtils().getTypeElement(name);
            if (existing == null) {
                toWrite.add(f);
            } else if (!generatedFrom(existing, descriptor.getQualifiedName().toString())) {
                return new Violation(Diagnostic.NAME_CLASH, "", Diagnostic.NAME_CLASH.format(name));
            } else if (!roots.contains(existing)) {
                // our own output of an earlier build on the class path or source path: replaced
                toWrite.add(f);
            } else {
                // our own earlier output is one of this compilation's sources (an IDE's generated-sources folder):
                // the Filer cannot recreate it, which is fine while it is what the descriptor generates now
                String stale = staleSource(existing, f);
                if (stale != null) {
                    return new Violation(Diagnostic.STALE_OUTPUT, "", Diagnostic.STALE_OUTPUT.format(name, stale));
                }
            }
        }
        for (JavaFile f : toWrite) {
            try (Writer w = env.getFiler().createSourceFile(name(f), descriptor).openWriter()) {
                f.writeTo(w);
            }
        }
        for (Emitted.Service s : out.services()) {
            services.computeIfAbsent(s.contract(), k -> new TreeSet<>()).add(s.provider());
        }
        return null;
    }

    /**
     * Writes one services file per service interface, merged with the file an earlier round or build left.
     *
     * @return the failures, as messages
     */
    public List<String> writeServices() {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : services.entrySet()) {
            String file = SERVICES + e.getKey();
            Set<String> all = new TreeSet<>(e.getValue());
            try {
                FileObject existing = env.getFiler().getResource(StandardLocation.CLASS_OUTPUT, "", file);
                try (BufferedReader r = new BufferedReader(new InputStreamReader(existing.openInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        line = line.trim();
                        if (!line.isEmpty() && !line.startsWith("#")) {
                            all.add(line);
                        }
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // no previous file: a clean build
            }
            try {
                FileObject f = env.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", file);
                try (Writer w = f.openWriter()) {
                    for (String p : all) {
                        w.write(p);
                        w.write('\n');
                    }
                }
            } catch (IOException | RuntimeException ex) {
                failures.add("cannot write " + file + ": " + ex);
            }
        }
        return failures;
    }

    /** @return whether anything was registered this compilation */
    public boolean hasServices() {
        return !services.isEmpty();
    }

    private static String name(JavaFile f) {
        return f.packageName().isEmpty() ? f.typeSpec().name() : f.packageName() + "." + f.typeSpec().name();
    }

    /**
     * @param existing an earlier output of ours that this compilation compiles as a source
     * @param now what the descriptor generates now
     * @return null when the source is what the descriptor generates now, else where it lives (for the message)
     */
    private String staleSource(TypeElement existing, JavaFile now) {
        try {
            var path = com.sun.source.util.Trees.instance(env).getPath(existing);
            javax.tools.JavaFileObject source = path.getCompilationUnit().getSourceFile();
            return source.getCharContent(true).toString().equals(now.toString()) ? null : source.toUri().getPath();
        } catch (IOException | RuntimeException ex) {
            return "a generated-sources folder of an earlier build";
        }
    }

    /** @return whether the type carries {@code @UnrollGenerated(descriptor)}: Unroll's own earlier output */
    private static boolean generatedFrom(TypeElement existing, String descriptor) {
        for (AnnotationMirror m : existing.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals(UNROLL_GENERATED)) {
                for (var v : m.getElementValues().entrySet()) {
                    if (v.getKey().getSimpleName().contentEquals("value") && descriptor.equals(v.getValue().getValue())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
