package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.GatedDeltaNetMode;
import dev.unroll.runtime.internal.AttentionMath;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import java.util.List;
import java.util.Map;

/** Gated DeltaNet: {@code S = g S}, then a delta step of size beta (static, or per token). */
public final class GatedDeltaNetDefinition extends ModeDefinition {

    @Override
    public AttentionMode mode() {
        return AttentionMode.GATED_DELTA_NET;
    }

    @Override
    public String referenceName() {
        return "GatedDeltaNet";
    }

    @Override
    public String update() {
        return "`S = gS`; `S += k̂ (β(v − Sᵀk̂))ᵀ`, `β` static or `σ(w_β·x)`";
    }

    @Override
    public String notes() {
        return "tanh";
    }

    @Override
    public Class<?> keys() {
        return GatedDeltaNetMode.class;
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(GatedDeltaNetMode.BETA_MODE, GatedDeltaNetMode.BETA_SCALE);
    }

    @Override
    public void check(ParameterValues values, Findings out) {
        if (values.get(GatedDeltaNetMode.BETA_MODE) == BetaMode.STATIC) {
            out.range(GatedDeltaNetMode.BETA_SCALE.name(), values.get(GatedDeltaNetMode.BETA_SCALE), v -> v > 0 && v <= 2, "(0, 2]",
                    ": beyond 2 the delta step I - beta k k^T expands the state");
        }
    }

    @Override
    public void ownParameter(String member, Object value, ParameterValues values, Findings out) {
        if (member.equals(GatedDeltaNetMode.BETA_SCALE.name()) && values.get(GatedDeltaNetMode.BETA_MODE) == BetaMode.PER_TOKEN) {
            out.add(Diagnostic.PARAMETER_NOT_USED, member, member, value, "GATED_DELTA_NET with betaMode = PER_TOKEN",
                    " (beta is sigmoid(w_beta . x))");
        }
    }

    @Override
    public Map<String, Object> canonical(ParameterValues values) {
        Map<String, Object> m = super.canonical(values);
        if (values.get(GatedDeltaNetMode.BETA_MODE) == BetaMode.PER_TOKEN) {
            m.remove(GatedDeltaNetMode.BETA_SCALE.name());
        }
        return m;
    }

    /** The reference prints {@code beta_scale} in both gate modes; only the static one reads it. */
    @Override
    public void readReference(Map<String, Object> modeObj, Map<String, Object> out) {
        String gate = Json.asString(Json.required(modeObj, GatedDeltaNetMode.BETA_MODE.referenceKey()), GatedDeltaNetMode.BETA_MODE.referenceKey());
        BetaMode mode = gate.equals("PerToken") ? BetaMode.PER_TOKEN : BetaMode.STATIC;
        out.put(GatedDeltaNetMode.BETA_MODE.name(), mode);
        Double scale = GatedDeltaNetMode.BETA_SCALE.fromReference(modeObj);
        if (mode == BetaMode.STATIC) {
            out.put(GatedDeltaNetMode.BETA_SCALE.name(), scale);
        }
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        out.projection("w_gate");
        if (spec.get(GatedDeltaNetMode.BETA_MODE) == BetaMode.PER_TOKEN) {
            out.projection("w_beta_scalar");
        }
    }

    @Override
    public boolean deltaRule() {
        return true;
    }

    @Override
    public boolean tanhOutput() {
        return true;
    }

    @Override
    public void recur(GenericPass p) {
        AttentionSpec spec = p.spec();
        double[] g = p.perHead("w_gate", AttentionMath::sigmoid);
        double[] beta = spec.get(GatedDeltaNetMode.BETA_MODE) == BetaMode.PER_TOKEN ? p.perHead("w_beta_scalar", AttentionMath::sigmoid)
                : p.filled(spec.get(GatedDeltaNetMode.BETA_SCALE));
        LinearRecurrences.l2normalise(p.key(), p.tokens() * spec.heads(), spec.keyWidth());
        LinearRecurrences.delta(p.dims(), 1.0, p.q(), p.key(), p.val(), g, beta, p.state(), p.out());
    }
}
