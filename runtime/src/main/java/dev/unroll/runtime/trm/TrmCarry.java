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
}
