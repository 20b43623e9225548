package dev.unroll.bench.attention;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-stream tokens per second of every linear-attention variant: {@code step} (one token per
 * call) and {@code forward} (a sequence of {@link #SEQ} tokens per call), for the generated layer
 * (SIMD and scalar flavours) and the generic engine, at width 64 / 4 heads (the examples module)
 * and width 256 / 8 heads ({@link Wide}).
 *
 * <p>Reproduce: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar AttentionBenchmark}.
 * Scores are operations (tokens) per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dunroll.threads=1"})
public class AttentionBenchmark {
    /** Tokens per {@code forward} call. */
    public static final int SEQ = 256;

    /** Generated layer class (simple name without "Layer"). */
    @Param({"RetNet_D64", "Hawk_D64", "Gla_D64", "GlaVector_D64", "DeltaNet_D64", "GatedDeltaNetStatic_D64", "GatedDeltaNetPerToken_D64",
        "Rwkv_D64", "Mlstm_D64", "DeltaProduct_D64", "DeltaProductReflections_D64", "Rwkv7_D64", "Hgrn2_D64", "LogLinearGdn_D64",
        "LogLinearGla_D64", "Wide_RetNet", "Wide_Hawk", "Wide_Gla", "Wide_GlaVector", "Wide_DeltaNet", "Wide_GatedDeltaNetStatic",
        "Wide_GatedDeltaNetPerToken", "Wide_Rwkv", "Wide_Mlstm", "Wide_DeltaProduct", "Wide_DeltaProductReflections", "Wide_Rwkv7",
        "Wide_Hgrn2", "Wide_LogLinearGdn", "Wide_LogLinearGla"})
    public String layer;

    /** Which implementation runs. */
    @Param({"simd", "scalar", "generic"})
    public String impl;

    private LinearAttentionLayer model;
    private AttentionState state;
    private float[] x;
    private float[] y;
    private float[] xs;
    private float[] ys;
    private int t;

    /** Builds the layer with seeded weights. */
    @Setup(Level.Trial)
    public void setup() {
        LinearAttentionProvider p = find(layer + "Layer");
        AttentionSpec spec = p.spec();
        AttentionWeights w = AttentionWeights.seeded(spec);
        model = switch (impl) {
            case "simd" -> p.create(w, Flavour.SIMD);
            case "scalar" -> p.create(w, Flavour.SCALAR);
            default -> new GenericLinearAttention(w);
        };
        int d = spec.width();
        x = new float[d];
        y = new float[d];
        xs = new float[SEQ * d];
        ys = new float[SEQ * d];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(0.37 * (i / d) + 0.11 * (i % d));
        }
        state = model.newState();
    }

    static LinearAttentionProvider find(String simpleName) {
        for (KernelProvider<?, ?, ?> k : KernelRegistry.all()) {
            if (k instanceof LinearAttentionProvider p && k.generatedClass().endsWith("." + simpleName)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no generated layer " + simpleName);
    }

    /** @return an output value (against dead-code elimination) */
    @Benchmark
    public float step() {
        int d = x.length;
        System.arraycopy(xs, (t++ & (SEQ - 1)) * d, x, 0, d);
        model.step(state, x, y);
        return y[0];
    }

    /** @return an output value */
    @Benchmark
    @OperationsPerInvocation(SEQ)
    public float forward() {
        model.forward(state, xs, SEQ, ys);
        return ys[0];
    }
}
