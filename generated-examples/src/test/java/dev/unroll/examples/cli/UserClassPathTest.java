package dev.unroll.examples.cli;

import static dev.unroll.examples.cli.CliRun.unroll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.cli.CliRun.Result;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --classpath}/{@code -cp}: kernels a user's build generated, in a folder or jar outside the
 * launcher's class path, are found by {@code inspect}, {@code run} and {@code bench}; bad entries are
 * usage errors naming the option and the entry.
 */
class UserClassPathTest {
    @TempDir
    static Path dir;
    private static Path classes;

    /** Compiles a user's descriptor with the processor, as their build would, into a folder of its own. */
    @BeforeAll
    static void compileAUsersDescriptor() throws IOException {
        Path src = dir.resolve("src/acme/Kernels.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package acme;

                import dev.unroll.annotations.AttentionMode;
                import dev.unroll.annotations.LinearAttention;

                public final class Kernels {
                    private Kernels() {}

                    @LinearAttention(mode = AttentionMode.RETNET, width = 16, heads = 2)
                    public interface AcmeRetNet {}
                }
                """);
        classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"), "--release", "17");
            assertTrue(javac.getTask(log, files, null, options, null, files.getJavaFileObjectsFromPaths(List.of(src))).call(), log::toString);
        }
        assertTrue(Files.isRegularFile(classes.resolve("acme/Kernels_AcmeRetNetLayer.class")), "the processor generated the layer");
    }


    @Test
    void theUsersKernelIsListedBesideTheExamplesOnlyWithTheOption() {
        Result without = unroll("inspect");
        assertEquals(0, without.code(), without.err());
        assertFalse(without.out().contains("AcmeRetNet"), without.out());
        for (List<String> option : List.of(List.of("--classpath", classes.toString()), List.of("-cp", classes.toString()),
                List.of("--classpath=" + classes))) {
            List<String> args = new ArrayList<>(option);
            args.add("inspect");
            Result r = unroll(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Kernels_AcmeRetNet"), r.out());
            assertTrue(r.out().contains("Gla_D64"), "the launcher's own kernels are still there: " + r.out());
        }
    }

    @Test
    void runAndInspectUseTheUsersKernelWhereverTheOptionStands() {
        Result shown = unroll("inspect", "Kernels_AcmeRetNet", "-cp", classes.toString());
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().contains("RETNET") && shown.out().contains("width = 16"), shown.out());
        Result run = unroll("run", "attention", "Kernels_AcmeRetNet", "--classpath", classes.toString(), "--tokens", "8");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("Kernels_AcmeRetNet"), run.out());
    }

    @Test
    void aJarWorksLikeAFolder() throws IOException {
        Path jar = dir.resolve("acme-kernels.jar");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar)); var walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(classes.relativize(p).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(p));
                zip.closeEntry();
            }
        }
        Result r = unroll("--classpath", jar.toString(), "inspect");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Kernels_AcmeRetNet"), r.out());
    }

    @Test
    void badEntriesAreUsageErrorsNamingTheOptionAndTheEntry() throws IOException {
        Path notAJar = Files.writeString(dir.resolve("notes.txt"), "not a jar");
        String[][] cases = {
            {"--classpath", dir.resolve("missing.jar").toString(), "inspect"},
            {"-cp", notAJar.toString(), "inspect"},
            {"inspect", "--classpath"},
            {"--classpath=", "inspect"},
            {"--classpath", java.io.File.pathSeparator, "inspect"},
        };
        String[] want = {"no jar or folder '" + dir.resolve("missing.jar") + "'", "'" + notAJar + "' is not a jar", "--classpath needs a value",
            "'' names no jar or folder", "names no jar or folder"};
        for (int i = 0; i < cases.length; i++) {
            Result r = unroll(cases[i]);
            assertEquals(2, r.code(), String.join(" ", cases[i]) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(want[i]), r.err());
        }
    }
}
