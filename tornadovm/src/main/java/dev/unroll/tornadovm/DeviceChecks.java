package dev.unroll.tornadovm;

import dev.unroll.annotations.Precision;
import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceGlue;
import dev.unroll.runtime.backend.DeviceGlues;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.codegen.KernelShape;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.transformer.BatchDecodeRunner;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.Sampler;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerRunners;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmResult;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs every generated glue class on the class path on TornadoVM and compares it with the JVM kernels
 * of the same layer or model: one line per check, {@code CHECK name | PASS|FAIL | detail}, for
 * {@code DeviceCheckTest} to read. Run it in a TornadoVM JVM with {@code -Dtornado.recover.bailout=False},
 * so that a kernel TornadoVM cannot compile fails its check instead of running as Java.
 *
 * <p>Tolerances, documented in {@code docs/tornadovm.md}: OpenCL float maths is not Java's bit for bit
 * (contracted multiply-adds, its own exp and sqrt), so outputs and states are compared by their largest
 * error relative to the largest magnitude of the JVM's values.
 */
public final class DeviceChecks {
    /** Outputs and states of a chunk of attention, relative to the chunk's largest value. */
    static final double ATTENTION_TOLERANCE = 1e-5;
    /** TRM logits, halting outputs and carry after each supervision step. */
    static final double TRM_TOLERANCE = 1e-4;
    /** Transformer logits of every generated token. */
    static final double TRANSFORMER_TOLERANCE = 1e-4;
    /** Greedy tokens compared in each transformer check. */
    static final int TOKENS = 64;

    private final PrintStream out;
    private int failed;

    private DeviceChecks(PrintStream out) {
        this.out = out;
    }

    /**
     * @param args families to check ({@code attention}, {@code trm}, {@code transformer}, {@code errors});
     *     none: all of them
     */
    public static void main(String[] args) {
        Set<String> only = Set.of(args);
        DeviceChecks c = new DeviceChecks(System.out);
        c.out.println("INFO " + Backend.TORNADOVM.describe());
        if (only.isEmpty() || only.contains("attention")) {
            c.attention();
        }
        if (only.isEmpty() || only.contains("trm")) {
            c.trm();
        }
        if (only.isEmpty() || only.contains("transformer")) {
            c.transformer();
        }
        if (only.isEmpty() || only.contains("errors")) {
            c.errors();
        }
        c.out.println("DONE failed=" + c.failed);
        System.exit(c.failed == 0 ? 0 : 1);
    }

    private void report(String name, boolean pass, String detail) {
        if (!pass) {
            failed++;
        }
        out.println("CHECK " + name + " | " + (pass ? "PASS" : "FAIL") + " | " + detail.replace('\n', ' '));
        out.flush();
    }

    private interface Check {
        String run() throws Exception;
    }

    /** Runs one check; its result line says why it failed, exceptions included. */
    private void check(String name, Check c) {
        long t0 = System.nanoTime();
        try {
            String detail = c.run();
            report(name, !detail.startsWith("FAIL:"), detail.replaceFirst("^FAIL: ", "") + String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - t0) / 1e9));
        } catch (Throwable e) {
            report(name, false, "threw " + e);
        }
    }

    private static <T extends KernelProvider<?, ?, ?>> List<T> providers(Class<T> type) {
        List<T> ps = new ArrayList<>();
        for (KernelProvider<?, ?, ?> p : KernelRegistry.all()) {
            if (type.isInstance(p) && DeviceGlues.find(DeviceGlue.class, p.generatedClass(), DeviceChecks.class.getClassLoader()) != null) {
                ps.add(type.cast(p));
            }
        }
        ps.sort(Comparator.comparing(KernelProvider::generatedClass));
        return ps;
    }

    // ------------------------------------------------------------------ linear attention

    /** Every F32 layer with glue: 8 chunks of 16 tokens through the device, against the layer's own forward. */
    private void attention() {
        for (LinearAttentionProvider p : providers(LinearAttentionProvider.class)) {
            if (p.spec().precision() != Precision.F32) {
                continue;
            }
            check("attention " + shortName(p), () -> attention(p));
            check("attention streams " + shortName(p), () -> attentionStreams(p));
        }
    }

    /** Streams stepped together on the device ({@code FooTornadoStreams}). */
    static final int STREAMS = 5;

    /**
     * {@value #STREAMS} streams at different positions, 16 batched steps on the device against the layer's
     * own {@code stepBatch}: every output, then every stream's state and counters.
     */
    private static String attentionStreams(LinearAttentionProvider p) {
        LinearAttentionLayer layer = p.create(AttentionWeights.seeded(p.spec()));
        int d = p.spec().width();
        AttentionState[] jvm = new AttentionState[STREAMS];
        AttentionState[] dev = new AttentionState[STREAMS];
        float[] x = new float[d];
        for (int b = 0; b < STREAMS; b++) {
            jvm[b] = layer.newState();
            dev[b] = layer.newState();
            for (int t = 0; t < 2 * b; t++) { // stream b starts at position 2b: level masks differ
                for (int i = 0; i < d; i++) {
                    x[i] = (float) Math.cos(0.29 * (t + 3 * b) + 0.13 * i);
                }
                layer.step(jvm[b], x, new float[d]);
                layer.step(dev[b], x, new float[d]);
            }
        }
        double worst = 0;
        try (StreamsRunner r = LinearAttentionRunners.openStreams(layer, dev, Backend.TORNADOVM)) {
            float[][] xs = new float[STREAMS][d];
            float[][] want = new float[STREAMS][d];
            float[] flat = new float[STREAMS * d];
            float[] got = new float[STREAMS * d];
            for (int step = 0; step < 16; step++) {
                for (int b = 0; b < STREAMS; b++) {
                    for (int i = 0; i < d; i++) {
                        xs[b][i] = (float) Math.sin(0.37 * (step + 5 * b) + 0.11 * i);
                    }
                    System.arraycopy(xs[b], 0, flat, b * d, d);
                }
                layer.stepBatch(jvm, xs, want);
                r.step(flat, got);
                float[] wantFlat = new float[STREAMS * d];
                for (int b = 0; b < STREAMS; b++) {
                    System.arraycopy(want[b], 0, wantFlat, b * d, d);
                }
                worst = Math.max(worst, Compare.relative(wantFlat, got));
            }
            r.syncStates();
        }
        double state = 0;
        boolean counters = true;
        for (int b = 0; b < STREAMS; b++) {
            state = Math.max(state, Compare.relative(jvm[b].f32(), dev[b].f32()));
            counters &= jvm[b].tokens() == dev[b].tokens() && jvm[b].levelMask() == dev[b].levelMask();
        }
        boolean pass = worst <= ATTENTION_TOLERANCE && state <= ATTENTION_TOLERANCE && counters;
        return (pass ? "" : "FAIL: ") + String.format(Locale.ROOT, "%s: %d streams x 16 batched steps, outputs max rel %.2e, states max rel %.2e, "
                + "counters %s (tolerance %.0e)", layer.implementation(), STREAMS, worst, state, counters ? "equal" : "DIFFER", ATTENTION_TOLERANCE);
    }

    private static String attention(LinearAttentionProvider p) {
        LinearAttentionLayer layer = p.create(AttentionWeights.seeded(p.spec()));
        int d = p.spec().width();
        int tokens = 16;
        AttentionState jvm = layer.newState();
        AttentionState dev = layer.newState();
        double worst = 0;
        try (SequenceRunner r = LinearAttentionRunners.open(layer, dev, tokens, Backend.TORNADOVM)) {
            float[] xs = new float[tokens * d];
            float[] want = new float[xs.length];
            float[] got = new float[xs.length];
            for (int chunk = 0; chunk < 8; chunk++) {
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) Math.sin(0.37 * (chunk * tokens + i / d) + 0.11 * (i % d));
                }
                layer.forward(jvm, xs, tokens, want);
                r.run(xs, got);
                worst = Math.max(worst, Compare.relative(want, got));
            }
            r.syncState();
        }
        double state = Compare.relative(jvm.f32(), dev.f32());
        boolean counters = jvm.tokens() == dev.tokens() && jvm.levelMask() == dev.levelMask();
        boolean pass = worst <= ATTENTION_TOLERANCE && state <= ATTENTION_TOLERANCE && counters;
        return (pass ? "" : "FAIL: ") + String.format(Locale.ROOT, "%s: 128 tokens in 8 chunks, outputs max rel %.2e, state max rel %.2e, "
                + "tokens %d/%d, level mask %d/%d (tolerance %.0e)", layer.implementation(), worst, state, jvm.tokens(), dev.tokens(),
                jvm.levelMask(), dev.levelMask(), ATTENTION_TOLERANCE);
    }

    // ------------------------------------------------------------------ TRM

    /**
     * Every TRM with glue, network weights scaled by 0.5 (the seed's well-conditioned golden setting: with
     * seeded weights the 21-call recursion amplifies rounding differences between any two correct
     * implementations): supervision steps and the carry, then ACT on the device against the JVM's. The
     * seed-size model runs one step: even at scale 0.5 its second step turns the JVM's own scalar and SIMD
     * flavours 7e-4 apart, so a device check there measures the recursion, not the device.
     */
    private void trm() {
        for (TrmProvider p : providers(TrmProvider.class)) {
            check("trm " + shortName(p), () -> trm(p));
        }
    }

    private static String trm(TrmProvider p) {
        TrmModel model = p.create(TrmWeights.seeded(p.spec()).scaleNetwork(0.5f));
        boolean seedSize = p.spec().hidden() >= 256;
        int batch = seedSize ? 1 : 3;
        int steps = seedSize ? 1 : 2;
        int[] tokens = new int[batch * p.spec().context()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1 + (i * 7 + 3) % (p.spec().vocab() - 1);
        }
        double logits = 0;
        double halt = 0;
        double carry;
        try (TrmRunner dev = TrmRunners.open(model, batch, Backend.TORNADOVM); TrmRunner jvm = TrmRunners.open(model, batch, Backend.JVM)) {
            for (int s = 0; s < steps; s++) {
                TrmStep want = jvm.step(tokens);
                TrmStep got = dev.step(tokens);
                logits = Math.max(logits, Compare.relative(want.logits(), got.logits()));
                halt = Math.max(halt, Compare.relative(want.halt(), got.halt()));
            }
            TrmCarry cw = jvm.carry();
            TrmCarry cg = dev.carry();
            carry = Math.max(Compare.relative(cw.y(), cg.y()), Compare.relative(cw.z(), cg.z()));
            boolean stepsPass = logits <= TRM_TOLERANCE && halt <= TRM_TOLERANCE && carry <= TRM_TOLERANCE;
            String result = String.format(Locale.ROOT, "%s, batch %d: %d supervision step(s), logits max rel %.2e, halt max rel %.2e, carry max rel %.2e",
                    model.implementation(), batch, steps, logits, halt, carry);
            if (batch > 1) {
                TrmResult want = model.solve(tokens, batch, false);
                TrmResult got = dev.solve(tokens, false);
                boolean same = Arrays.equals(want.predictions(), got.predictions()) && Arrays.equals(want.steps(), got.steps());
                result += "; ACT on the device: predictions and steps " + (same ? "identical" : "DIFFER") + " (steps " + Arrays.toString(got.steps()) + ")";
                stepsPass &= same;
            }
            return (stepsPass ? "" : "FAIL: ") + result + String.format(Locale.ROOT, " (tolerance %.0e)", TRM_TOLERANCE);
        }
    }

    // ------------------------------------------------------------------ transformer

    /**
     * Every decoder with glue, on stories260K: 64 greedy tokens from BOS and their logits against the JVM,
     * plain and under each recurrent-pass mode, then the GPU-shaped kernels against the loop kernels; a
     * decoder of another shape (SplitLm) on seeded weights, plain and GPU-shaped; a 100-token prompt, which the
     * device runs in blocks and the JVM with its GEMM prefill.
     */
    private void transformer() {
        java.util.Optional<java.nio.file.Path> bin = DataFiles.find("models/stories260K/stories260K.bin");
        if (bin.isEmpty()) {
            report("transformer", false, DataFiles.missing("models/stories260K/stories260K.bin"));
            return;
        }
        Llama2c.Checkpoint c = Llama2c.load(bin.get());
        float[] v = new float[c.spec().width()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(0.3 * i);
        }
        for (TransformerProvider p : providers(TransformerProvider.class)) {
            if (!p.spec().withoutBlock().withRope(c.spec().rope()).equals(c.spec())) {
                // no checkpoint of its shape (SplitLm: partial panels, uneven heads): seeded weights, its plain forward and the GPU-shaped kernels
                TransformerModel model = p.create(TransformerWeights.seeded(p.spec().withoutBlock()));
                check("transformer " + shortName(p) + " plain (seeded weights)", () -> generate(model, null));
                check("transformer " + shortName(p) + " gpu-shaped kernels (seeded weights)", () -> gpuShaped(model));
                check("transformer " + shortName(p) + " 40 sequences (seeded weights)", () -> sequences(model));
                continue;
            }
            TransformerWeights w = p.spec().rope() == RopeLayout.HALF_SPLIT ? c.weights().withRope(RopeLayout.HALF_SPLIT) : c.weights();
            TransformerModel model = p.create(w);
            RecurrentPassSpec own = p.spec().block() == null ? null : RecurrentPassSpec.of(p.spec().block());
            check("transformer " + shortName(p) + (own == null ? " plain" : " " + own), () -> generate(model, own));
            check("transformer " + shortName(p) + " 100-token prompt in blocks" + (own == null ? "" : ", " + own), () -> longPrompt(model, own));
            check("transformer " + shortName(p) + " 40 sequences", () -> sequences(model));
            if (own == null && p.spec().rope() == RopeLayout.INTERLEAVED) {
                check("transformer " + shortName(p) + " feedback", () -> generate(model, RecurrentPassSpec.noFeedback(1, 3).addFeedback(3, v, 1f)));
                check("transformer " + shortName(p) + " sustained", () -> generate(model,
                        RecurrentPassSpec.noFeedback(1, 3).addFeedback(3, v, 1f).withSustained(true)));
                check("transformer " + shortName(p) + " gpu-shaped kernels", () -> gpuShaped(model));
            }
        }
    }

    private static final int[] PROMPT = {1, 403, 407, 261, 378};

    /** Greedy tokens after {@link #PROMPT}, or after BOS and the next four ids for a vocabulary it does not fit, within maxSeq. */
    private static Generation greedy(TransformerModel model, RecurrentPassSpec rp) {
        int[] prompt = model.spec().vocab() > 403 ? PROMPT : new int[] {1, 2, 3, 4, 5};
        return new Generation(prompt, Math.min(TOKENS, model.spec().maxSeq() - prompt.length - 1), Sampler.greedy(), rp, Set.of(), null, true);
    }

    private static String generate(TransformerModel model, RecurrentPassSpec rp) {
        GenerationResult want = new CachedGenerator(model, Backend.JVM).generate(greedy(model, rp));
        GenerationResult got = new CachedGenerator(model, Backend.TORNADOVM).generate(greedy(model, rp));
        return compareGenerations(want, got, model.implementation() + ", " + got.mode());
    }

    /** A prompt of 100 tokens (blocks of 32, 32, 32 and 4 on the device) and 64 greedy tokens after it, against the JVM's prefill. */
    private static String longPrompt(TransformerModel model, RecurrentPassSpec rp) {
        GenerationResult want = new CachedGenerator(model, Backend.JVM).generate(longGeneration(model, rp));
        GenerationResult got = new CachedGenerator(model, Backend.TORNADOVM).generate(longGeneration(model, rp));
        return compareGenerations(want, got, model.implementation() + ", " + got.mode() + ", prompt of " + (got.tokens().length - got.generated()));
    }

    /**
     * 40 sequences stepped together (device blocks of 32 and 8), each from its own prompt, with the
     * descriptor's recurrent block if any: 24 steps, every third sequence repeating its first position
     * twice, every sequence's logits against the JVM's {@code forwardTokens}, and each sequence's greedy
     * choice the same unless the JVM's two candidates lie within the tolerance of each other (a near tie,
     * counted and reported); both runners are fed the JVM's choices.
     */
    private static String sequences(TransformerModel model) {
        int n = 40;
        int vocab = model.spec().vocab();
        int steps = Math.min(24, model.spec().maxSeq());
        double worst = 0;
        int differ = 0;
        int ties = 0;
        try (BatchDecodeRunner jvm = TransformerRunners.openBatch(model, n, Backend.JVM);
                BatchDecodeRunner dev = TransformerRunners.openBatch(model, n, Backend.TORNADOVM)) {
            int[] tokens = new int[n];
            int[] ran = new int[n];
            for (int q = 0; q < n; q++) {
                tokens[q] = 1 + (q * 37) % (vocab - 1);
            }
            float[][] want = new float[n][vocab];
            float[][] got = new float[n][vocab];
            for (int t = 0; t < steps; t++) {
                int[] positions = new int[n];
                for (int q = 0; q < n; q++) {
                    positions[q] = q % 3 == 0 && t < 2 ? 0 : ran[q];
                    ran[q] = Math.max(ran[q], positions[q] + 1);
                }
                jvm.next(tokens, positions, want);
                dev.next(tokens, positions, got);
                for (int q = 0; q < n; q++) {
                    worst = Math.max(worst, Compare.relative(want[q], got[q]));
                    int a = Sampler.greedy().sample(want[q]);
                    int b = Sampler.greedy().sample(got[q]);
                    if (a != b) {
                        boolean tie = want[q][a] - want[q][b] <= TRANSFORMER_TOLERANCE * Math.abs(want[q][a]);
                        ties += tie ? 1 : 0;
                        differ += tie ? 0 : 1;
                    }
                    tokens[q] = a;
                }
            }
        }
        boolean pass = differ == 0 && worst <= TRANSFORMER_TOLERANCE;
        return (pass ? "" : "FAIL: ") + String.format(Locale.ROOT, "%s: %d sequences x %d steps against the JVM's batched step, greedy choices %s%s,"
                + " logits max rel %.2e (tolerance %.0e)", model.implementation(), n, steps, differ == 0 ? "identical" : differ + " DIFFER",
                ties == 0 ? "" : " (" + ties + " near ties)", worst, TRANSFORMER_TOLERANCE);
    }

    /** Greedy tokens after a prompt of 100 tokens (at most half of maxSeq), BOS then ids spread over the vocabulary. */
    private static Generation longGeneration(TransformerModel model, RecurrentPassSpec rp) {
        int[] prompt = new int[Math.min(100, model.spec().maxSeq() / 2)];
        prompt[0] = 1;
        for (int i = 1; i < prompt.length; i++) {
            prompt[i] = 2 + (i * 37) % (model.spec().vocab() - 2);
        }
        return new Generation(prompt, Math.min(TOKENS, model.spec().maxSeq() - prompt.length - 1), Sampler.greedy(), rp, Set.of(), null, true);
    }

    private static String compareGenerations(GenerationResult want, GenerationResult got, String what) {
        double worst = 0;
        for (int i = 0; i < Math.min(want.logits().size(), got.logits().size()); i++) {
            worst = Math.max(worst, Compare.relative(want.logits().get(i), got.logits().get(i)));
        }
        boolean same = Arrays.equals(want.tokens(), got.tokens());
        boolean pass = same && worst <= TRANSFORMER_TOLERANCE;
        return (pass ? "" : "FAIL: ") + String.format(Locale.ROOT, "%s: %d greedy tokens %s, logits max rel %.2e (tolerance %.0e)", what,
                got.generated(), same ? "identical" : "DIFFER (" + firstDifference(want.tokens(), got.tokens()) + ")", worst, TRANSFORMER_TOLERANCE);
    }

    private static String firstDifference(int[] a, int[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return "first at position " + i + ": " + a[i] + " vs " + b[i];
            }
        }
        return "lengths " + a.length + " and " + b.length;
    }

    /**
     * The work-group kernels (one row per work-group, local-memory reduction) against the loop kernels, both on the device,
     * after a long prompt (the work-group kernels loop over a block's tokens).
     */
    private static String gpuShaped(TransformerModel model) {
        GenerationResult loops = new CachedGenerator(model, Backend.TORNADOVM).generate(longGeneration(model, null));
        String before = System.getProperty(KernelShape.PROPERTY);
        System.setProperty(KernelShape.PROPERTY, "gpu");
        try {
            GenerationResult gpu = new CachedGenerator(model, Backend.TORNADOVM).generate(longGeneration(model, null));
            return compareGenerations(loops, gpu, "work-group kernels against the loop kernels");
        } finally {
            if (before == null) {
                System.clearProperty(KernelShape.PROPERTY);
            } else {
                System.setProperty(KernelShape.PROPERTY, before);
            }
        }
    }

    // ------------------------------------------------------------------ errors

    /** A kernel TornadoVM cannot compile fails loudly, naming the kernel; nothing falls back to Java. */
    private void errors() {
        check("errors: an uncompilable kernel is reported", () -> {
            try {
                // compiled against the real tornado-api by the device test, so found by name
                DeviceGlues.open(() -> "dev.unroll.tornadovm.devices.Broken", DeviceChecks::brokenGlue).close();
                return "FAIL: the broken kernel compiled and ran";
            } catch (UnrollException e) {
                boolean names = e.getMessage().contains("stringsOnTheDevice");
                return (names ? "" : "FAIL: ") + "UnrollException: " + e.getMessage();
            }
        });
    }

    private static AutoCloseable brokenGlue() {
        try {
            return (AutoCloseable) Class.forName("dev.unroll.tornadovm.devices.BrokenTornado").getConstructor(int.class, int.class).newInstance(-1, -1);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortName(KernelProvider<?, ?, ?> p) {
        String g = p.generatedClass();
        return g.substring(g.lastIndexOf('.') + 1);
    }
}
