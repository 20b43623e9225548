package dev.unroll.bench.llama;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import java.io.IOException;
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
 * One decoding step of several sequences at once ({@code TransformerModel.forwardTokens}: one token
 * each, each at its own position in its own caches, the projections as GEMMs over the sequences),
 * stories15M- and stories110M-shaped decoders (the seeded checkpoints of {@link DecodeBenchmark}) and
 * stories260K itself ({@code -p shape=260K}), SIMD flavour, one thread unless {@code -Dunroll.threads} says otherwise. Positions run 0..255 and wrap, sequence s offset by 16 s. Score:
 * microseconds per step; tokens/s = 1e6 * sequences / score.
 *
 * <p>Reproduce: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar llama.BatchDecodeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g", "-XX:+UseTransparentHugePages", "-Dunroll.threads=1"})
public class BatchDecodeBenchmark {
    /** llama2.c shape: 15M or 110M (seeded), or 260K (the real stories260K). */
    @Param({"15M", "110M"})
    public String shape;

    /** How the matrices are stored. */
    @Param({"F32", "Q8"})
    public WeightFormat weights;

    /** Sequences stepping together. */
    @Param({"1", "8"})
    public int sequences;

    private GeneratedTransformer model;
    private KvCache[][] caches;
    private int[] tokens;
    private int[] positions;
    private float[][] logits;
    private int step;
    /** Token ids used: 1..1000, or the vocabulary's. */
    private int ids;

    /**
     * Loads (writing it first if absent) the seeded checkpoint and builds the generated model.
     *
     * @throws IOException when the checkpoint cannot be written
     */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        Llama2c.Checkpoint c = Llama2c.load(shape.equals("260K") ? dev.unroll.runtime.internal.data.DataFiles.require("models/stories260K/stories260K.bin")
                : DecodeBenchmark.checkpoint(shape));
        model = (GeneratedTransformer) KernelRegistry.transformer(c.spec(), weights).orElseThrow().create(c.weights(), Flavour.SIMD);
        caches = new KvCache[sequences][];
        for (int s = 0; s < sequences; s++) {
            caches[s] = GreedyRun.caches(model);
        }
        tokens = new int[sequences];
        positions = new int[sequences];
        logits = new float[sequences][c.spec().vocab()];
        ids = Math.min(1000, c.spec().vocab() - 1);
    }

    /** @return a logit (against dead-code elimination) */
    @Benchmark
    public float step() {
        int p = step;
        step = (p + 1) % 256;
        for (int s = 0; s < sequences; s++) {
            positions[s] = (p + 16 * s) % 256;
            tokens[s] = 1 + (p * 31 + s) % ids;
        }
        model.forwardTokens(tokens, positions, caches, logits);
        return logits[sequences - 1][p];
    }
}
