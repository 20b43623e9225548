package dev.unroll.runtime.trm;

/**
 * The recurrent state carried between supervision steps.
 *
 * @param y answer state {@code [B][L][H]}
 * @param z latent state {@code [B][L][H]}
 * @param batch B
 */
public record TrmCarry(float[] y, float[] z, int batch) {
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
        dev.unroll.runtime.Checks.positive("batch", batch);
        TrmSpec s = weights.spec();
        int h = s.hidden();
        int rows = batch * s.sequence();
        float[] y = new float[rows * h];
        float[] z = new float[rows * h];
        float[] yi = weights.get("y_init");
        float[] zi = weights.get("z_init");
        for (int r = 0; r < rows; r++) {
            System.arraycopy(yi, 0, y, r * h, h);
            System.arraycopy(zi, 0, z, r * h, h);
        }
        return new TrmCarry(y, z, batch);
    }
}
