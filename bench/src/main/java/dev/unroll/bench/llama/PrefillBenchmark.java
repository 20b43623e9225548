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
 * A 256-token prompt through the stories15M- and stories110M-shaped decoders (the seeded
 * checkpoints of {@link DecodeBenchmark}), SIMD flavour, one thread: {@code prefill} runs it in
 * blocks ({@code TransformerModel.prefill}: GEMMs over 128 tokens at a time), {@code tokens} one
 * {@code forwardToken} after another, as before prefill existed. Both end with the last token's
 * logits. Score: milliseconds per prompt; tokens/s = 256000 / score (llama-bench's pp256).
 *
 * <p>Reproduce: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar llama.PrefillBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g", "-XX:+UseTransparentHugePages", "-Dunroll.threads=1"})
public class PrefillBenchmark {
    /** Prompt length. */
    static final int PROMPT = 256;

    /** llama2.c shape: 15M or 110M. */
    @Param({"15M", "110M"})
    public String shape;

    /** How the matrices are stored. */
    @Param({"F32", "Q8"})
    public WeightFormat weights;

    /** prefill (blocks of tokens) or tokens (one forwardToken per token). */
    @Param({"prefill", "tokens"})
    public String impl;

    private GeneratedTransformer model;
    private KvCache[] caches;
    private int[] prompt;
    private float[] x;
    private float[] logits;

    /**
     * Loads (writing it first if absent) the seeded checkpoint and builds the generated model.
     *
     * @throws IOException when the checkpoint cannot be written
     */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        Llama2c.Checkpoint c = Llama2c.load(DecodeBenchmark.checkpoint(shape));
        model = (GeneratedTransformer) KernelRegistry.transformer(c.spec(), weights).orElseThrow().create(c.weights(), Flavour.SIMD);
        caches = GreedyRun.caches(model);
        prompt = new int[PROMPT];
        for (int i = 0; i < PROMPT; i++) {
            prompt[i] = 1 + (i * 7919) % (c.spec().vocab() - 1);
        }
        x = new float[c.spec().width()];
        logits = new float[c.spec().vocab()];
    }

    /** @return a logit (against dead-code elimination) */
    @Benchmark
    public float prompt() {
        if (impl.equals("prefill")) {
            model.prefill(prompt, 0, PROMPT, 0, caches, logits, null);
        } else {
            for (int p = 0; p < PROMPT; p++) {
                model.forwardToken(prompt[p], p, caches, x, logits, null);
            }
        }
        return logits[7];
    }
}
