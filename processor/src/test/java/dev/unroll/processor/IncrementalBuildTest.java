package dev.unroll.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incremental build recompiles a descriptor while the previous build's output is still visible: the
 * generated classes on the class path, or the generated sources on the source path (IDEs and Gradle do
 * both). The processor must recognise its own earlier output ({@code @UnrollGenerated} naming the same
 * descriptor) and generate again, as javac itself only warns; a type of the user's with a generated
 * name is still a clash.
 */
class IncrementalBuildTest {
    private static final String TINY = String.join("\n", "package ex;", "", "import dev.unroll.annotations.*;", "",
            "@LinearAttention(mode = AttentionMode.RETNET, width = 8, heads = 2)", "interface Tiny {}", "");

    @TempDir
    Path dir;

    private record Result(boolean ok, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        List<String> errors() {
            List<String> e = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    e.add(d.getMessage(Locale.ROOT));
                }
            }
            return e;
        }
    }

    private Result javac(List<Path> sources, Path out, Path gen, String classpath, String sourcepath) throws IOException {
        Files.createDirectories(out);
        Files.createDirectories(gen);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-s", gen.toString(), "-Xlint:all,-processing"));
            String cp = System.getProperty("java.class.path") + (classpath == null ? "" : java.io.File.pathSeparator + classpath);
            options.addAll(List.of("-cp", cp));
            if (sourcepath != null) {
                options.addAll(List.of("-sourcepath", sourcepath, "-implicit:none"));
            }
            JavaCompiler.CompilationTask task = javac.getTask(new StringWriter(), files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources));
            task.setProcessors(List.of(new UnrollProcessor()));
            return new Result(task.call(), diagnostics.getDiagnostics());
        }
    }

    private Path source(String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void recompilingOverTheGeneratedClassesOnTheClassPathIsNoClash() throws IOException {
        Path tiny = source("src/ex/Tiny.java", TINY);
        Result first = javac(List.of(tiny), dir.resolve("out1"), dir.resolve("gen1"), null, null);
        assertTrue(first.ok(), first.diagnostics().toString());
        Result second = javac(List.of(tiny), dir.resolve("out2"), dir.resolve("gen2"), dir.resolve("out1").toString(), null);
        assertEquals(List.of(), second.errors());
        assertTrue(Files.isRegularFile(dir.resolve("gen2/ex/TinyLayer.java")), "generated again");
    }

    @Test
    void recompilingOverTheGeneratedSourcesOnTheSourcePathIsNoClash() throws IOException {
        Path tiny = source("src/ex/Tiny.java", TINY);
        Result first = javac(List.of(tiny), dir.resolve("out1"), dir.resolve("gen1"), null, null);
        assertTrue(first.ok(), first.diagnostics().toString());
        Result second = javac(List.of(tiny), dir.resolve("out2"), dir.resolve("gen2"), null, dir.resolve("gen1").toString());
        assertEquals(List.of(), second.errors());
        assertTrue(Files.isRegularFile(dir.resolve("gen2/ex/TinyKernels.java")), "generated again");
    }

    @Test
    void aTypeOfTheUsersWithAGeneratedNameIsStillAClash() throws IOException {
        Path tiny = source("src/ex/Tiny.java", TINY);
        Path mine = source("src/ex/TinyLayer.java", "package ex;\n\nclass TinyLayer {}\n");
        Result r = javac(List.of(tiny, mine), dir.resolve("out"), dir.resolve("gen"), null, null);
        assertEquals(1, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).startsWith("[Unroll/NameClash]") && r.errors().get(0).contains("ex.TinyLayer"), r.errors().toString());
    }
}
