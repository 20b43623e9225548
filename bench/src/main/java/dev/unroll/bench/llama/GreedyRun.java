package dev.unroll.bench.llama;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.Tokenizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Greedy generation with a generated model, timed as llama2.c's run.c times it: from BOS at position
 * 0, argmax each step, stop at BOS or after {@code steps} positions; the clock starts after the
 * first forward and the rate is {@code (pos - 1) / elapsed} (wall clock, as run.c's
 * {@code achieved tok/s}). The first generation in the JVM is reported as cold (JIT warm-up
 * included); generations then repeat for at least {@code -Dunroll.warmupSeconds} (default 5: the
 * JIT's compiler threads share the core when the process is pinned), and the median of the next
 * {@code runs} is the warm figure. Thread CPU time is printed beside.
 *
 * <p>Usage: {@code GreedyRun MODEL.bin F32|BF16|Q8|Q4 STEPS RUNS}.
 */
public final class GreedyRun {
    private GreedyRun() {}

    /**
     * @param args model, format, steps, runs
     */
    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        WeightFormat format = WeightFormat.valueOf(args[1]);
        int steps = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        // -Dunroll.loadWhole=true reads the whole checkpoint first (the way before tensor-by-tensor loading), for memory comparisons
        Llama2c.Checkpoint c = Boolean.getBoolean("unroll.loadWhole") ? Llama2c.load(model) : Llama2c.open(model);
        GeneratedTransformer m = (GeneratedTransformer) KernelRegistry.transformer(c.spec(), format)
                .orElseThrow(() -> new IllegalStateException("no generated " + format + " model of " + c.spec().describe()))
                .create(c.weights());
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        double warmup = Double.parseDouble(System.getProperty("unroll.warmupSeconds", "5"));
        double[] cold = generate(m, steps, bean);
        long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < warmEnd) {
            generate(m, steps, bean);
        }
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        int positions = 0;
        for (int r = 0; r < runs; r++) {
            double[] g = generate(m, steps, bean);
            wall[r] = g[0];
            cpu[r] = g[1];
            positions = (int) g[2];
        }
        System.out.printf(Locale.ROOT, "unroll %s %s: %d positions; cold %.1f tok/s; warm (median of %d) %.1f tok/s wall, %.1f tok/s thread CPU%n",
                m.implementation(), model.getFileName(), positions, cold[0], runs, median(wall), median(cpu));
    }

    /** One timed greedy generation: {wall tok/s, thread-CPU tok/s, positions}. */
    private static double[] generate(GeneratedTransformer m, int steps, ThreadMXBean bean) {
        KvCache[] caches = caches(m);
        float[] x = new float[m.spec().width()];
        float[] logits = new float[m.spec().vocab()];
        int token = Tokenizer.BOS;
        int pos = 0;
        long start = 0;
        long cpuStart = 0;
        while (pos < steps) {
            m.forwardToken(token, pos, caches, x, logits, null);
            int next = argmax(logits);
            pos++;
            if (next == Tokenizer.BOS) {
                break;
            }
            token = next;
            if (start == 0) {
                start = System.nanoTime();
                cpuStart = bean.getCurrentThreadCpuTime();
            }
        }
        long end = System.nanoTime();
        long cpuEnd = bean.getCurrentThreadCpuTime();
        return new double[] {(pos - 1) / ((end - start) / 1e9), (pos - 1) / ((cpuEnd - cpuStart) / 1e9), pos};
    }

    /**
     * @param m a model
     * @return the caches its {@code forwardToken} needs, each holding every position
     */
    static KvCache[] caches(GeneratedTransformer m) {
        KvCache[] c = new KvCache[m.forwardCaches()];
        for (int i = 0; i < c.length; i++) {
            c[i] = m.newCache(m.spec().maxSeq());
        }
        return c;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
