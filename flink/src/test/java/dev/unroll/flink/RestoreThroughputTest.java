package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Flavour;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput before and after a restore, in both flavours, each side in a fresh JVM as a
 * TaskManager is ({@link RestoreThroughput}), timed by the stepping thread's CPU time (the machine
 * may be shared). The SIMD head step used to be a method C1 could not compile; a JVM whose
 * compiler was busy when the kernel got hot, as after a restore, then ran it at tier 2, about 3.4x
 * slower than before the restore and no faster than the scalar flavour. Bounds: a restored JVM
 * within 1.5x of the CPU time per event before, and SIMD at least 1.5x faster than scalar (3.3x
 * here). {@code C1CompilesKernelsTest} guards the cause itself.
 */
class RestoreThroughputTest {
    private static final Pattern NS = Pattern.compile("ns/event ([0-9.]+)");

    @TempDir
    Path dir;

    @Test
    void aRestoredJvmStepsAsFastAsBeforeInBothFlavours() throws Exception {
        double scalarBefore = ns("before", Flavour.SCALAR);
        double scalarAfter = ns("after", Flavour.SCALAR);
        double simdBefore = ns("before", Flavour.SIMD);
        double simdAfter = ns("after", Flavour.SIMD);
        String figures = String.format("ns per event: scalar %.0f before, %.0f after a restore; SIMD %.0f before, %.0f after", scalarBefore, scalarAfter,
                simdBefore, simdAfter);
        System.out.println(figures);
        assertTrue(scalarAfter < 1.5 * scalarBefore, figures);
        assertTrue(simdAfter < 1.5 * simdBefore, figures);
        assertTrue(simdAfter * 1.5 < scalarAfter, "SIMD after a restore runs no faster than scalar: " + figures);
    }

    private double ns(String side, Flavour flavour) throws Exception {
        Fork.Result r = Fork.run(List.of("--add-modules", "jdk.incubator.vector"), RestoreThroughput.class, side, flavour.name(),
                dir.resolve(flavour + ".states").toString());
        assertEquals(0, r.exit(), r.output());
        Matcher m = NS.matcher(r.output());
        assertTrue(m.find(), r.output());
        return Double.parseDouble(m.group(1));
    }
}
