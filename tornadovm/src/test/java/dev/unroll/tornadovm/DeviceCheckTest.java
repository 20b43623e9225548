package dev.unroll.tornadovm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example's generated TornadoVM glue, for real: the examples (and a few device-only descriptors)
 * are compiled against the SDK's {@code tornado-api}, then {@link DeviceChecks} runs each glue class on
 * TornadoVM's OpenCL device in a TornadoVM JVM with {@code -Dtornado.recover.bailout=False} and compares
 * it with the JVM kernels. Each of its checks becomes one test here, named after the class it ran; its
 * whole output stays in {@code target/tornadovm/device-checks.log}.
 */
class DeviceCheckTest {
    /**
     * One attention layer per F32 example (15 modes x 2 widths) and 2 device-only ones, each in chunks and as many
     * streams, 3 TRMs, 15 transformer runs (3 of them after a 100-token prompt in blocks, 4 over 40 sequences), 1 error path.
     */
    private static final int EXPECTED_CHECKS = 2 * (30 + 2) + 3 + 15 + 1;
    private static final Pattern CHECK = Pattern.compile("^CHECK (.+?) \\| (PASS|FAIL) \\| (.*)$", Pattern.MULTILINE);

    @TestFactory
    Stream<DynamicTest> everyGlueClassMatchesTheJvmOnTheDevice() {
        TornadoEnvironment env = TornadoEnvironment.require();
        Path repo = TornadoEnvironment.repository();
        List<Path> sources = new ArrayList<>();
        for (String pkg : List.of("attention", "trm", "transformer")) {
            sources.addAll(RealApiCompiler.javaFiles(repo.resolve("generated-examples/src/main/java/dev/unroll/examples/" + pkg)));
        }
        sources.addAll(RealApiCompiler.javaFiles(Path.of("src/test/devices").toAbsolutePath()));
        Path classes = Path.of("target", "tornadovm", "examples").toAbsolutePath();
        RealApiCompiler.compile(env, sources, classes, null);

        String cp = classes + File.pathSeparator + RealApiCompiler.testClasspath();
        TornadoEnvironment.Run run = TornadoEnvironment.run(env.tornadoJava(cp, DeviceChecks.class.getName()),
                Path.of("target", "tornadovm", "device-checks.log").toAbsolutePath(), 1200);
        List<DynamicTest> tests = new ArrayList<>();
        Matcher m = CHECK.matcher(run.output());
        int checks = 0;
        while (m.find()) {
            String name = m.group(1);
            boolean pass = m.group(2).equals("PASS");
            String detail = m.group(3);
            checks++;
            tests.add(DynamicTest.dynamicTest(name, () -> assertTrue(pass, name + ": " + detail)));
            System.out.println("[TornadoVM] " + m.group(0));
        }
        int ran = checks;
        tests.add(DynamicTest.dynamicTest("the checks ran to the end", () -> {
            assertTrue(run.output().contains("DONE failed="), "DeviceChecks did not finish (exit " + run.code() + "):\n" + tail(run.output()));
            assertTrue(ran >= EXPECTED_CHECKS, "expected at least " + EXPECTED_CHECKS + " checks, ran " + ran + ":\n" + tail(run.output()));
            assertTrue(!run.output().contains("[Bailout]"), "a task fell back to the JVM:\n" + tail(run.output()));
        }));
        return tests.stream();
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
