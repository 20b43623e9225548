package dev.unroll.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code DeviceCounts} reads TornadoVM's bytecode trace. The fixture {@code streams-step-trace.txt} is
 * what TornadoVM 5.2 printed (with {@code -Dtornado.print.bytecodes=True}, colour codes kept, object
 * hashes masked) for the first step of {@code RetNet_D16TornadoStreams} over 2 streams on PoCL: its three
 * launches (project, scan, output), and of its transfers only those of every execution, one input and one output of 2 x 16
 * floats (128 bytes each, plus TornadoVM's 16-byte array header); the one-time uploads of the weights
 * and states are not per call.
 */
class DeviceCountsTraceTest {
    @Test
    void countsLaunchesAndEveryExecutionTransfersOnly() throws IOException {
        String trace;
        try (InputStream in = DeviceCountsTraceTest.class.getResourceAsStream("streams-step-trace.txt")) {
            trace = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(new DeviceCounts.Trace(3, 144, 144), DeviceCounts.Trace.of(trace));
        assertEquals(new DeviceCounts.Trace(0, 0, 0), DeviceCounts.Trace.of(""));
    }
}
