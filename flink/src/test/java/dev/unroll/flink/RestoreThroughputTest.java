package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * within 2.5x of the CPU time per event before, and SIMD at least 1.5x faster than scalar (3.3x on
 * a quiet machine); a measurement that breaks a bound is taken once more from scratch, since a
 * stuck tier fails every attempt and noise between JVMs rarely twice. {@code C1CompilesKernelsTest}
 * guards the cause itself.
 */
class RestoreThroughputTest {
    /** The regression ran 3.4x slower; 2.5x leaves room for a busy machine's noise between JVMs (up to 1.8x seen). */
    private static final double SLOWER = 2.5;
    /**
     * A stuck compiler tier is slow in every fresh JVM; noise is not. A second full measurement
     * tells the two apart on a shared machine.
     */
    private static final int ATTEMPTS = 2;
    private static final Pattern NS = Pattern.compile("ns/event ([0-9.]+)");

    @TempDir
    Path dir;

    @Test
    void aRestoredJvmStepsAsFastAsBeforeInBothFlavours() throws Exception {
        String failures = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String failure = measureOnce();
            if (failure == null) {
                return;
            }
            failures += "\nattempt " + attempt + ": " + failure;
        }
        fail("a restored JVM stepped slower in every attempt:" + failures);
    }

    /** One measurement of all four sides; null when every bound holds, else what broke. */
    private String measureOnce() throws Exception {
        double scalarBefore = ns("before", Flavour.SCALAR);
        double scalarAfter = ns("after", Flavour.SCALAR);
        double simdBefore = ns("before", Flavour.SIMD);
        double simdAfter = ns("after", Flavour.SIMD);
        String figures = String.format("ns per event: scalar %.0f before, %.0f after a restore; SIMD %.0f before, %.0f after", scalarBefore, scalarAfter,
                simdBefore, simdAfter);
        System.out.println(figures);
        if (scalarAfter >= SLOWER * scalarBefore || simdAfter >= SLOWER * simdBefore) {
            return "after a restore more than " + SLOWER + "x the CPU time per event before; " + figures;
        }
        if (simdAfter * 1.5 >= scalarAfter) {
            return "SIMD after a restore runs less than 1.5x faster than scalar; " + figures;
        }
        return null;
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
