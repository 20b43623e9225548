package dev.unroll.bench.transformer;

import dev.unroll.examples.transformer.Stories260KLoopedModel;
import dev.unroll.examples.transformer.Stories260KModel;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.RecomputeGenerator;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.TransformerModel;
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
 * One generation step of stories260K (generated SIMD kernels) at a given prefix length: the newest
 * token's forward and logits with the prefix already cached ({@code cached}), against the
 * reference's way of recomputing every position ({@code recompute}). {@code pass}: {@code plain}, or
 * {@code recurrent} = layers 1..3 run twice (the compile-time block of {@code Stories260KLooped}, so
 * the cached step runs its generated forward). Score: microseconds per generated token; tokens/s =
 * 1e6 / score. A flat {@code cached} row across prefixes is the claim under test.
 *
 * <p>Reproduce from the repository root:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar transformer.StepBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StepBenchmark {
    /** Tokens before the newest one. */
    @Param({"16", "128", "256"})
    public int prefix;

    /** {@code plain} or {@code recurrent}. */
    @Param({"plain", "recurrent"})
    public String pass;

    private DecodeRunner session;
    private RecomputeGenerator recompute;
    private RecurrentPassSpec rp;
    private int[] sequence;
    private final float[] logits = new float[512];

    /** Loads the model and caches the prefix. */
    @Setup(Level.Trial)
    public void setup() {
        Llama2c.Checkpoint c = Stories.load();
        boolean recurrent = pass.equals("recurrent");
        rp = recurrent ? RecurrentPassSpec.noFeedback(1, 3) : null;
        TransformerModel model = recurrent ? Stories260KLoopedModel.of(c.weights(), Flavour.SIMD) : Stories260KModel.of(c.weights(), Flavour.SIMD);
        sequence = new int[prefix + 1];
        sequence[0] = 1;
        for (int i = 1; i <= prefix; i++) {
            sequence[i] = 3 + (i * 37) % 500;
        }
        session = new CachedGenerator(model).open(rp, null, sequence.length);
        for (int p = 0; p < prefix; p++) {
            session.absorb(sequence[p], p);
        }
        recompute = new RecomputeGenerator(recurrent ? Stories260KModel.of(c.weights(), Flavour.SIMD) : model);
    }

    /** @return the logits of the step (the same position each time: the caches are positional) */
    @Benchmark
    public float[] cached() {
        session.next(sequence[prefix], prefix, logits);
        return logits;
    }

    /** @return the logits, every position recomputed */
    @Benchmark
    public float[] recompute() {
        return recompute.lastLogits(sequence, rp);
    }
}
