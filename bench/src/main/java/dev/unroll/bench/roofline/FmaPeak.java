package dev.unroll.bench.roofline;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The arithmetic ceiling of one core through the Vector API: twelve independent fused multiply-add
 * chains on the preferred species (512-bit here), enough to hide the FMA latency, nothing read from
 * memory. The {@code flops} counter is the ceiling (2 per lane per FMA). A kernel whose data stays in
 * registers and L1 is bound by it.
 *
 * <p>Reproduce: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar FmaPeak}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ROUNDS = 4096;

    /** Floating-point operations, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Floating-point operations done. */
        public long flops;
    }

    private final float[] seed = {1.0001f, 0.9999f, 1.0002f, 0.9998f};

    /**
     * @param f the flops counter
     * @return a sum of the chains, so they are not dead code
     */
    @Benchmark
    public float fma(Flops f) {
        FloatVector m = FloatVector.broadcast(S, seed[0]);
        FloatVector c = FloatVector.broadcast(S, seed[1] - 1);
        FloatVector a0 = FloatVector.broadcast(S, seed[2]);
        FloatVector a1 = a0.add(1);
        FloatVector a2 = a0.add(2);
        FloatVector a3 = a0.add(3);
        FloatVector a4 = a0.add(4);
        FloatVector a5 = a0.add(5);
        FloatVector a6 = a0.add(6);
        FloatVector a7 = a0.add(7);
        FloatVector a8 = a0.add(8);
        FloatVector a9 = a0.add(9);
        FloatVector a10 = a0.add(10);
        FloatVector a11 = a0.add(11);
        for (int r = 0; r < ROUNDS; r++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        f.flops += 2L * 12 * ROUNDS * S.length();
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(VectorOperators.ADD);
    }
}
