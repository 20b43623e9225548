package dev.unroll.bench.llama;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.Tokenizer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Time to the first token of a cold process: the checkpoint read tensor by tensor ({@code
 * Llama2c.open}), the generated model made, one forward of BOS at position 0 and its argmax, then
 * exit. Prints one line: the token, and the milliseconds from JVM start to the model ready and to
 * the first token; {@code bench/cold-start.sh} times the whole process from outside as well.
 *
 * <p>Usage: {@code FirstToken MODEL.bin F32|BF16|Q8|Q4}.
 */
public final class FirstToken {
    private FirstToken() {}

    /**
     * @param args model, format
     */
    public static void main(String[] args) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path model = Path.of(args[0]);
        WeightFormat format = WeightFormat.valueOf(args[1]);
        Llama2c.Checkpoint c = Llama2c.open(model);
        GeneratedTransformer m = (GeneratedTransformer) KernelRegistry.transformer(c.spec(), format)
                .orElseThrow(() -> new IllegalStateException("no generated " + format + " model of " + c.spec().describe()))
                .create(c.weights());
        long ready = System.currentTimeMillis();
        KvCache[] caches = GreedyRun.caches(m);
        float[] x = new float[m.spec().width()];
        float[] logits = new float[m.spec().vocab()];
        m.forwardToken(Tokenizer.BOS, 0, caches, x, logits, null);
        int token = GreedyRun.argmax(logits);
        long first = System.currentTimeMillis();
        System.out.printf("first token %d; ready %d ms, first token %d ms after JVM start (%s)%n", token, ready - jvmStart, first - jvmStart,
                m.implementation());
    }
}
