package dev.unroll.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code unroll devices} in a TornadoVM JVM: it lists the OpenCL CPU device of PoCL (the platform the
 * SDK's setup installs) as the default, with an id that {@code -Dunroll.tornado.device} accepts; with
 * that id it marks the device selected, and {@code unroll run attention --backend tornadovm} runs a
 * kernel there (GLA, width 16, compiled against the SDK's {@code tornado-api} so that it has its glue).
 * An id that names no device is one line and exit 3. Skipped without an SDK like the module's other
 * tests (failing instead under {@code UNROLL_REQUIRE_TORNADOVM=1}); logs in {@code target/tornadovm/}.
 */
class DevicesCommandTornadoTest {
    /** A device row: id, backend, type, memory (number and unit), name with its platform and marks. */
    private static final Pattern POCL_CPU = Pattern.compile("^ +(\\d+:\\d+) +OpenCL +CPU +\\S+ \\S+ +(.+) \\(Portable Computing Language\\)(.*)$",
            Pattern.MULTILINE);

    @Test
    void listsThePoclCpuDeviceWithAnIdThatRunsAKernel() {
        TornadoEnvironment env = TornadoEnvironment.require();
        Path repo = TornadoEnvironment.repository();
        Path classes = Path.of("target", "tornadovm", "devices-cli").toAbsolutePath();
        RealApiCompiler.compile(env, List.of(repo.resolve("generated-examples/src/main/java/dev/unroll/examples/attention/Gla.java")), classes, null);
        String cp = classes + File.pathSeparator + RealApiCompiler.testClasspath();

        TornadoEnvironment.Run listed = unroll(env, cp, null, "devices-list", "devices");
        assertEquals(0, listed.code(), listed.output());
        assertTrue(listed.output().contains("TornadoVM devices; run the TornadoVM glue on one with -Dunroll.tornado.device=ID"), listed.output());
        Matcher m = POCL_CPU.matcher(listed.output());
        assertTrue(m.find(), "no PoCL CPU device listed:\n" + listed.output());
        String id = m.group(1);
        String name = m.group(2).strip();
        assertTrue(m.group(3).contains("default"), "PoCL's CPU, the only device here, is the default:\n" + listed.output());
        System.out.println("[TornadoVM] unroll devices: " + m.group(0).strip());

        TornadoEnvironment.Run selected = unroll(env, cp, id, "devices-selected", "devices");
        assertEquals(0, selected.code(), selected.output());
        Matcher s = POCL_CPU.matcher(selected.output());
        assertTrue(s.find() && s.group(1).equals(id) && s.group(3).contains("selected"), selected.output());

        TornadoEnvironment.Run ran = unroll(env, cp, id, "devices-run", "run", "attention", "Gla_D16", "--tokens", "4", "--backend", "tornadovm");
        assertEquals(0, ran.code(), ran.output());
        assertTrue(ran.output().contains("backend: TornadoVM on " + name + " (Portable Computing Language)"), ran.output());
        assertTrue(ran.output().contains("4 tokens as one sequence"), ran.output());
        assertFalse(ran.output().contains("[Bailout]"), ran.output());

        TornadoEnvironment.Run none = unroll(env, cp, "9:9", "devices-none", "devices");
        assertEquals(3, none.code(), none.output());
        assertTrue(none.output().contains("unroll devices: -Dunroll.tornado.device=9:9: no such device (listed above)"), none.output());
        assertFalse(none.output().contains("\tat "), none.output());
    }

    /** {@code unroll ARGS} in a TornadoVM JVM, with {@code -Dunroll.tornado.device=device} unless null. */
    private static TornadoEnvironment.Run unroll(TornadoEnvironment env, String cp, String device, String log, String... args) {
        List<String> command = env.tornadoJava(cp, "dev.unroll.cli.Unroll", args);
        if (device != null) {
            command.add(2, "-Dunroll.tornado.device=" + device);
        }
        return TornadoEnvironment.run(command, Path.of("target", "tornadovm", log + ".log").toAbsolutePath(), 300);
    }
}
