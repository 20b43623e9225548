package dev.unroll.bench.attention;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
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
 * Many streams of one width-256 layer, one token each per round: {@code loop} steps each stream on
 * its own ({@code step}, the weights read once per stream), {@code batch} steps them with
 * {@code stepBatch} (the projections one matrix product per 64 streams). Both process
 * {@value #TOKENS} tokens per invocation ({@code TOKENS / streams} rounds); the score is time per
 * token. One stream's {@code loop} is the single-stream figure the batch is measured against.
 *
 * <p>Reproduce (one thread, interleaved loop / batch / loop, thread CPU time):
 * {@code bench/interleave.sh bench/results/streams 'StreamsBenchmark.loop -p streams=1' 'StreamsBenchmark.batch -p streams=64'}.
 * Two threads: {@code -p threads=2} on the batch side, read in wall time (thread CPU time counts the
 * calling thread only).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g", "-XX:+UseTransparentHugePages"})
public class StreamsBenchmark {
    /** Tokens per invocation, over all streams. */
    public static final int TOKENS = 1024;

    /** Distinct inputs each stream cycles through. */
    private static final int INPUTS = 4;

    /** Generated layer class (simple name without "Layer"). */
    @Param({"Wide_RetNet", "Wide_Hawk", "Wide_Gla", "Wide_GlaVector", "Wide_DeltaNet", "Wide_GatedDeltaNetStatic", "Wide_GatedDeltaNetPerToken",
        "Wide_Rwkv", "Wide_Mlstm", "Wide_DeltaProduct", "Wide_DeltaProductReflections", "Wide_Rwkv7", "Wide_Hgrn2", "Wide_LogLinearGdn",
        "Wide_LogLinearGla", "WideBf16_RetNet", "WideBf16_DeltaNet"})
    public String layer;

    /** Streams stepped per round (a divisor of {@link #TOKENS}). */
    @Param({"1", "8", "64", "256"})
    public int streams;

    /** Threads {@code batch} may use ({@code stepBatch}'s bound; {@code loop} runs on one). */
    @Param({"1"})
    public int threads;

    /** The flavour. */
    @Param({"simd"})
    public String flavour;

    private LinearAttentionLayer model;
    private AttentionState[] states;
    private float[][][] xs;
    private float[][] ys;

    /** Builds the layer with seeded weights and the streams' states and inputs. */
    @Setup(Level.Trial)
    public void setup() {
        if (TOKENS % streams != 0) {
            throw new IllegalArgumentException("streams must divide " + TOKENS + ": " + streams);
        }
        LinearAttentionProvider p = AttentionBenchmark.find(layer + "Layer");
        model = p.create(AttentionWeights.seeded(p.spec()), Flavour.valueOf(flavour.toUpperCase(java.util.Locale.ROOT)));
        int d = p.spec().width();
        states = new AttentionState[streams];
        xs = new float[INPUTS][streams][d];
        ys = new float[streams][d];
        for (int b = 0; b < streams; b++) {
            states[b] = model.newState();
            for (int r = 0; r < INPUTS; r++) {
                for (int i = 0; i < d; i++) {
                    xs[r][b][i] = (float) Math.sin(0.37 * (r + 4 * b) + 0.11 * i);
                }
            }
        }
    }

    /** @return an output value (against dead-code elimination) */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public float loop() {
        for (int r = 0; r < TOKENS / streams; r++) {
            float[][] x = xs[r % INPUTS];
            for (int b = 0; b < streams; b++) {
                model.step(states[b], x[b], ys[b]);
            }
        }
        return ys[0][0];
    }

    /** @return an output value */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public float batch() {
        for (int r = 0; r < TOKENS / streams; r++) {
            model.stepBatch(states, xs[r % INPUTS], ys, threads);
        }
        return ys[0][0];
    }
}
