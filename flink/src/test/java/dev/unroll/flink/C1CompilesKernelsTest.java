package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * C1 compiles every method of the example layer's SIMD kernels. The head step of this shape (4
 * heads of 8 x 8) once had every state row's vector loop inline, and C1 gave up on it ("out of
 * virtual registers in linear scan"); a JVM whose compile queue was busy when the kernel got hot
 * (a TaskManager restoring a job) then kept it at tier 2, where every Vector API call runs its Java
 * fallback, 3.4x slower. The probe runs with compilation stopped at tier 3 (C1 with full
 * profiling, the tier that failed) and low thresholds, so that every hot method is compiled there.
 */
class C1CompilesKernelsTest {
    @Test
    void everySimdKernelMethodCompilesAtTierThree() throws Exception {
        Fork.Result r = Fork.run(List.of("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=3", "-XX:CompileThresholdScaling=0.05",
                "-XX:+PrintCompilation"), C1Probe.class);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("probe done: generated SensorFeaturesLayer (SIMD"), r.output());
        List<String> kernels = r.output().lines().filter(l -> l.contains("SensorFeaturesSimdKernels::")).toList();
        List<String> failed = kernels.stream().filter(l -> l.contains("COMPILE SKIPPED")).toList();
        assertEquals(List.of(), failed, "C1 bailed out on generated kernel methods");
        for (String m : List.of("step", "headStep", "query", "forward", "matVec100x32", "matVec32x32Tanh")) {
            assertTrue(kernels.stream().anyMatch(l -> l.contains("SensorFeaturesSimdKernels::" + m + " ")), m + " was not compiled: " + kernels);
        }
    }
}
