package dev.unroll.cli.verify;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies TRM golden files with the generated model for the descriptor (or the generic engine):
 * <ul>
 *   <li>{@code input.tokens [B][context]}: one supervision step from the initial carry, compared
 *       with {@code expected.logits}, {@code expected.halt}, {@code expected.y}, {@code expected.z}
 *       (those present);
 *   <li>{@code input.network [B][L][H]}: one network call, compared with {@code expected.network}.
 * </ul>
 * Default tolerance: scaled error 1e-4 (f32).
 */
public final class TrmVerifier implements Verifier {
    /** Family name in golden metadata. */
    public static final String FAMILY = "trm";

    private final boolean generic;

    /** @param generic force the generic engine */
    public TrmVerifier(boolean generic) {
        this.generic = generic;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public VerifyReport verify(GoldenFile golden, Progress progress) {
        dev.unroll.runtime.internal.Checks.notNull("TrmVerifier.verify: golden", golden);
        dev.unroll.runtime.internal.Checks.notNull("TrmVerifier.verify: progress", progress);
        golden.readsOnly(java.util.List.of("input.tokens", "input.network", "expected.logits", "expected.halt", "expected.y", "expected.z",
                "expected.network", CALLS));
        TrmSpec spec = TrmSpec.fromJson(golden.specJson());
        dev.unroll.annotations.WeightFormat format = golden.weightFormat();
        TrmWeights w = TrmWeights.load(spec, golden.weights());
        Optional<TrmProvider> p = generic ? Optional.empty() : KernelRegistry.trm(spec, format);
        if (p.isEmpty() && format != dev.unroll.annotations.WeightFormat.F32) {
            throw new UnrollException(golden.file().source() + ": weights " + format + ": no generated model of " + spec.describe() + " stores its "
                    + "matrices as " + format + " on the class path (annotate one with weights = WeightFormat." + format + ")");
        }
        TrmModel model = p.isPresent() ? p.get().create(w) : new GenericTrm(w);
        String subject = model.implementation() + (p.isEmpty() && !generic ? " (no generated model for this descriptor on the class path)" : "")
                + golden.describe(spec.describe());
        SafetensorsFile f = golden.file();
        Tolerance def = new Tolerance(0, 1e-4);
        List<Comparison> out = new ArrayList<>();
        int lh = spec.sequence() * spec.hidden();
        if (f.contains("input.tokens")) {
            int[] tokens = f.ints("input.tokens");
            if (tokens.length == 0 || tokens.length % spec.context() != 0) {
                throw new UnrollException(f.source() + ": input.tokens has " + tokens.length + " tokens, not a positive multiple of context "
                        + spec.context());
            }
            int batch = tokens.length / spec.context();
            progress.update("verify " + f.source() + ": one supervision step", 0, 1);
            TrmCarry c = model.initialCarry(batch);
            TrmStep s = model.step(tokens, c);
            progress.update("verify " + f.source() + ": one supervision step", 1, 1);
            compare(out, golden, "expected.logits", s.logits(), def);
            compare(out, golden, "expected.halt", s.halt(), def);
            compare(out, golden, "expected.y", c.y(), def);
            compare(out, golden, "expected.z", c.z(), def);
        }
        List<String> notes = new ArrayList<>();
        if (f.contains("input.network")) {
            float[] in = f.floats("input.network");
            if (in.length == 0 || in.length % lh != 0) {
                throw new UnrollException(f.source() + ": input.network has " + in.length + " values, not a multiple of L * H = " + lh);
            }
            int rows = in.length / lh;
            int[] calls = f.contains(CALLS) ? calls(f, rows) : null;
            float[] o = new float[in.length];
            model.network(in, rows, o);
            if (calls == null) {
                compare(out, golden, "expected.network", o, def);
            } else if (f.contains("expected.network")) {
                perCall(out, notes, golden, calls, o, lh, def);
            }
        }
        if (out.isEmpty()) {
            throw new UnrollException(f.source() + ": a trm golden file needs input.tokens or input.network and an expected.* tensor");
        }
        return new VerifyReport(f.source(), subject, out, notes);
    }

    /** The rows of each teacher-forced call, in order ({@code golden trm-trace} writes them). */
    public static final String CALLS = "expected.network.calls";

    private static int[] calls(SafetensorsFile f, int rows) {
        int[] calls = f.ints(CALLS);
        long sum = 0;
        for (int i = 0; i < calls.length; i++) {
            if (calls[i] < 1) {
                throw new UnrollException(f.source() + ": " + CALLS + "[" + i + "] = " + calls[i] + ": every call has at least one row");
            }
            sum += calls[i];
        }
        if (calls.length == 0 || sum != rows) {
            throw new UnrollException(f.source() + ": " + CALLS + " gives " + calls.length + " calls of " + sum + " rows in all; input.network has "
                    + rows);
        }
        return calls;
    }

    /** One comparison per call, then the worst one named. */
    private static void perCall(List<Comparison> out, List<String> notes, GoldenFile g, int[] calls, float[] actual, int lh, Tolerance def) {
        double[] expected = g.file().doubles("expected.network");
        if (expected.length != actual.length) {
            throw new UnrollException(g.file().source() + ": expected.network holds " + expected.length + " values; input.network's calls give "
                    + actual.length);
        }
        Tolerance t = g.tolerance("expected.network");
        Comparison worst = null;
        int at = 0;
        for (int c = 0; c < calls.length; c++) {
            int n = calls[c] * lh;
            double[] e = java.util.Arrays.copyOfRange(expected, at, at + n);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = actual[at + i];
            }
            Comparison cmp = Comparison.of(String.format(java.util.Locale.ROOT, "expected.network call %02d", c + 1), e, a, t == null ? def : t);
            out.add(cmp);
            if (worst == null || cmp.maxAbs() > worst.maxAbs()) {
                worst = cmp;
            }
            at += n;
        }
        notes.add(String.format(java.util.Locale.ROOT, "worst of %d calls: %s, max abs %.3e, max rel %.3e", calls.length,
                worst.name().substring("expected.network ".length()), worst.maxAbs(), worst.maxRel()));
    }

    private static void compare(List<Comparison> out, GoldenFile g, String name, float[] actual, Tolerance def) {
        if (!g.file().contains(name)) {
            return;
        }
        double[] a = new double[actual.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = actual[i];
        }
        Tolerance t = g.tolerance(name);
        out.add(Comparison.of(name, g.file().doubles(name), a, t == null ? def : t));
    }
}
