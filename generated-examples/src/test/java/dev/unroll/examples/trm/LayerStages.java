package dev.unroll.examples.trm;

import dev.unroll.runtime.codegen.PackedMatrix;
import dev.unroll.runtime.trm.TrmWeights;

/** Calls the generated kernels of {@link SudokuTrm} one stage at a time, for layer-by-layer checks. */
final class LayerStages {
    private static final int B = 4;
    private static final int L = SudokuTrmKernels.L;
    private static final int H = SudokuTrmKernels.H;
    private static final int MI = SudokuTrmKernels.MIX_I;
    private static final int I = SudokuTrmKernels.MLP_I;

    private final TrmWeights w;
    private final boolean simd;

    LayerStages(TrmWeights w, boolean simd) {
        this.w = w;
        this.simd = simd;
    }

    float[] mixer(int layer, float[] hs) {
        float[] up = w.layer(layer, "mixer.swiglu.gate_up_proj.weight");
        float[] down = w.layer(layer, "mixer.swiglu.down_proj.weight");
        float[] gu = new float[B * 2 * MI * H];
        float[] act = new float[B * MI * H];
        float[] out = new float[B * L * H];
        for (int b = 0; b < B; b++) {
            if (simd) {
                SudokuTrmSimdKernels.mixerUp(up, hs, gu, b, 0, 2 * MI);
                SudokuTrmSimdKernels.mixerAct(gu, act, b, 0, MI);
                SudokuTrmSimdKernels.mixerDown(down, act, out, b, 0, L);
            } else {
                SudokuTrmKernels.mixerUp(up, hs, gu, b, 0, 2 * MI);
                SudokuTrmKernels.mixerAct(gu, act, b, 0, MI);
                SudokuTrmKernels.mixerDown(down, act, out, b, 0, L);
            }
        }
        return out;
    }

    float[] mlp(int layer, float[] hs) {
        // the scalar GEMMs read W^T row-major, the SIMD engine W in panels of 64 rows
        float[] upW = w.layer(layer, "mlp.gate_up_proj.weight");
        float[] downW = w.layer(layer, "mlp.down_proj.weight");
        float[] upT = simd ? PackedMatrix.f32Panels(upW, 2 * I, H) : transpose(upW, 2 * I, H);
        float[] downT = simd ? PackedMatrix.f32Panels(downW, H, I) : transpose(downW, H, I);
        float[] gu = new float[B * L * 2 * I];
        float[] act = new float[B * L * I];
        float[] out = new float[B * L * H];
        if (simd) {
            SudokuTrmSimdKernels.mlpUp(upT, hs, gu, 0, B * L, 0, 2 * I);
            SudokuTrmSimdKernels.mlpAct(gu, act, 0, B * L);
            SudokuTrmSimdKernels.mlpDown(downT, act, out, 0, B * L, 0, H);
        } else {
            SudokuTrmKernels.mlpUp(upT, hs, gu, 0, B * L, 0, 2 * I);
            SudokuTrmKernels.mlpAct(gu, act, 0, B * L);
            SudokuTrmKernels.mlpDown(downT, act, out, 0, B * L, 0, H);
        }
        return out;
    }

    void residualNorm(float[] hs, float[] delta) {
        if (simd) {
            SudokuTrmSimdKernels.residualNorm(hs, delta, 0, B * L);
        } else {
            SudokuTrmKernels.residualNorm(hs, delta, 0, B * L);
        }
    }

    static float[] qHead(float[] y, float[] weight, float[] bias) {
        float[] logits = new float[B * SudokuTrmKernels.CONTEXT * SudokuTrmKernels.VOCAB];
        float[] halt = new float[B];
        float[] outW = new float[SudokuTrmKernels.VOCAB * H];
        for (int b = 0; b < B; b++) {
            SudokuTrmKernels.heads(y, outW, weight, bias, logits, halt, b);
        }
        return halt;
    }

    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
