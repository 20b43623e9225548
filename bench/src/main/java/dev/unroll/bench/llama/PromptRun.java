package dev.unroll.bench.llama;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A prompt of {@code tokens} tokens from position 0 through a generated model in one
 * {@code prefill} (GEMMs over blocks of tokens), logits of the last token only: llama-bench's ppN.
 * The prompt's ids are those bench/llamacpp/driver.c feeds llama.cpp. The first prefill in the JVM
 * is reported as cold; prefills then repeat for {@code -Dunroll.warmupSeconds} (default 5) and the
 * median of the next {@code runs} is the warm figure (tokens / wall time); thread CPU beside.
 *
 * <p>Usage: {@code PromptRun MODEL.bin F32|BF16|Q8 TOKENS RUNS}.
 */
public final class PromptRun {
    private PromptRun() {}

    /**
     * @param args model, format, tokens, runs
     */
    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        WeightFormat format = WeightFormat.valueOf(args[1]);
        int n = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        Llama2c.Checkpoint c = Llama2c.load(model);
        GeneratedTransformer m = (GeneratedTransformer) KernelRegistry.transformer(c.spec(), format)
                .orElseThrow(() -> new IllegalStateException("no generated " + format + " model of " + c.spec().describe()))
                .create(c.weights());
        int[] prompt = new int[n];
        for (int i = 0; i < n; i++) {
            prompt[i] = 1 + (i * 7919) % (c.spec().vocab() - 1);
        }
        KvCache[] caches = GreedyRun.caches(m);
        float[] logits = new float[c.spec().vocab()];
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        double[] cold = run(m, prompt, caches, logits, bean);
        long warmEnd = System.nanoTime() + (long) (Double.parseDouble(System.getProperty("unroll.warmupSeconds", "5")) * 1e9);
        while (System.nanoTime() < warmEnd) {
            run(m, prompt, caches, logits, bean);
        }
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int r = 0; r < runs; r++) {
            double[] g = run(m, prompt, caches, logits, bean);
            wall[r] = g[0];
            cpu[r] = g[1];
        }
        System.out.printf(Locale.ROOT, "unroll %s %s: prompt of %d tokens; cold %.1f tok/s; warm (median of %d) %.1f tok/s wall, %.1f tok/s thread CPU%n",
                m.implementation(), model.getFileName(), n, cold[0], runs, GreedyRun.median(wall), GreedyRun.median(cpu));
    }

    /** One timed prefill: {wall tok/s, thread-CPU tok/s}. */
    private static double[] run(GeneratedTransformer m, int[] prompt, KvCache[] caches, float[] logits, ThreadMXBean bean) {
        long c0 = bean.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        m.prefill(prompt, 0, prompt.length, 0, caches, logits, null);
        long t1 = System.nanoTime();
        long c1 = bean.getCurrentThreadCpuTime();
        return new double[] {prompt.length / ((t1 - t0) / 1e9), prompt.length / ((c1 - c0) / 1e9)};
    }
}
