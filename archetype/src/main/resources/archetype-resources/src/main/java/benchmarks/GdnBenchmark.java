package ${package}.benchmarks;

import ${package}.GdnLayer;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
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
 * Tokens per second of one stream through the layer: the generated kernel (its SIMD flavour when the
 * Vector API is there) against the generic engine. Run: {@code java -jar target/benchmarks.jar Gdn}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2) // the generated kernels are large methods: C2 takes a few seconds to reach them
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GdnBenchmark {
    /** Which implementation runs. */
    @Param({"generated", "generic"})
    public String engine;

    private LinearAttentionLayer layer;
    private AttentionState state;
    private float[] x;
    private float[] y;

    /** Builds the layer and a stream. */
    @Setup
    public void setUp() {
        layer = engine.equals("generated") ? GdnLayer.seeded() : new GenericLinearAttention(AttentionWeights.seeded(GdnLayer.SPEC));
        state = layer.newState();
        x = new float[GdnLayer.SPEC.width()];
        y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.11 * i);
        }
    }

    /** @return the output vector (consumed by JMH) */
    @Benchmark
    public float[] step() {
        layer.step(state, x, y);
        return y;
    }
}
