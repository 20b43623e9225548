package dev.unroll.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a fresh JVM (a new TaskManager is one). */
final class Fork {
    private Fork() {}

    /** What it printed (stdout and stderr together) and its exit code. */
    record Result(int exit, String output) {}

    /**
     * @param jvmOptions options before the class path
     * @param main the main class
     * @param args its arguments
     * @return its output and exit code
     * @throws IOException when it cannot start
     * @throws InterruptedException when interrupted
     */
    static Result run(List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " did not end within 180 s: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
