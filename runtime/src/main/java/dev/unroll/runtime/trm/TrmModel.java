package dev.unroll.runtime.trm;

/**
 * A Tiny Recursive Model: a generated kernel or the generic engine. Batches are flat arrays:
 * tokens {@code [B][context]}, states {@code [B][L][H]} (L = prefix + context), logits
 * {@code [B][context][vocab]}, halting logits {@code [B][haltOutputs]}.
 *
 * <p>Thread-safety: a model is immutable; concurrent callers each compute in their own buffers. A
 * {@link TrmCarry} belongs to one caller at a time.
 */
public interface TrmModel {
    /** @return the descriptor */
    TrmSpec spec();

    /** @return what runs: generated class and flavour, or the generic engine */
    String implementation();

    /**
     * @param batch puzzles
     * @return {@code y = y_init}, {@code z = z_init} broadcast to every position
     */
    TrmCarry initialCarry(int batch);

    /**
     * One supervision step, the seed's {@code forward}: T cycles of (n latent updates
     * {@code z = net((x + y) + z)}, then {@code y = net(y + z)}), then the output head on the
     * non-prefix positions and the Q head on position 0. The carry is updated in place.
     *
     * @param tokens {@code [B][context]}
     * @param carry (y, z), updated
     * @return logits and halting logits
     */
    TrmStep step(int[] tokens, TrmCarry carry);

    /**
     * One call of the shared network: for each layer {@code h = rms_norm(h + mixer(h))},
     * {@code h = rms_norm(h + mlp(h))}.
     *
     * @param in {@code [B][L][H]}
     * @param batch B
     * @param out {@code [B][L][H]} (may be {@code in})
     */
    void network(float[] in, int batch, float[] out);

    /**
     * The same network call, showing each layer's output: after layer {@code l},
     * {@code observer.afterLayer(l, hs)} with the state {@code [B][L][H]} (read it during the call;
     * it is the model's buffer). What a trace of per-layer outputs is checked against.
     *
     * @param in {@code [B][L][H]}
     * @param batch B
     * @param out {@code [B][L][H]} (may be {@code in})
     * @param observer called after each layer
     */
    void network(float[] in, int batch, float[] out, LayerObserver observer);

    /**
     * The output head on the non-prefix positions and the Q (halting) head on position 0 of a given
     * {@code y}: how a supervision step ends, on any carry (a trace's {@code qtest}).
     *
     * @param y {@code [B][L][H]}
     * @param batch B
     * @return logits {@code [B][context][vocab]} and halting logits {@code [B][haltOutputs]}
     */
    TrmStep heads(float[] y, int batch);

    /** Sees the network's state after each layer. */
    @FunctionalInterface
    interface LayerObserver {
        /**
         * @param layer the layer just run, from 0
         * @param hs the state after it, {@code [B][L][H]}
         */
        void afterLayer(int layer, float[] hs);
    }

    /**
     * The embedded input: {@code sqrt(H) * cat(prefix tokens, E[tokens])}.
     *
     * @param tokens {@code [B][context]}
     * @param batch B
     * @return {@code [B][L][H]}
     */
    float[] embed(int[] tokens, int batch);

    /**
     * The ACT inference loop of the original TRM: up to {@code maxSupervisionSteps} steps carrying
     * (y, z); a puzzle halts when its halt logit is positive, unless {@code lockStep} runs every
     * puzzle for all steps (the original's evaluation).
     *
     * @param tokens {@code [B][context]}
     * @param batch B
     * @param lockStep ignore halting
     * @return predictions, steps taken and the last halting logits per puzzle
     */
    default TrmResult solve(int[] tokens, int batch, boolean lockStep) {
        return Act.run(this, tokens, batch, lockStep);
    }
}
