package dev.unroll.tornadovm;

import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.internal.Parallel;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.transformer.BatchDecodeRunner;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerRunners;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the generated kernels on TornadoVM's device against the same kernels on the JVM, warm: for
 * each workload it times the runner's construction and first run (TornadoVM compiles the kernels and
 * uploads the weights there: reported apart), runs the workload for {@code --warmup} seconds untimed
 * (the JVM's SIMD kernels need seconds of JIT compilation to reach speed), then takes the median of
 * {@code --reps} timed batches of at least 0.2 s each, on the wall clock (device work is not on this
 * thread's CPU time). Prints a Markdown table. Run it in a TornadoVM JVM ({@code bench/tornadovm.sh},
 * {@code bench/gpu.sh}).
 *
 * <p>Workloads: one width-64 attention layer per mode family (a 256-token sequence, and {@value #STREAMS} streams
 * stepped together by one token each), the seed-size TRM
 * (one supervision step of one puzzle) and stories260K (one decoding step at position 64, plain and with
 * the recurrent pass of its looped example).
 */
public final class DeviceBench {
    /**
     * The GPU model's launch latency ({@link DeviceCounts}, {@code -Dunroll.gpu.launchMicros}): TornadoVM's per-task dispatch on a GPU
     * driver, an assumption (PoCL here: about 80 us).
     */
    static final double GPU_LAUNCH_SECONDS = positive("unroll.gpu.launchMicros", "10") * 1e-6;
    /** The GPU model's device memory bandwidth ({@code -Dunroll.gpu.bandwidthGBs}): an H100 SXM's HBM3, 3.35 TB/s as specified. */
    static final double GPU_BYTES_PER_SECOND = positive("unroll.gpu.bandwidthGBs", "3350") * 1e9;
    /** The GPU model's host link ({@code -Dunroll.gpu.linkGBs}): PCIe 5.0 x16, 64 GB/s each way as specified. */
    static final double LINK_BYTES_PER_SECOND = positive("unroll.gpu.linkGBs", "64") * 1e9;

    private static double positive(String property, String otherwise) {
        String v = System.getProperty(property, otherwise);
        try {
            double x = Double.parseDouble(v);
            if (x > 0 && Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + property + " must be a positive number, got '" + v + "'");
    }

    private final double warmup;
    private final int reps;
    private final List<String> rows = new ArrayList<>();

    private DeviceBench(double warmup, int reps) {
        this.warmup = warmup;
        this.reps = reps;
    }

    /** @param args {@code [--warmup SECONDS] [--reps N] [attention] [streams] [trm] [transformer]} */
    public static void main(String[] args) throws Exception {
        double warmup = 3;
        int reps = 7;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> only.add(args[i]);
            }
        }
        DeviceBench b = new DeviceBench(warmup, reps);
        System.out.println("device: " + Backend.TORNADOVM.describe());
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors");
        System.out.printf(Locale.ROOT, "median of %d timed batches (each at least 0.2 s) after %.0f s of warm-up per workload and backend, wall clock"
                + " (launches and bytes per call: DeviceCounts)%n%n", reps, warmup);
        if (only.isEmpty() || only.contains("attention")) {
            b.attention();
        }
        if (only.isEmpty() || only.contains("streams")) {
            b.streams();
        }
        if (only.isEmpty() || only.contains("trm")) {
            b.trm();
        }
        if (only.isEmpty() || only.contains("transformer")) {
            b.transformer();
        }
        System.out.println();
        System.out.println("| workload | unit | JVM | TornadoVM | TornadoVM / JVM | TornadoVM setup |");
        System.out.println("|---|---|--:|--:|--:|--:|");
        b.rows.forEach(System.out::println);
    }

    private interface Work {
        void run() throws Exception;
    }

    /** @return the median wall time of one run, in seconds */
    private double time(Work w) throws Exception {
        long end = System.nanoTime() + (long) (warmup * 1e9);
        int perBatch = 0;
        long t0 = System.nanoTime();
        do {
            w.run();
            perBatch++;
        } while (System.nanoTime() < end);
        double one = (System.nanoTime() - t0) / 1e9 / perBatch;
        int n = Math.max(1, (int) Math.ceil(0.2 / one));
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long b0 = System.nanoTime();
            for (int k = 0; k < n; k++) {
                w.run();
            }
            t[i] = (System.nanoTime() - b0) / 1e9 / n;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    private void row(String what, String unit, double jvmPerSecond, double devicePerSecond, double setup) {
        String r = String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f× | %.1f s |", what, unit, fmt(jvmPerSecond), fmt(devicePerSecond),
                devicePerSecond / jvmPerSecond, setup);
        rows.add(r);
        System.out.println(r);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * @param type the family's provider type
     * @param generatedSimpleName the generated class's simple name
     * @param <T> that type
     * @return its provider on the class path
     */
    static <T extends KernelProvider<?, ?, ?>> T provider(Class<T> type, String generatedSimpleName) {
        for (KernelProvider<?, ?, ?> p : KernelRegistry.all()) {
            if (type.isInstance(p) && p.generatedClass().endsWith("." + generatedSimpleName)) {
                return type.cast(p);
            }
        }
        throw new IllegalStateException(generatedSimpleName + " is not on the class path");
    }

    private void attention() throws Exception {
        for (String name : ATTENTION) {
            LinearAttentionProvider p = provider(LinearAttentionProvider.class, name);
            LinearAttentionLayer layer = p.create(AttentionWeights.seeded(p.spec()));
            int tokens = 256;
            int d = p.spec().width();
            float[] xs = new float[tokens * d];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) Math.sin(0.37 * (i / d) + 0.11 * (i % d));
            }
            float[] ys = new float[xs.length];
            AttentionState js = layer.newState();
            double jvm = time(() -> layer.forward(js, xs, tokens, ys));
            AttentionState ds = layer.newState();
            long t0 = System.nanoTime();
            try (SequenceRunner r = LinearAttentionRunners.open(layer, ds, tokens, Backend.TORNADOVM)) {
                r.run(xs, ys);
                double setup = (System.nanoTime() - t0) / 1e9;
                double dev = time(() -> r.run(xs, ys));
                row("attention " + name.replace("Layer", "") + " (" + layer.implementation().replaceAll(".*\\((SIMD|scalar).*", "$1") + " on the JVM)",
                        "tokens/s, 256-token sequence", tokens / jvm, tokens / dev, setup);
            }
        }
    }

    /** The attention layers measured: one width-64 layer per mode family. */
    static final List<String> ATTENTION = List.of("RetNet_D64Layer", "Gla_D64Layer", "GatedDeltaNetPerToken_D64Layer", "Rwkv7_D64Layer", "LogLinearGla_D64Layer");

    /** Streams stepped together, one token each per call: the batched work the device is for. */
    static final int STREAMS = 64;

    private void streams() throws Exception {
        for (String name : ATTENTION) {
            LinearAttentionProvider p = provider(LinearAttentionProvider.class, name);
            LinearAttentionLayer layer = p.create(AttentionWeights.seeded(p.spec()));
            int d = p.spec().width();
            float[] xs = new float[STREAMS * d];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) Math.sin(0.37 * (i / d) + 0.11 * (i % d));
            }
            float[] ys = new float[xs.length];
            AttentionState[] js = new AttentionState[STREAMS];
            AttentionState[] ds = new AttentionState[STREAMS];
            for (int b = 0; b < STREAMS; b++) {
                js[b] = layer.newState();
                ds[b] = layer.newState();
            }
            try (StreamsRunner jr = LinearAttentionRunners.openStreams(layer, js, Backend.JVM)) {
                double jvm = time(() -> jr.step(xs, ys));
                long t0 = System.nanoTime();
                try (StreamsRunner r = LinearAttentionRunners.openStreams(layer, ds, Backend.TORNADOVM)) {
                    r.step(xs, ys);
                    double setup = (System.nanoTime() - t0) / 1e9;
                    double dev = time(() -> r.step(xs, ys));
                    row("attention " + name.replace("Layer", "") + ", " + STREAMS + " streams (stepBatch, " + layer.implementation().replaceAll(".*\\((SIMD|scalar).*", "$1")
                            + ", " + Parallel.threads() + " threads on the JVM)", "tokens/s, one per stream per call", STREAMS / jvm, STREAMS / dev, setup);
                }
            }
        }
    }

    private void trm() throws Exception {
        TrmProvider p = provider(TrmProvider.class, "SudokuTrmModel");
        TrmModel model = p.create(TrmWeights.seeded(p.spec()));
        int[] tokens = new int[p.spec().context()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1 + (i * 7 + 3) % (p.spec().vocab() - 1);
        }
        double flop = p.spec().flopsPerStep();
        try (TrmRunner jvmRunner = TrmRunners.open(model, 1, Backend.JVM)) {
            double jvm = time(() -> jvmRunner.step(tokens));
            long t0 = System.nanoTime();
            try (TrmRunner r = TrmRunners.open(model, 1, Backend.TORNADOVM)) {
                r.step(tokens);
                double setup = (System.nanoTime() - t0) / 1e9;
                double dev = time(() -> r.step(tokens));
                row("TRM SudokuTrm, batch 1, one supervision step (" + String.format(Locale.ROOT, "%.1f", flop / 1e9) + " GFLOP)", "GFLOP/s",
                        flop / jvm / 1e9, flop / dev / 1e9, setup);
            }
        }
    }

    private void transformer() throws Exception {
        Llama2c.Checkpoint c = Llama2c.load(DataFiles.require("models/stories260K/stories260K.bin"));
        for (String name : List.of("Stories260KModel", "Stories260KLoopedModel")) {
            TransformerProvider p = provider(TransformerProvider.class, name);
            TransformerModel model = p.create(c.weights());
            dev.unroll.runtime.transformer.RecurrentPassSpec rp = p.spec().block() == null ? null
                    : dev.unroll.runtime.transformer.RecurrentPassSpec.of(p.spec().block());
            double jvm = decodeStep(model, rp, Backend.JVM, new double[1]);
            double[] setup = new double[1];
            double dev = decodeStep(model, rp, Backend.TORNADOVM, setup);
            row("transformer " + name.replace("Model", "") + ", one decoding step at position 64", "tokens/s", 1 / jvm, 1 / dev, setup[0]);
        }
        TransformerModel plain = provider(TransformerProvider.class, "Stories260KModel").create(c.weights());
        prompt(plain);
        sequences(plain);
    }

    /** Sequences stepped together ({@code TransformerRunners.openBatch}), each at position 64. */
    static final int SEQUENCES = 32;

    /** One token of each of {@link #SEQUENCES} sequences at position 64: the JVM's batched step against the device's. */
    private void sequences(TransformerModel model) throws Exception {
        double[] setup = new double[1];
        double jvm = batchStep(model, Backend.JVM, new double[1]);
        double dev = batchStep(model, Backend.TORNADOVM, setup);
        row("transformer Stories260K, " + SEQUENCES + " sequences x 1 token at position 64", "tokens/s", SEQUENCES / jvm, SEQUENCES / dev, setup[0]);
    }

    /** @return the median time of one batched step at position 64, after 64 steps fill every sequence's cache */
    private double batchStep(TransformerModel model, Backend backend, double[] setup) throws Exception {
        long t0 = System.nanoTime();
        try (BatchDecodeRunner r = TransformerRunners.openBatch(model, SEQUENCES, backend)) {
            int[] tokens = new int[SEQUENCES];
            float[][] logits = new float[SEQUENCES][model.spec().vocab()];
            int[][] at = fill(r, tokens, logits);
            setup[0] = (System.nanoTime() - t0) / 1e9;
            return time(() -> r.next(tokens, at[64], logits));
        }
    }

    /**
     * Runs positions 0..63 of every sequence (token {@code 1 + (q * 37 + t) % 500}).
     *
     * @return the positions of each step: {@code at[t][q] = t}, for t up to 64
     */
    static int[][] fill(BatchDecodeRunner r, int[] tokens, float[][] logits) {
        int n = r.sequences();
        int[][] at = new int[65][n];
        for (int t = 0; t <= 64; t++) {
            java.util.Arrays.fill(at[t], t);
        }
        for (int t = 0; t < 64; t++) {
            for (int q = 0; q < n; q++) {
                tokens[q] = 1 + (q * 37 + t) % 500;
            }
            r.next(tokens, at[t], logits);
        }
        return at;
    }

    /**
     * A 256-token prompt in one call: the JVM's GEMM prefill against the device's blocks of {@code DEVICE_BLOCK} tokens,
     * and against the device running it one token per execution (what it did before blocks).
     */
    private void prompt(TransformerModel model) throws Exception {
        int[] prompt = prompt256(model);
        double jvm = absorb(model, Backend.JVM, prompt, true, new double[1]);
        double[] setup = new double[1];
        double blocks = absorb(model, Backend.TORNADOVM, prompt, true, setup);
        double single = absorb(model, Backend.TORNADOVM, prompt, false, new double[1]);
        row("transformer Stories260K, a 256-token prompt in blocks", "tokens/s", prompt.length / jvm, prompt.length / blocks, setup[0]);
        row("transformer Stories260K, the same prompt one token per device execution", "tokens/s", prompt.length / jvm, prompt.length / single,
                setup[0]);
    }

    /** @return the 256-token prompt the device workloads run: ids spread over the vocabulary, none of them 0 */
    static int[] prompt256(TransformerModel model) {
        int[] prompt = new int[256];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 1 + (i * 37) % (model.spec().vocab() - 1);
        }
        return prompt;
    }

    /** @return the median time of one prompt from position 0, in one call or one token per call */
    private double absorb(TransformerModel model, Backend backend, int[] prompt, boolean oneCall, double[] setup) throws Exception {
        long t0 = System.nanoTime();
        try (DecodeRunner r = new CachedGenerator(model, backend).open(null, null, prompt.length)) {
            setup[0] = (System.nanoTime() - t0) / 1e9;
            return time(() -> {
                if (oneCall) {
                    r.absorb(prompt, 0, prompt.length, 0);
                } else {
                    for (int t = 0; t < prompt.length; t++) {
                        r.absorb(prompt[t], t);
                    }
                }
            });
        }
    }

    /** @return the median time of one decoding step at position 64 (the cache holds 64 positions) */
    private double decodeStep(TransformerModel model, dev.unroll.runtime.transformer.RecurrentPassSpec rp, Backend backend, double[] setup) throws Exception {
        float[] logits = new float[model.spec().vocab()];
        long t0 = System.nanoTime();
        try (DecodeRunner r = new CachedGenerator(model, backend).open(rp, null, 1)) {
            for (int pos = 0; pos < 64; pos++) {
                r.absorb(1 + pos % 400, pos);
            }
            setup[0] = (System.nanoTime() - t0) / 1e9;
            return time(() -> r.next(7, 64, logits));
        }
    }
}
