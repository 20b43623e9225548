package dev.unroll.runtime.attention.definition;

import static dev.unroll.runtime.internal.AttentionMath.dot4;
import static dev.unroll.runtime.internal.AttentionMath.matvec;
import static dev.unroll.runtime.internal.AttentionMath.sigmoid;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.mode.DeltaProductMode;
import dev.unroll.runtime.internal.AttentionMath;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import java.util.List;
import java.util.Map;

/**
 * DeltaProduct: {@code S = g S}, then {@code compositions} Householder delta steps per token, each
 * with its own key, value and beta (twice the sigmoid with reflections). The layer's own key and
 * value projections are drawn but not used, as in the reference.
 */
public final class DeltaProductDefinition extends ModeDefinition {

    @Override
    public AttentionMode mode() {
        return AttentionMode.DELTA_PRODUCT;
    }

    @Override
    public String referenceName() {
        return "DeltaProduct";
    }

    @Override
    public String update() {
        return "`S = gS`, then n delta steps with their own keys, values and β (2σ with reflections)";
    }

    @Override
    public String notes() {
        return "head k, v unused (not even computed)";
    }

    @Override
    public Class<?> keys() {
        return DeltaProductMode.class;
    }

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(DeltaProductMode.COMPOSITIONS, DeltaProductMode.REFLECTIONS);
    }

    @Override
    public void check(ParameterValues values, Findings out) {
        int n = values.get(DeltaProductMode.COMPOSITIONS);
        if (n > Limits.MAX_COMPOSITIONS) {
            out.add(Diagnostic.TOO_LARGE, DeltaProductMode.COMPOSITIONS.name(), DeltaProductMode.COMPOSITIONS.name(), n, Limits.MAX_COMPOSITIONS,
                    "each step adds two K x D and V x D projections per head");
        }
    }

    @Override
    public void readReference(Map<String, Object> modeObj, Map<String, Object> out) {
        out.put(DeltaProductMode.COMPOSITIONS.name(), DeltaProductMode.COMPOSITIONS.fromReference(modeObj));
        out.put(DeltaProductMode.REFLECTIONS.name(), Boolean.TRUE.equals(modeObj.get(DeltaProductMode.REFLECTIONS.referenceKey())));
    }

    @Override
    public void headTensors(AttentionSpec spec, HeadTensors out) {
        int n = spec.get(DeltaProductMode.COMPOSITIONS);
        out.projection("w_gate")
                .projection("w_comp_keys", n, spec.keyWidth())
                .projection("w_comp_values", n, spec.valueWidth())
                .projection("w_comp_betas", n);
    }

    @Override
    public boolean usesKey() {
        return false;
    }

    @Override
    public boolean usesValue() {
        return false;
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
        int n = spec.get(DeltaProductMode.COMPOSITIONS);
        boolean reflections = spec.get(DeltaProductMode.REFLECTIONS);
        int tokens = p.tokens();
        int h = spec.heads();
        int k = spec.keyWidth();
        int v = spec.valueWidth();
        int d = spec.width();
        double[] xs = p.xs();
        double[] g = p.perHead("w_gate", AttentionMath::sigmoid);
        double[] ks = new double[tokens * n * h * k];
        double[] vs = new double[tokens * n * h * v];
        double[] betas = new double[tokens * n * h];
        for (int t = 0; t < tokens; t++) {
            for (int hh = 0; hh < h; hh++) {
                double[] ck = p.head(hh, "w_comp_keys");
                double[] cv = p.head(hh, "w_comp_values");
                double[] cb = p.head(hh, "w_comp_betas");
                for (int j = 0; j < n; j++) {
                    int row = (t * n + j) * h + hh;
                    double[] kj = new double[k];
                    matvec(slice(ck, j * k * d, k * d), xs, t * d, k, d, kj, 0);
                    LinearRecurrences.l2normalise(kj, 1, k);
                    System.arraycopy(kj, 0, ks, row * k, k);
                    matvec(slice(cv, j * v * d, v * d), xs, t * d, v, d, vs, row * v);
                    double sg = sigmoid(dot4(cb, j * d, xs, t * d, d));
                    betas[row] = reflections ? 2.0 * sg : sg;
                }
            }
        }
        LinearRecurrences.deltaProduct(p.dims(), n, 1.0, p.q(), ks, vs, g, betas, p.state(), p.out());
    }

    static double[] slice(double[] a, int off, int len) {
        double[] s = new double[len];
        System.arraycopy(a, off, s, 0, len);
        return s;
    }
}
