package dev.unroll.runtime.attention.definition;

import static dev.unroll.runtime.internal.AttentionMath.dot4;
import static dev.unroll.runtime.internal.AttentionMath.softplus;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.LogLinearMode;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import java.util.List;
import java.util.Map;

/**
 * Log-linear attention: a Fenwick hierarchy of up to {@code maxLevels} K x V states per head; each
 * token's leaf {@code k v^T} is pushed into a binary counter of levels and the readout mixes the
 * occupied levels with softplus-normalised weights. The inner mode only decides whether leaf keys
 * are L2-normalised (delta-rule inner modes), never the update.
 */
public final class LogLinearDefinition extends ModeDefinition {

    @Override
    public AttentionMode mode() {
        return AttentionMode.LOG_LINEAR;
    }

    @Override
    public String referenceName() {
        return "LogLinear";
    }

    @Override
    public String update() {
        return "Fenwick levels of plain sums; `o = Σ_l λ_l S⁽ˡ⁾ᵀq` with softplus-normalised λ";
    }

    @Override
    public String notes() {
        return "inner mode decides only key normalisation";
    }

    @Override
    public Class<?> keys() {
        return LogLinearMode.class;
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(LogLinearMode.INNER, LogLinearMode.MAX_LEVELS, LogLinearMode.LAMBDA_INIT);
    }

    @Override
    public void check(ParameterValues values, Findings out) {
        if (values.get(LogLinearMode.INNER) == AttentionMode.LOG_LINEAR) {
            out.add(Diagnostic.NESTED_LOG_LINEAR, LogLinearMode.INNER.name());
        }
        int levels = values.get(LogLinearMode.MAX_LEVELS);
        if (levels > LogLinearMode.MAX_LEVELS_LIMIT) {
            out.add(Diagnostic.TOO_LARGE, LogLinearMode.MAX_LEVELS.name(), LogLinearMode.MAX_LEVELS.name(), levels, LogLinearMode.MAX_LEVELS_LIMIT,
                    "levels are tracked in a 64-bit mask (2^62 tokens)");
        }
        double lambda = values.get(LogLinearMode.LAMBDA_INIT);
        if (!Double.isNaN(lambda) && !Double.isFinite(lambda)) {
            out.add(Diagnostic.NOT_FINITE, LogLinearMode.LAMBDA_INIT.name(), LogLinearMode.LAMBDA_INIT.name(), lambda);
        }
    }

    /** The inner mode's parameters are ignored (a warning), not wrong. */
    @Override
    public void foreignParameter(String member, AttentionMode owner, Object value, ParameterValues values, Findings out) {
        AttentionMode inner = values.get(LogLinearMode.INNER);
        if (owner == inner) {
            out.add(Diagnostic.PARAMETER_IGNORED, member, member, value, "LOG_LINEAR uses its inner mode " + inner
                    + " only to decide whether leaf keys are L2-normalised, never its update rule");
        } else {
            super.foreignParameter(member, owner, value, values, out);
        }
    }

    @Override
    public Map<String, Object> canonical(ParameterValues values) {
        Map<String, Object> m = super.canonical(values);
        int levels = values.get(LogLinearMode.MAX_LEVELS);
        if (Double.isNaN(values.get(LogLinearMode.LAMBDA_INIT)) && levels > 0) {
            m.put(LogLinearMode.LAMBDA_INIT.name(), 1.0 / levels);
        }
        return m;
    }

    @Override
    public void readReference(Map<String, Object> modeObj, Map<String, Object> out) {
        Map<String, Object> inner = Json.asObject(Json.required(modeObj, LogLinearMode.INNER.referenceKey()), "inner");
        out.put(LogLinearMode.INNER.name(), Modes.byReferenceName(Json.asString(Json.required(inner, "name"), "inner.name")).mode());
        out.put(LogLinearMode.MAX_LEVELS.name(), LogLinearMode.MAX_LEVELS.fromReference(modeObj));
        out.put(LogLinearMode.LAMBDA_INIT.name(), LogLinearMode.LAMBDA_INIT.fromReference(modeObj));
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        out.projection("w_lambda", spec.get(LogLinearMode.MAX_LEVELS));
    }

    /**
     * @param spec a LogLinear layer
     * @return whether its leaf keys are L2-normalised (its inner mode is a delta rule)
     */
    public static boolean normalisedLeafKeys(AttentionSpec spec) {
        return spec.mode() == AttentionMode.LOG_LINEAR && Modes.of(spec.get(LogLinearMode.INNER)).deltaRule();
    }

    @Override
    public boolean tanhOutput() {
        return true;
    }

    @Override
    public boolean tanhQuery() {
        return true;
    }

    @Override
    public boolean levelMask() {
        return true;
    }

    @Override
    public long stateSizePerHead(AttentionSpec spec) {
        return (long) spec.get(LogLinearMode.MAX_LEVELS) * spec.keyWidth() * spec.valueWidth();
    }

    @Override
    public void recur(GenericPass p) {
        AttentionSpec spec = p.spec();
        int tokens = p.tokens();
        int h = spec.heads();
        int d = spec.width();
        int levels = spec.get(LogLinearMode.MAX_LEVELS);
        if (normalisedLeafKeys(spec)) {
            LinearRecurrences.l2normalise(p.key(), tokens * h, spec.keyWidth());
        }
        double[] lambda = new double[tokens * h * levels];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                levelWeights(spec, p.head(hh, "w_lambda"), p.xs(), t * d, lambda, (t * h + hh) * levels);
            }
        }
        long[] mask = {p.meta()[1]};
        LinearRecurrences.logLinear(p.dims(), levels, 1.0, p.q(), p.key(), p.val(), lambda, p.state(), mask, p.out());
        p.meta()[1] = mask[0];
    }

    /** Mixes the occupied levels' readouts {@code S_l^T q} with the level weights. */
    @Override
    public void query(GenericQuery c) {
        AttentionSpec spec = c.spec();
        int k = spec.keyWidth();
        int v = spec.valueWidth();
        int levels = spec.get(LogLinearMode.MAX_LEVELS);
        double[] lambda = new double[levels];
        levelWeights(spec, c.head("w_lambda"), c.x(), 0, lambda, 0);
        long mask = c.meta()[1];
        int base = c.head() * levels * k * v;
        for (int l = 0; l < levels; l++) {
            if ((mask & (1L << l)) == 0 || lambda[l] == 0.0) {
                continue;
            }
            for (int j = 0; j < v; j++) {
                double acc = 0.0;
                for (int i = 0; i < k; i++) {
                    acc += c.state()[base + l * k * v + i * v + j] * c.q()[i];
                }
                c.concat()[c.head() * v + j] += lambda[l] * acc;
            }
        }
    }

    /** softplus-normalised level weights: {@code r = W x + lambdaInit, s = softplus(r), lambda = s / sum s}. */
    private static void levelWeights(AttentionSpec spec, double[] wl, double[] xs, int xOff, double[] out, int off) {
        int levels = spec.get(LogLinearMode.MAX_LEVELS);
        int d = spec.width();
        double sum = 0.0;
        for (int l = 0; l < levels; l++) {
            double sp = softplus(dot4(wl, l * d, xs, xOff, d) + spec.get(LogLinearMode.LAMBDA_INIT));
            out[off + l] = sp;
            sum += sp;
        }
        for (int l = 0; l < levels; l++) {
            out[off + l] = out[off + l] / sum;
        }
    }
}
