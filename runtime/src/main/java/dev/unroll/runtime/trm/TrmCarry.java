package dev.unroll.runtime.trm;

import dev.unroll.runtime.Limits;
/**
 * The recurrent state carried between supervision steps: the answer state {@code y} and the latent
 * state {@code z}, each {@code [B][L][H]}. Mutable: a step updates it in place. Not thread-safe; one
 * carry belongs to one caller at a time, as an {@code AttentionState} does.
 */
public final class TrmCarry {
    private final float[] y;
    private final float[] z;
    private final int batch;

    /**
     * @param y answer state {@code [B][L][H]}, taken as the carry's storage
     * @param z latent state {@code [B][L][H]}, taken as the carry's storage
     * @param batch B
     */
    public TrmCarry(float[] y, float[] z, int batch) {
        dev.unroll.runtime.internal.Checks.notNull("TrmCarry: y", y);
        dev.unroll.runtime.internal.Checks.notNull("TrmCarry: z", z);
        if (y.length != z.length || batch < 1 || y.length % batch != 0) {
            throw new dev.unroll.runtime.UnrollException("carry: y has " + y.length + " values, z " + z.length + ", batch " + batch
                    + ": both must be [B][L][H]");
        }
        this.y = y;
        this.z = z;
        this.batch = batch;
    }

    /**
     * The answer state itself, for the engines and generated kernels that update it.
     *
     * @return the live {@code [B][L][H]} array
     */
    public float[] y() {
        return y;
    }

    /**
     * The latent state itself, for the engines and generated kernels that update it.
     *
     * @return the live {@code [B][L][H]} array
     */
    public float[] z() {
        return z;
    }

    /** @return B */
    public int batch() {
        return batch;
    }

    /** @return an independent copy */
    public TrmCarry copy() {
        return new TrmCarry(y.clone(), z.clone(), batch);
    }

    /**
     * @param weights the model's weights ({@code y_init}, {@code z_init})
     * @param batch puzzles
     * @return the initial carry: both vectors broadcast to every position
     */
    public static TrmCarry initial(TrmWeights weights, int batch) {
        dev.unroll.runtime.internal.Checks.positive("batch", batch);
        TrmSpec s = dev.unroll.runtime.internal.Checks.notNull("TrmCarry.initial: weights", weights).spec();
        int h = s.hidden();
        int rows = Limits.arrayLength("rows of batch " + batch, batch, s.sequence());
        int n = Limits.arrayLength("the carry of batch " + batch, rows, h);
        Limits.checkBudget("the carry of a batch of " + batch + " puzzles", 2L * n * Float.BYTES);
        float[] y = new float[n];
        float[] z = new float[n];
        float[] yi = weights.get("y_init");
        float[] zi = weights.get("z_init");
        for (int r = 0; r < rows; r++) {
            System.arraycopy(yi, 0, y, r * h, h);
            System.arraycopy(zi, 0, z, r * h, h);
        }
        return new TrmCarry(y, z, batch);
    }
}
