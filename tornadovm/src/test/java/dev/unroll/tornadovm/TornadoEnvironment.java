package dev.unroll.tornadovm;

import dev.unroll.runtime.internal.data.DataFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the TornadoVM tests need and where it is: a TornadoVM SDK (its {@code tornado-api} jar, argfile
 * template and native libraries), a JDK 25 to compile against its API and to run it, and an OpenCL
 * platform (PoCL on the CPU here, a vendor driver on a GPU machine). Found in this order:
 * <ul>
 *   <li>the SDK: {@code -Dtornado.sdk=DIR}, {@code $TORNADOVM_HOME}, else {@code tornadovm/sdk} of the
 *       shared reference folder ({@link DataFiles});
 *   <li>JDK 25: {@code $TORNADO_JDK}, {@code $JAVA25_HOME}, else the first JDK 25 in {@code /usr/lib/jvm};
 *   <li>OpenCL: an installable client driver in {@code /etc/OpenCL/vendors} and {@code libOpenCL.so.1}.
 * </ul>
 * The SDK's {@code setup.sh} installs PoCL and the loader. When something is missing the tests are
 * skipped with the reason printed, unless {@code UNROLL_REQUIRE_TORNADOVM=1} (CI sets it), which makes
 * them fail instead: a CI run never passes them without running them.
 */
final class TornadoEnvironment {
    /** Set to 1 to fail instead of skipping when TornadoVM cannot run. */
    static final String REQUIRE = "UNROLL_REQUIRE_TORNADOVM";

    final Path sdk;
    final Path jdk;
    final Path apiJar;
    final Path argfile;

    private TornadoEnvironment(Path sdk, Path jdk, Path apiJar, Path argfile) {
        this.sdk = sdk;
        this.jdk = jdk;
        this.apiJar = apiJar;
        this.argfile = argfile;
    }

    private static TornadoEnvironment found;
    private static String missing;

    /** @return the environment; the calling test is skipped (or fails, when required) if it is incomplete */
    static synchronized TornadoEnvironment require() {
        if (found == null && missing == null) {
            try {
                found = locate();
            } catch (IllegalStateException e) {
                missing = e.getMessage();
                System.out.println("[Unroll tests] TornadoVM tests skipped: " + missing);
            }
        }
        if (found == null) {
            if ("1".equals(System.getenv(REQUIRE))) {
                Assertions.fail("TornadoVM is required (" + REQUIRE + "=1) but " + missing);
            }
            Assumptions.abort("TornadoVM tests skipped: " + missing);
        }
        return found;
    }

    private static TornadoEnvironment locate() {
        Path sdk = sdk();
        Path jdk = jdk25();
        if (!Files.isDirectory(Path.of("/etc/OpenCL/vendors")) || !openClLoader()) {
            throw new IllegalStateException("no OpenCL platform (no ICD in /etc/OpenCL/vendors or no libOpenCL.so.1): run "
                    + sdk.getParent().resolve("setup.sh") + " to install PoCL (OpenCL on the CPU)");
        }
        Path api;
        try (Stream<Path> s = Files.list(sdk.resolve("share/java/tornado"))) {
            api = s.filter(p -> p.getFileName().toString().matches("tornado-api-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no tornado-api jar in " + sdk.resolve("share/java/tornado")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the SDK " + sdk + ": " + e.getMessage());
        }
        return new TornadoEnvironment(sdk, jdk, api, argfile(sdk));
    }

    private static Path sdk() {
        for (String dir : new String[] {System.getProperty("tornado.sdk"), System.getenv("TORNADOVM_HOME")}) {
            if (dir != null && !dir.isBlank()) {
                Path p = Path.of(dir);
                if (!Files.isRegularFile(p.resolve("tornado-argfile.template")) && !Files.isRegularFile(p.resolve("tornado-argfile"))) {
                    throw new IllegalStateException(p + " is not a TornadoVM SDK (no tornado-argfile)");
                }
                return p.toAbsolutePath().normalize();
            }
        }
        return DataFiles.find("tornadovm/sdk/tornado-argfile.template").map(Path::getParent).orElseThrow(() -> new IllegalStateException(
                "no TornadoVM SDK: " + DataFiles.missing("tornadovm/sdk") + "; or set TORNADOVM_HOME / -Dtornado.sdk=DIR"));
    }

    private static Path jdk25() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : new String[] {System.getenv("TORNADO_JDK"), System.getenv("JAVA25_HOME")}) {
            if (dir != null && !dir.isBlank()) {
                candidates.add(Path.of(dir));
            }
        }
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
            s.sorted().forEach(candidates::add);
        } catch (IOException e) {
            // no system JDK folder
        }
        for (Path p : candidates) {
            if (isJdk25(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no JDK 25 (TornadoVM 5.2 jdk25 needs one): set TORNADO_JDK or JAVA25_HOME");
    }

    private static boolean isJdk25(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/javac"))) {
            return false;
        }
        try {
            return Files.readString(release).contains("JAVA_VERSION=\"25");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean openClLoader() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"}) {
            if (Files.exists(Path.of(dir, "libOpenCL.so.1"))) {
                return true;
            }
        }
        return false;
    }

    /** The SDK's argfile with its path filled in, written under target/ (the SDK folder may be read-only). */
    private static Path argfile(Path sdk) {
        try {
            Path ready = sdk.resolve("tornado-argfile");
            String text = Files.isRegularFile(ready) ? Files.readString(ready)
                    : Files.readString(sdk.resolve("tornado-argfile.template")).replace("${TORNADOVM_HOME}", sdk.toString());
            Path out = Path.of("target", "tornadovm", "tornado-argfile").toAbsolutePath();
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A finished child process. */
    record Run(int code, String output) {}

    /**
     * Runs a command, output and errors merged, written to {@code log} as it comes.
     *
     * @param command the command
     * @param log where the output goes (and stays, for reading after a failure)
     * @param seconds time limit
     * @return the exit code and the output
     */
    static Run run(List<String> command, Path log, long seconds) {
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(killed after " + seconds + " s)");
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return javac of the JDK 25 */
    Path javac() {
        return jdk.resolve("bin/javac");
    }

    /** @return java of the JDK 25 */
    Path java() {
        return jdk.resolve("bin/java");
    }

    /**
     * @param classpath what to run
     * @param main the main class
     * @param args its arguments
     * @return a TornadoVM JVM command: the SDK's argfile, bailouts that fail instead of running Java
     */
    List<String> tornadoJava(String classpath, String main, String... args) {
        List<String> c = new ArrayList<>(List.of(java().toString(), "@" + argfile, "-Dtornado.recover.bailout=False", "-cp", classpath, main));
        c.addAll(List.of(args));
        return c;
    }

    /** @return the repository root (the module runs with its own folder as the working directory) */
    static Path repository() {
        return Optional.of(Path.of("").toAbsolutePath().getParent()).orElseThrow();
    }
}
