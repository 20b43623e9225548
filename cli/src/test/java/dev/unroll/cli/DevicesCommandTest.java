package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.TestProperties;
import dev.unroll.runtime.backend.Backend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code unroll devices} without TornadoVM: one line saying how to run it under TornadoVM, exit 3;
 * and with TornadoVM's marker property set but no TornadoVM classes (an API not as expected): one
 * line, exit 3, no stack trace. The listing itself runs in a TornadoVM JVM ({@code DevicesCommandTornadoTest}
 * in the tornadovm module).
 */
class DevicesCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onAPlainJvmItSaysHowToRunUnderTornadoVmAndExits3() {
        assertTrue(!Backend.tornadoRuntimePresent(), "this test JVM runs without TornadoVM");
        Run r = run("devices");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("unroll devices: TornadoVM is not in this JVM (tornado.load.api.implementation is unset): "), r.err());
        assertTrue(r.err().contains("UNROLL_TORNADOVM=1 ./unroll devices"), r.err());
        assertTrue(r.err().contains("eval \"$(\"${UNROLL_SHARED:-../shared}\"/tornadovm/setup.sh)\""), r.err());
    }

    @Test
    void aTornadoVmApiThatIsNotAsExpectedIsOneLineNotAStackTrace() throws Exception {
        TestProperties.with(Backend.TORNADO_RUNTIME_PROPERTY, "uk.ac.manchester.tornado.runtime.tasks.TornadoTaskGraph", () -> {
            Run r = run("devices");
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
            assertEquals("", r.out());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("unroll devices: TornadoVM's API is not as expected (ClassNotFoundException: "), r.err());
            assertTrue(!r.err().contains("\tat "), r.err());
        });
    }

    @Test
    void theHelpDocumentsTheExitCodeAndHowToRunIt() {
        Run r = run("devices", "--help");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("UNROLL_TORNADOVM=1 ./unroll devices"), help);
        assertTrue(help.contains("eval \"$(\"${UNROLL_SHARED:-../shared}\"/tornadovm/setup.sh)\""), "shown, not interpolated: " + help);
        assertTrue(help.contains("3 TornadoVM is not in this JVM"), help);
        assertTrue(help.contains("-Dunroll.tornado.device=ID"), help);
    }
}
