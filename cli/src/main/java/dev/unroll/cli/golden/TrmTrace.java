package dev.unroll.cli.golden;

import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.TrmVerifier;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.util.Map;

/**
 * A PyTorch trace of one TRM supervision step, as one golden file of network calls: the trace holds
 * the model's parameters under their state_dict names, {@code trace.x_embed} {@code [B][L][H]} and
 * each network call's output {@code trace.callNN.out} (01, 02, …, in call order). Each call's input
 * is rebuilt from the recursion (z-updates {@code (x + y) + z}, then the y-update {@code y + z},
 * starting from {@code y_init} and {@code z_init}); all calls go into one file as rows of
 * {@code input.network} and {@code expected.network}, so {@code verify} teacher-forces every call.
 */
public final class TrmTrace {
    private TrmTrace() {}

    /**
     * @param trace the trace
     * @param spec the model's descriptor
     * @param abs absolute tolerance of the network outputs
     * @return the golden file, to write
     */
    public static SafetensorsWriter convert(SafetensorsFile trace, TrmSpec spec, double abs) {
        dev.unroll.runtime.internal.Checks.notNull("TrmTrace.convert: trace", trace);
        dev.unroll.runtime.internal.Checks.notNull("TrmTrace.convert: spec", spec);
        TrmWeights w = TrmWeights.load(spec, TensorSource.of(trace).filter(TrmTrace::isParameter));
        int lh = spec.sequence() * spec.hidden();
        float[] x = trace.floats("trace.x_embed");
        if (x.length == 0 || x.length % lh != 0) {
            throw new UnrollException(trace.source() + ": trace.x_embed has " + x.length + " values, not a multiple of L * H = " + lh);
        }
        int batch = x.length / lh;
        int calls = 0;
        while (trace.contains(call(calls + 1))) {
            calls++;
        }
        if (calls == 0) {
            throw new UnrollException(trace.source() + ": no trace.call01.out: nothing to convert");
        }
        for (String name : trace.names()) {
            if (name.startsWith("trace.") && !name.equals("trace.x_embed") && !isCall(name, calls) && !INTERMEDIATE.matcher(name).matches()) {
                throw new UnrollException(trace.source() + ": " + name + " is not part of the trace this converter reads (trace.x_embed, then "
                        + "trace.call01.out to trace.call" + String.format("%02d", calls) + ".out without gaps; trace.netN.* and trace.lrN.* "
                        + "intermediates are not checked)");
            }
        }
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
        SafetensorsWriter g = new SafetensorsWriter().metadata(GoldenFile.FORMAT, "1").metadata(GoldenFile.FAMILY, TrmVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(spec.toJson()))
                .metadata(GoldenFile.TOLERANCE, Json.write(Map.of("default", Map.of("abs", abs, "rel", 0.0))))
                .metadata(GoldenFile.SOURCE, trace.source() + ": " + calls + " network calls, teacher-forced");
        w.writeTo(g, "");
        long[] shape = {(long) calls * batch, spec.sequence(), spec.hidden()};
        return g.add("input.network", DType.F32, shape, in).add("expected.network", DType.F32, shape, out);
    }

    static String call(int k) {
        return String.format("trace.call%02d.out", k);
    }

    /** The seed exporter's intermediates inside a call ({@code trace.net1.layer0.mixer_out}) or a recursion ({@code trace.lr1.y}): known, not checked. */
    private static final java.util.regex.Pattern INTERMEDIATE = java.util.regex.Pattern.compile("trace\\.(net|lr)[0-9]+\\..+");

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
