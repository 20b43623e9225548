package dev.unroll.tornadovm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * Compiles descriptors with Unroll's processor against the real {@code tornado-api} jar, with the SDK's
 * JDK 25 javac at {@code --release 17} and {@code -g} (TornadoVM finds {@code @Parallel} through the
 * local variable tables): what a user's {@code mvn -Ptornadovm} build does.
 */
final class RealApiCompiler {
    private RealApiCompiler() {}

    /** @return this test JVM's class path (surefire's, not its booter jar's) */
    static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /**
     * @param env the TornadoVM environment
     * @param sources the sources (descriptors and anything they need)
     * @param out the class output; generated sources go to a sibling {@code generated} folder
     * @param extraClasspath more class path before the test's (or null)
     * @return the generated-sources folder
     */
    static Path compile(TornadoEnvironment env, List<Path> sources, Path out, String extraClasspath) {
        Path generated = out.resolveSibling(out.getFileName() + "-generated");
        try {
            deleteTree(out);
            deleteTree(generated);
            Files.createDirectories(out);
            Files.createDirectories(generated);
            Path list = out.resolveSibling(out.getFileName() + "-sources.txt");
            Files.write(list, sources.stream().map(Path::toString).toList());
            String cp = env.apiJar + File.pathSeparator + (extraClasspath == null ? "" : extraClasspath + File.pathSeparator) + testClasspath();
            List<String> cmd = new ArrayList<>(List.of(env.javac().toString(), "--release", "17", "-g", "-Xlint:all", "-proc:full",
                    "-processor", "dev.unroll.processor.UnrollProcessor", "-processorpath", testClasspath(), "-cp", cp,
                    "--add-modules", "jdk.incubator.vector", "-d", out.toString(), "-s", generated.toString(), "@" + list));
            TornadoEnvironment.Run r = TornadoEnvironment.run(cmd, out.resolveSibling(out.getFileName() + "-javac.log"), 600);
            Assertions.assertEquals(0, r.code(), "javac 25 against " + env.apiJar.getFileName() + " failed:\n" + r.output());
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param root a source root
     * @return its .java files, sorted
     */
    static List<Path> javaFiles(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
