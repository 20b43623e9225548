package dev.unroll.cli.verify;

import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.weights.TensorSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies linear-attention golden files: feeds {@code input.x} token by token through the
 * generated layer for the descriptor (or the generic engine when none is on the class path) and
 * compares the step outputs ({@code expected.y}), the pre-update readouts
 * ({@code expected.query}), and the states after the first and the last token.
 */
public final class AttentionVerifier implements Verifier {
    /** Family name in golden metadata. */
    public static final String FAMILY = "linear-attention";

    private final boolean generic;

    /** @param generic force the generic engine even when a generated kernel exists */
    public AttentionVerifier(boolean generic) {
        this.generic = generic;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public VerifyReport verify(GoldenFile golden, Progress progress) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionVerifier.verify: golden", golden);
        dev.unroll.runtime.internal.Checks.notNull("AttentionVerifier.verify: progress", progress);
        golden.readsOnly(List.of("input.x", "expected.y", "expected.y.index", "expected.query", "expected.query.index", "expected.state_after_first",
                "expected.final_state"));
        AttentionSpec spec = AttentionSpec.fromJson(golden.specJson());
        TensorSource src = TensorSource.of(golden.file());
        Map<String, double[]> expected = new LinkedHashMap<>();
        for (String name : List.of("expected.y", "expected.query", "expected.state_after_first", "expected.final_state")) {
            if (golden.file().contains(name)) {
                expected.put(name, src.doubles(name));
            }
        }
        if (expected.isEmpty()) {
            // before the weights load: a file with nothing to check is bad input, whatever else it holds
            throw new UnrollException(golden.file().source() + ": no expected.* tensor (expected.y, expected.query, "
                    + "expected.state_after_first or expected.final_state): nothing to verify");
        }
        Map<String, int[]> index = new LinkedHashMap<>();
        for (String name : List.of("expected.y", "expected.query")) {
            Rows.index(golden, name).ifPresent(ix -> index.put(name, ix));
        }
        return run(golden.file().source(), spec, golden.weightFormat(), golden.weights(), src.doubles("input.x"), expected, index, golden::tolerance,
                progress, golden.describe(spec.describe()));
    }

    /**
     * Verifies a reference JSON golden file directly.
     *
     * @param g the parsed file
     * @param progress progress reporter
     * @return the report
     */
    public VerifyReport verify(ReferenceGolden g, Progress progress) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionVerifier.verify: g", g);
        dev.unroll.runtime.internal.Checks.notNull("AttentionVerifier.verify: progress", progress);
        Map<String, double[]> expected = new LinkedHashMap<>();
        expected.put("expected.y", g.outputs());
        Map<String, int[]> index = g.outputTokens() == null ? Map.of() : Map.of("expected.y", g.outputTokens());
        if (g.queryState() != null) {
            expected.put("expected.query", g.queryState());
        }
        if (g.stateAfterFirst() != null) {
            expected.put("expected.state_after_first", g.stateAfterFirst());
        }
        expected.put("expected.final_state", g.finalState());
        return run(g.source(), g.spec(), WeightFormat.F32, g.weights(), g.inputs(), expected, index, n -> null, progress,
                "\n  descriptor " + g.spec().describe());
    }

    /** The tolerance when the file states none: the manifest's 1e-12 at f64, 1e-5 at f32. */
    static Tolerance defaultTolerance(Precision p) {
        return p == Precision.F64 ? new Tolerance(0, 1e-12) : new Tolerance(0, 1e-5);
    }

    private VerifyReport run(String file, AttentionSpec spec, WeightFormat format, TensorSource weightSource, double[] xs, Map<String, double[]> expected,
            Map<String, int[]> index, java.util.function.Function<String, Tolerance> tolerances, Progress progress, String described) {
        AttentionWeights weights = AttentionWeights.load(spec, weightSource);
        LinearAttentionLayer layer;
        Optional<LinearAttentionProvider> p = generic ? Optional.empty() : KernelRegistry.linearAttention(spec, format);
        if (p.isEmpty() && format != WeightFormat.F32) {
            // a compact model is what the file asks for: the generic engine on F32 weights would check something else
            throw new UnrollException(file + ": weights " + format + ": no generated layer of " + spec.describe() + " stores its matrices as "
                    + format + " on the class path (annotate one with weights = WeightFormat." + format + ")");
        }
        // never a silent precision downgrade: an F64 file checked by an F32 kernel would pass at F32 tolerance
        boolean lower = p.isPresent() && spec.precision() == Precision.F64 && p.get().spec().precision() != Precision.F64;
        String why = "";
        if (lower) {
            why = " at F64 (the generated kernel on the class path is " + p.get().spec().precision() + " only; annotate the descriptor with "
                    + "precision = Precision.F64 to check a generated F64 kernel)";
            p = Optional.empty();
        } else if (p.isEmpty() && !generic) {
            why = " (no generated kernel for this descriptor on the class path)";
        }
        layer = p.isPresent() ? p.get().create(weights, Flavour.choose(p.get().simdGenerated())) : new GenericLinearAttention(weights);
        String subject = layer.implementation() + why + described;
        int d = spec.width();
        if (xs.length % d != 0) {
            throw new UnrollException(file + ": input.x has " + xs.length + " values, not a multiple of width " + d);
        }
        int tokens = xs.length / d;
        if (tokens == 0) {
            throw new UnrollException(file + ": input.x holds no token: nothing to verify");
        }
        if (expected.isEmpty()) {
            throw new UnrollException(file + ": no expected.* tensor (expected.y, expected.query, expected.state_after_first or "
                    + "expected.final_state): nothing to verify");
        }
        for (Map.Entry<String, int[]> e : index.entrySet()) {
            Rows.check(file, e.getKey(), e.getValue(), tokens);
        }
        AttentionState s = layer.newState();
        double[] ys = new double[tokens * d];
        double[] qs = new double[tokens * d];
        double[] first = null;
        double[] x = new double[d];
        double[] y = new double[d];
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(xs, t * d, x, 0, d);
            layer.query(s, x, y);
            System.arraycopy(y, 0, qs, t * d, d);
            layer.step(s, x, y);
            System.arraycopy(y, 0, ys, t * d, d);
            if (t == 0) {
                first = s.values();
            }
            progress.update("verify " + file, t + 1, tokens);
        }
        Tolerance def = defaultTolerance(layer.spec().precision());
        List<Comparison> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            double[] actual = switch (e.getKey()) {
                case "expected.y" -> ys;
                case "expected.query" -> qs;
                case "expected.state_after_first" -> first;
                default -> s.values();
            };
            if (index.containsKey(e.getKey())) {
                actual = Rows.select(file, e.getKey(), actual, d, index.get(e.getKey()));
            }
            Tolerance tol = tolerances.apply(e.getKey());
            out.add(Comparison.of(e.getKey(), e.getValue(), actual, tol == null ? def : tol));
        }
        return new VerifyReport(file, subject, out);
    }

    /**
     * Converts a reference JSON golden file to Unroll's golden format, weights in F64.
     *
     * @param g the reference file
     * @param tolerance stated tolerance (null: the defaults by kernel precision)
     * @return a writer holding the golden file
     */
    public static SafetensorsWriter toGoldenFile(ReferenceGolden g, Tolerance tolerance) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionVerifier.toGoldenFile: g", g);
        SafetensorsWriter w = new SafetensorsWriter()
                .metadata(GoldenFile.FORMAT, "1")
                .metadata(GoldenFile.FAMILY, FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(g.spec().toJson()))
                .metadata(GoldenFile.SOURCE, "converted from " + g.source());
        if (tolerance != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("default", Map.of("abs", tolerance.abs(), "rel", tolerance.rel()));
            w.metadata(GoldenFile.TOLERANCE, Json.write(t));
        }
        AttentionWeights.load(g.spec(), g.weights()).writeTo(w, DType.F64, "");
        int d = g.spec().width();
        w.add("input.x", DType.F64, new long[] {g.tokens(), d}, g.inputs());
        int rows = g.outputTokens() == null ? g.tokens() : g.outputTokens().length;
        w.add("expected.y", DType.F64, new long[] {rows, d}, g.outputs());
        if (g.outputTokens() != null) {
            w.add("expected.y.index", DType.I32, new long[] {rows}, g.outputTokens());
        }
        if (g.queryState() != null) {
            w.add("expected.query", DType.F64, new long[] {g.tokens(), d}, g.queryState());
        }
        if (g.stateAfterFirst() != null) {
            w.add("expected.state_after_first", DType.F64, new long[] {g.stateAfterFirst().length}, g.stateAfterFirst());
        }
        w.add("expected.final_state", DType.F64, new long[] {g.finalState().length}, g.finalState());
        return w;
    }
}
