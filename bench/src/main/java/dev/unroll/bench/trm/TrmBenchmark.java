package dev.unroll.bench.trm;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed TRM (hidden 512, 2 layers, n 6, T 3; 18.96 GFLOP per puzzle and supervision step).
 *
 * <ul>
 *   <li>{@code step}: one whole supervision step of the generated model (SIMD), seconds per step at
 *       batch 1, 16, 64 on the runtime's threads (2 here); puzzles/s = batch / score, GFLOP/s =
 *       18.96 * batch / score.
 *   <li>the same at batch 1 on one thread: add {@code -p batch=1 -jvmArgsAppend -Dunroll.threads=1}.
 *   <li>{@code network}: one network call (0.903 GFLOP per puzzle) at batch 1, for every
 *       implementation: generated SIMD, generated scalar, the generic engine and the naive
 *       triple-loop baseline (both single-threaded, as written); {@code -p weights=BF16,Q8} for the
 *       generated models with compact row projections.
 * </ul>
 * Reproduce: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar TrmBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class TrmBenchmark {
    static final TrmSpec SPEC = TrmSpec.builder().buildUnchecked();

    /** Shared weights, built once per fork. */
    @State(Scope.Benchmark)
    public static class Weights {
        TrmWeights w;

        /** Seeded weights. */
        @Setup(Level.Trial)
        public void setup() {
            w = TrmWeights.seeded(SPEC);
        }
    }

    /** A generated model and a batch. */
    @State(Scope.Benchmark)
    public static class Step {
        /** Puzzles per step. */
        @Param({"1", "16", "64"})
        public int batch;

        /** How the generated model stores its row projections (F32, BF16, Q8). */
        @Param({"F32"})
        public WeightFormat weights;

        TrmModel model;
        int[] tokens;
        TrmCarry carry;

        /** @param weights the weights */
        @Setup(Level.Trial)
        public void setup(Weights weights) {
            model = KernelRegistry.trm(SPEC, this.weights).orElseThrow().create(weights.w, Flavour.SIMD);
            tokens = new int[batch * SPEC.context()];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = 1 + (i * 7) % 10;
            }
            carry = model.initialCarry(batch);
        }
    }

    /** One network call at batch 1. */
    @State(Scope.Benchmark)
    public static class Network {
        /** Which implementation runs. */
        @Param({"simd", "scalar", "generic", "naive"})
        public String impl;

        /** How the generated model stores its row projections (F32, BF16, Q8). */
        @Param({"F32"})
        public WeightFormat weights;

        TrmModel model;
        NaiveTrmNetwork naive;
        float[] in;
        float[] out;

        /** @param weights the weights */
        @Setup(Level.Trial)
        public void setup(Weights weights) {
            switch (impl) {
                case "simd" -> model = KernelRegistry.trm(SPEC, this.weights).orElseThrow().create(weights.w, Flavour.SIMD);
                case "scalar" -> model = KernelRegistry.trm(SPEC, this.weights).orElseThrow().create(weights.w, Flavour.SCALAR);
                case "generic" -> model = new GenericTrm(weights.w);
                default -> naive = new NaiveTrmNetwork(weights.w);
            }
            int n = SPEC.sequence() * SPEC.hidden();
            in = new float[n];
            out = new float[n];
            for (int i = 0; i < n; i++) {
                in[i] = (float) Math.sin(0.01 * i);
            }
        }
    }

    /**
     * @param s state
     * @return a logit
     */
    @Benchmark
    @Warmup(iterations = 2, batchSize = 1)
    @Measurement(iterations = 3, batchSize = 1)
    @BenchmarkMode(Mode.SingleShotTime)
    public float step(Step s) {
        return s.model.step(s.tokens, s.carry).logits()[0];
    }

    /**
     * @param s state
     * @return an output value
     */
    @Benchmark
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g", "-Dunroll.threads=1"})
    public float network(Network s) {
        if (s.naive != null) {
            s.naive.network(s.in, 1, s.out);
        } else {
            s.model.network(s.in, 1, s.out);
        }
        return s.out[0];
    }
}
