package ${package}.benchmarks;

import ${package}.StoriesModel;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Greedy generation of 64 tokens after a 3-token prompt (KV-cached), the generated model against the
 * generic engine; multiply the score by 64 for tokens per second. Run:
 * {@code java -jar target/benchmarks.jar Stories}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2) // the generated kernels are large methods: C2 takes a few seconds to reach them
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class StoriesBenchmark {
    /** Which implementation runs. */
    @Param({"generated", "generic"})
    public String engine;

    private CachedGenerator generator;
    private final Generation generation = Generation.greedy(new int[] {1, 42, 7}, 64);

    /** Builds the model on seeded weights. */
    @Setup
    public void setUp() {
        TransformerWeights weights = TransformerWeights.seeded(StoriesModel.SPEC);
        generator = new CachedGenerator(engine.equals("generated") ? StoriesModel.of(weights) : new GenericTransformer(weights));
    }

    /** @return the generation (consumed by JMH) */
    @Benchmark
    public GenerationResult generate() {
        return generator.generate(generation);
    }
}
