package dev.unroll.runtime.codegen;

/**
 * The weights of one layer of a TRM network, as its kernels read them: matrices used as B operands
 * are transposed ({@code [in][out]}). Internal: generated models read the fields; the arrays are
 * never written. A layer has either the MLP token mixer or attention; the other pair is null.
 */
public final class TrmBlock {
    /** MLP mixer: gate and up over positions {@code [2 * MIX_I][L]}, or null. */
    public final float[] mixUp;
    /** MLP mixer: down over positions {@code [L][MIX_I]}, or null. */
    public final float[] mixDown;
    /** Attention: fused q, k, v projection, transposed {@code [H][3H]}, or null. */
    public final PackedMatrix qkvT;
    /** Attention: output projection, transposed {@code [H][H]}, or null. */
    public final PackedMatrix oT;
    /** Channel MLP: gate and up, transposed {@code [H][2 * MLP_I]}. */
    public final PackedMatrix mlpUpT;
    /** Channel MLP: down, transposed {@code [MLP_I][H]}. */
    public final PackedMatrix mlpDownT;

    TrmBlock(float[] mixUp, float[] mixDown, PackedMatrix qkvT, PackedMatrix oT, PackedMatrix mlpUpT, PackedMatrix mlpDownT) {
        this.mixUp = mixUp;
        this.mixDown = mixDown;
        this.qkvT = qkvT;
        this.oT = oT;
        this.mlpUpT = mlpUpT;
        this.mlpDownT = mlpDownT;
    }
}
