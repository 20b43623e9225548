package dev.unroll.bench.transformer;

import dev.unroll.examples.transformer.Stories260KModel;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerModel;
import java.util.Set;
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
 * The reference C implementation's own measurement, in Java: 511 greedy steps of stories260K from
 * BOS on one thread (run.c {@code -t 0 -n 512} reports tokens/s over the same steps, stop tokens
 * ignored), for the generated kernels (SIMD and scalar) and the generic engine. Score: milliseconds
 * per 511 tokens; tokens/s = 511000 / score.
 *
 * <p>Reproduce from the repository root:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar transformer.GreedyBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GreedyBenchmark {
    /** Generated tokens per invocation. */
    public static final int TOKENS = 511;

    /** {@code simd}, {@code scalar} (generated kernels) or {@code generic}. */
    @Param({"simd", "scalar", "generic"})
    public String impl;

    private CachedGenerator generator;
    private Generation greedy;

    /** Loads the model. */
    @Setup(Level.Trial)
    public void setup() {
        Llama2c.Checkpoint c = Stories.load();
        TransformerModel m = switch (impl) {
            case "simd" -> Stories260KModel.of(c.weights(), Flavour.SIMD);
            case "scalar" -> Stories260KModel.of(c.weights(), Flavour.SCALAR);
            case "generic" -> new GenericTransformer(c.weights());
            default -> throw new IllegalArgumentException(impl);
        };
        generator = new CachedGenerator(m);
        greedy = Generation.greedy(new int[] {1}, TOKENS).withStopTokens(Set.of());
    }

    /** @return the tokens */
    @Benchmark
    public int[] generate() {
        return generator.generate(greedy).tokens();
    }
}
