package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Flavour;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A one-shot run picks its flavour by its work: the SIMD kernels only when the JIT's warm-up pays. */
class OneShotFlavourTest {
    @Test
    void shortJobsTakeTheScalarKernelsLongOnesSimd() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        assertEquals(Flavour.SCALAR, RunCommand.oneShot(true, 2e8, out));
        Flavour big = RunCommand.oneShot(true, 5e10, out);
        if (Flavour.vectorModulePresent()) {
            assertEquals(Flavour.SIMD, big);
            assertTrue(text.toString().contains("flavour: SIMD for this run (50 GFLOP"), text.toString());
            assertTrue(text.toString().contains("flavour: scalar for this short run (0.20 GFLOP"), text.toString());
        } else {
            assertEquals(Flavour.SCALAR, big);
        }
        assertEquals(Flavour.SCALAR, RunCommand.oneShot(false, 5e10, out), "no SIMD kernels generated");
    }
}
