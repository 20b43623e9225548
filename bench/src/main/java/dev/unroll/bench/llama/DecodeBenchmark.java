package dev.unroll.bench.llama;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * One decoding step (one token through every layer and the classifier, the KV cache filled up to
 * 256 positions and then overwritten from position 0) of the stories15M- and stories110M-shaped
 * decoders, in each weight format, SIMD flavour, one thread. The checkpoint is written once by
 * {@link SeededCheckpoint} into {@code java.io.tmpdir/unroll-bench} (438 MB for 110M) and reused.
 * Score: microseconds per token.
 *
 * <p>Reproduce: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar llama.DecodeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g", "-XX:+UseTransparentHugePages", "-Dunroll.threads=1"})
public class DecodeBenchmark {
    /** llama2.c shape: 15M or 110M. */
    @Param({"15M", "110M"})
    public String shape;

    /** How the matrices are stored. */
    @Param({"F32", "BF16", "Q8"})
    public WeightFormat weights;

    private GeneratedTransformer model;
    private KvCache[] caches;
    private float[] x;
    private float[] logits;
    private int pos;

    /**
     * Loads (writing it first if absent) the seeded checkpoint and builds the generated model.
     *
     * @throws IOException when the checkpoint cannot be written
     */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path model = checkpoint(shape);
        Llama2c.Checkpoint c = Llama2c.load(model);
        this.model = (GeneratedTransformer) KernelRegistry.transformer(c.spec(), weights).orElseThrow().create(c.weights(), Flavour.SIMD);
        caches = GreedyRun.caches(this.model);
        x = new float[c.spec().width()];
        logits = new float[c.spec().vocab()];
    }

    /**
     * @param shape 15M or 110M
     * @return the seeded checkpoint of that shape, written on first use
     * @throws IOException when it cannot be written
     */
    static Path checkpoint(String shape) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "unroll-bench");
        SeededCheckpoint.Shape s = SeededCheckpoint.shape(shape);
        Path file = dir.resolve(s.name() + "-seeded.bin");
        if (!Files.exists(file)) {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, s.name(), ".part");
            SeededCheckpoint.writeModel(s, 42, tmp);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    /** @return a logit (against dead-code elimination) */
    @Benchmark
    public float token() {
        int p = pos;
        pos = (p + 1) % 256;
        model.forwardToken(1 + p % 1000, p, caches, x, logits, null);
        return logits[p];
    }
}
