package dev.unroll.cli.golden;

import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.TrmVerifier;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What PyTorch saved of one TRM supervision step, as one golden file; either part, or both:
 * <ul>
 *   <li><b>a trace of the network calls</b>: {@code trace.x_embed} {@code [B][L][H]} and each call's
 *       output {@code trace.callNN.out} (01, 02, …, in call order). Each call's input is rebuilt from
 *       the recursion (z-updates {@code (x + y) + z}, then the y-update {@code y + z}, from
 *       {@code y_init} and {@code z_init}); the calls go into the file as rows of
 *       {@code input.network} and {@code expected.network}, with {@code expected.network.calls} (the
 *       rows of each call), so that {@code verify} teacher-forces every call and reports each;
 *   <li><b>the step end to end</b>: {@code input.tokens} {@code [B][context]} and the step's results
 *       from the initial carry, {@code output.y_hat} (or {@code output.logits}), {@code output.q_hat}
 *       (or {@code output.halt}), {@code output.y}, {@code output.z}: written as {@code input.tokens}
 *       and {@code expected.logits}, {@code halt}, {@code y}, {@code z}.
 * </ul>
 * The model's parameters come under their state_dict names from the same file, or from another
 * ({@code weights}). The seed exporter's intermediates ({@code trace.netN.*}, {@code trace.lrN.*}),
 * {@code input.labels}, {@code extra.*} and {@code f64.*} are known and not read; any other tensor is
 * an error.
 */
public final class TrmTrace {
    /** The seed exporter's intermediates inside a call ({@code trace.net1.layer0.mixer_out}) or a recursion ({@code trace.lr1.y}). */
    private static final Pattern INTERMEDIATE = Pattern.compile("trace\\.(net|lr)[0-9]+\\..+");
    /** End-to-end results: the seed exporter's names and the plain ones, to the golden file's. */
    private static final Map<String, String> OUTPUTS = Map.of("output.y_hat", "expected.logits", "output.logits", "expected.logits",
            "output.q_hat", "expected.halt", "output.halt", "expected.halt", "output.y", "expected.y", "output.z", "expected.z");

    private TrmTrace() {}

    /** Which of a file's parts to convert. */
    public enum Part {
        /** the teacher-forced network calls */
        CALLS,
        /** the supervision step end to end */
        STEP,
        /** whatever the file holds */
        ALL
    }

    /**
     * @param trace the trace (and the weights, when {@code weights} is null)
     * @param weights another file holding the weights, or null
     * @param spec the model's descriptor
     * @param abs absolute tolerance of the network calls, or NaN for verify's default
     * @param part which part to convert: a chaotic model's step end to end does not reproduce (its calls do)
     * @return the golden file, to write
     */
    public static SafetensorsWriter convert(SafetensorsFile trace, SafetensorsFile weights, TrmSpec spec, double abs, Part part) {
        Checks.notNull("TrmTrace.convert: part", part);
        Checks.notNull("TrmTrace.convert: trace", trace);
        Checks.notNull("TrmTrace.convert: spec", spec);
        TrmWeights w = TrmWeights.load(spec, TensorSource.of(weights == null ? trace : weights).filter(TrmTrace::isParameter));
        int calls = 0;
        while (trace.contains(call(calls + 1))) {
            calls++;
        }
        List<String> ends = new ArrayList<>();
        for (String name : trace.names()) {
            if (OUTPUTS.containsKey(name)) {
                ends.add(name);
            } else if (name.startsWith("trace.") && !name.equals("trace.x_embed") && !isCall(name, calls) && !INTERMEDIATE.matcher(name).matches()
                    || name.startsWith("output.") || name.startsWith("expected.")
                    || name.startsWith("input.") && !name.equals("input.tokens") && !name.equals("input.labels")
                    || weights != null && isParameter(name)) {
                throw new UnrollException(trace.source() + ": tensor '" + name + "' is not part of what this converter reads: trace.x_embed and "
                        + "trace.call01.out, .call02.out, ... without gaps; input.tokens with output.y_hat (or output.logits), output.q_hat (or "
                        + "output.halt), output.y, output.z; " + (weights == null ? "the model's parameters" : "no parameters (they come from "
                        + weights.source() + ")") + "; trace.netN.*, trace.lrN.*, input.labels, extra.* and f64.* are not read");
            }
        }
        if (part == Part.CALLS && calls == 0 || part == Part.STEP && ends.isEmpty()) {
            throw new UnrollException(trace.source() + ": no " + (part == Part.CALLS ? "trace of network calls (trace.call01.out, ...)"
                    : "step's results (output.y_hat, output.q_hat, output.y, output.z)") + " to convert");
        }
        if (part == Part.CALLS) {
            ends.clear();
        } else if (part == Part.STEP) {
            calls = 0;
        }
        if (calls == 0 && ends.isEmpty()) {
            throw new UnrollException(trace.source() + ": neither a trace of network calls (trace.call01.out, ...) nor a step's results (output.y_hat, "
                    + "output.q_hat, output.y, output.z): nothing to convert");
        }
        if (!ends.isEmpty() && !trace.contains("input.tokens")) {
            throw new UnrollException(trace.source() + ": " + ends + " without input.tokens: the step's results need the tokens it was fed");
        }
        SafetensorsWriter g = new SafetensorsWriter().metadata(GoldenFile.FORMAT, "1").metadata(GoldenFile.FAMILY, TrmVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(spec.toJson()))
                .metadata(GoldenFile.SOURCE, trace.source() + ": " + (calls > 0 ? calls + " network calls, teacher-forced" : "")
                        + (calls > 0 && !ends.isEmpty() ? "; " : "") + (ends.isEmpty() ? "" : "one supervision step end to end")
                        + (weights == null ? "" : "; weights from " + weights.source())
                        + (trace.metadata().containsKey("seed") ? "; the trace's seed " + trace.metadata().get("seed") : ""));
        if (!Double.isNaN(abs)) {
            Map<String, Object> tol = new LinkedHashMap<>();
            tol.put("expected.network", Map.of("abs", abs, "rel", 0.0));
            g.metadata(GoldenFile.TOLERANCE, Json.write(tol));
        }
        w.writeTo(g, "");
        if (calls > 0) {
            calls(trace, spec, w, calls, g);
        }
        if (!ends.isEmpty()) {
            endToEnd(trace, spec, ends, g);
        }
        return g;
    }

    private static void calls(SafetensorsFile trace, TrmSpec spec, TrmWeights w, int calls, SafetensorsWriter g) {
        int lh = spec.sequence() * spec.hidden();
        float[] x = trace.floats("trace.x_embed");
        if (x.length == 0 || x.length % lh != 0) {
            throw new UnrollException(trace.source() + ": trace.x_embed has " + x.length + " values, not a multiple of L * H = " + lh);
        }
        int batch = x.length / lh;
        int perCycle = spec.latentSteps() + 1;
        int n = Limits.arrayLength(trace.source() + ": " + calls + " calls of " + x.length + " values", calls, x.length);
        Limits.checkBudget(trace.source() + ": the inputs and outputs of " + calls + " calls", 8L * n);
        float[] in = new float[n];
        float[] out = new float[n];
        float[] yInit = broadcast(w.get("y_init"), batch * spec.sequence());
        float[] zInit = broadcast(w.get("z_init"), batch * spec.sequence());
        for (int k = 1; k <= calls; k++) {
            int cycle = (k - 1) / perCycle;
            int inCycle = (k - 1) % perCycle;
            float[] y = cycle == 0 ? yInit : output(trace, cycle * perCycle, x.length);
            float[] z = k == 1 ? zInit : output(trace, inCycle == 0 ? k - 2 : k - 1, x.length);
            int at = (k - 1) * x.length;
            for (int i = 0; i < x.length; i++) {
                in[at + i] = inCycle < spec.latentSteps() ? (x[i] + y[i]) + z[i] : y[i] + z[i];
            }
            System.arraycopy(output(trace, k, x.length), 0, out, at, x.length);
        }
        long[] shape = {(long) calls * batch, spec.sequence(), spec.hidden()};
        int[] rows = new int[calls];
        java.util.Arrays.fill(rows, batch);
        g.add("input.network", DType.F32, shape, in).add("expected.network", DType.F32, shape, out)
                .add("expected.network.calls", DType.I32, new long[] {calls}, rows);
    }

    private static void endToEnd(SafetensorsFile trace, TrmSpec spec, List<String> ends, SafetensorsWriter g) {
        int[] tokens = trace.ints("input.tokens");
        if (tokens.length == 0 || tokens.length % spec.context() != 0) {
            throw new UnrollException(trace.source() + ": input.tokens has " + tokens.length + " tokens, not a positive multiple of context "
                    + spec.context());
        }
        int batch = tokens.length / spec.context();
        g.add("input.tokens", DType.I32, new long[] {batch, spec.context()}, tokens);
        Map<String, String> written = new LinkedHashMap<>();
        for (String name : ends) {
            String to = OUTPUTS.get(name);
            String before = written.put(to, name);
            if (before != null) {
                throw new UnrollException(trace.source() + ": " + before + " and " + name + " are both " + to);
            }
            g.add(to, DType.F32, trace.info(name).shape(), trace.floats(name));
        }
    }

    static String call(int k) {
        return String.format("trace.call%02d.out", k);
    }

    private static boolean isCall(String name, int calls) {
        for (int k = 1; k <= calls; k++) {
            if (name.equals(call(k))) {
                return true;
            }
        }
        return false;
    }

    /** Call k's output: it has x_embed's shape, [B][L][H], or the trace is inconsistent. */
    private static float[] output(SafetensorsFile trace, int k, int values) {
        float[] o = trace.floats(call(k));
        if (o.length != values) {
            throw new UnrollException(trace.source() + ": " + call(k) + " has " + o.length + " values; trace.x_embed has " + values
                    + ": every network call's output has x_embed's shape [B][L][H]");
        }
        return o;
    }

    /** @return whether a tensor of a trace is a model parameter */
    static boolean isParameter(String name) {
        return !(name.startsWith("input.") || name.startsWith("trace.") || name.startsWith("output.") || name.startsWith("extra.")
                || name.startsWith("f64.") || name.startsWith("expected."));
    }

    private static float[] broadcast(float[] row, int rows) {
        float[] out = new float[rows * row.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(row, 0, out, r * row.length, row.length);
        }
        return out;
    }
}
