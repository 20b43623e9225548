package dev.unroll.bench.llama;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * One cold process's view of decoding: from JVM start, the model is loaded, then greedy positions
 * 0..127 run once (the first 128 tokens a user waits for), then the same 128 positions again and
 * again for {@code seconds} to find the steady state. Prints one line: JVM start to model ready,
 * the first 128 tokens' rate, the steady rate (median of the last runs), and the time from JVM
 * start until a 16-token window first runs within 25 % of the steady per-token time. Wall clock
 * throughout (the JIT's compiler threads work beside it, as they do for a user).
 *
 * <p>Usage: {@code ColdStart MODEL.bin F32|BF16|Q8 SECONDS}; the flavour follows
 * {@code -Dunroll.flavour} (default: SIMD when the Vector API module is present).
 */
public final class ColdStart {
    private static final int TOKENS = 128;
    private static final int WINDOW = 16;

    private ColdStart() {}

    /**
     * @param args model, format, seconds
     */
    public static void main(String[] args) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Llama2c.Checkpoint c = Llama2c.load(Path.of(args[0]));
        WeightFormat format = WeightFormat.valueOf(args[1]);
        double seconds = Double.parseDouble(args[2]);
        GeneratedTransformer m = (GeneratedTransformer) KernelRegistry.transformer(c.spec(), format).orElseThrow()
                .create(c.weights(), Flavour.choose(true));
        long ready = System.currentTimeMillis();
        KvCache[] caches = GreedyRun.caches(m);
        float[] x = new float[m.spec().width()];
        float[] logits = new float[m.spec().vocab()];
        long[] ends = new long[TOKENS * 4096];
        int done = 0;
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        double[] runs = new double[4096];
        int run = 0;
        while (run < 4 || (System.nanoTime() - start) / 1e9 < seconds) {
            long t0 = System.nanoTime();
            int token = 1;
            for (int pos = 0; pos < TOKENS; pos++) {
                m.forwardToken(token, pos, caches, x, logits, null);
                token = GreedyRun.argmax(logits);
                if (done < ends.length) {
                    ends[done++] = System.nanoTime();
                }
            }
            runs[run++] = (System.nanoTime() - t0) / 1e9 / TOKENS;
            if (run == runs.length) {
                break;
            }
        }
        double first = TOKENS / ((ends[TOKENS - 1] - start) / 1e9);
        // the last quarter of the runs (at least one, never the first)
        double steady = GreedyRun.median(Arrays.copyOfRange(runs, Math.max(1, run - Math.max(1, run / 4)), run));
        double steadyAt = Double.NaN;
        for (int i = WINDOW; i <= done; i++) {
            double per = (ends[i - 1] - (i == WINDOW ? start : ends[i - WINDOW - 1])) / 1e9 / WINDOW;
            if (per <= 1.25 * steady) {
                steadyAt = (startMillis - jvmStart) + (ends[i - 1] - start) / 1e6;
                break;
            }
        }
        System.out.printf(Locale.ROOT, "%s %s: ready %d ms after JVM start; first %d tokens %.0f tok/s; steady %.0f tok/s; within 25%% of steady %.0f ms "
                + "after JVM start%n", m.implementation(), Path.of(args[0]).getFileName(), ready - jvmStart, TOKENS, first, 1 / steady, steadyAt);
    }
}
