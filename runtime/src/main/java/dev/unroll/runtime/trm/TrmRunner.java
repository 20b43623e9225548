package dev.unroll.runtime.trm;

import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;

/**
 * Runs supervision steps of a fixed batch of puzzles on one backend, keeping the carry (y, z) where
 * that backend keeps it: the JVM heap, or device memory under TornadoVM, where it stays between steps
 * and only the logits and halting outputs come back. Not thread-safe: one caller at a time.
 */
public interface TrmRunner extends AutoCloseable {
    /** @return the backend that runs */
    Backend backend();

    /** @return puzzles per step, fixed when the runner is opened */
    int batch();

    /** Puts the initial carry back: the next step starts every puzzle afresh. */
    void reset();

    /**
     * One supervision step of every puzzle: T cycles of latent recursion, then the heads.
     *
     * @param tokens {@code [batch][context]}, each in the vocabulary
     * @return the logits and halting outputs of this step
     */
    TrmStep step(int[] tokens);

    /** @return a copy of the current carry (from the device, under TornadoVM) */
    TrmCarry carry();

    /**
     * Adaptive computation time from a fresh carry, as {@link TrmModel#solve}: every puzzle runs until its
     * halting logit is positive (unless {@code lockStep}) or the step limit. The batch runs together, so a
     * puzzle that halted keeps being computed and its result is kept from the step where it halted.
     *
     * @param tokens {@code [batch][context]}
     * @param lockStep ignore the halting head: every puzzle runs the step limit
     * @return predictions, steps and halting logits per puzzle
     */
    default TrmResult solve(int[] tokens, boolean lockStep) {
        return solve(tokens, lockStep, step -> { });
    }

    /**
     * As {@link #solve(int[], boolean)}, calling {@code onStep} after each supervision step with its
     * number (1, 2, ...; at most {@link TrmSpec#maxSupervisionSteps()}), on the calling thread: a
     * progress display. What {@code onStep} throws ends the solve and reaches the caller.
     *
     * @param tokens {@code [batch][context]}
     * @param lockStep ignore the halting head: every puzzle runs the step limit
     * @param onStep called after each step
     * @return predictions, steps and halting logits per puzzle
     */
    default TrmResult solve(int[] tokens, boolean lockStep, java.util.function.IntConsumer onStep) {
        dev.unroll.runtime.internal.Checks.notNull("solve: onStep", onStep);
        TrmSpec s = spec();
        int batch = batch();
        int ctx = s.context();
        int q = s.haltOutputs();
        if (dev.unroll.runtime.internal.Checks.notNull("solve: tokens", tokens).length != (long) batch * ctx) {
            throw new ShapeMismatchException("tokens", new long[] {batch, ctx}, new long[] {tokens.length});
        }
        int[] predictions = new int[batch * ctx];
        int[] steps = new int[batch];
        float[] halt = new float[batch * q];
        boolean[] done = new boolean[batch];
        int left = batch;
        reset();
        for (int step = 1; step <= s.maxSupervisionSteps() && left > 0; step++) {
            TrmStep out = step(tokens);
            float[] outHalt = out.halt();
            float[] outLogits = out.logits();
            for (int b = 0; b < batch; b++) {
                if (done[b]) {
                    continue;
                }
                steps[b] = step;
                System.arraycopy(outHalt, b * q, halt, b * q, q);
                Act.argmax(outLogits, b * ctx, ctx, s.vocab(), predictions, b * ctx);
                if (step == s.maxSupervisionSteps() || (!lockStep && outHalt[b * q] > 0)) {
                    done[b] = true;
                    left--;
                }
            }
            onStep.accept(step);
        }
        return new TrmResult(predictions, steps, halt);
    }

    /** @return the descriptor of the model that runs */
    TrmSpec spec();

    /** Releases device memory; the runner cannot be used afterwards. */
    @Override
    void close();

    /**
     * Checks a step's tokens.
     *
     * @param spec the model
     * @param batch puzzles
     * @param tokens {@code [batch][context]}
     */
    static void checkTokens(TrmSpec spec, int batch, int[] tokens) {
        int ctx = dev.unroll.runtime.internal.Checks.notNull("checkTokens: spec", spec).context();
        if (dev.unroll.runtime.internal.Checks.notNull("checkTokens: tokens", tokens).length != (long) batch * ctx) {
            throw new ShapeMismatchException("tokens", new long[] {batch, ctx}, new long[] {tokens.length});
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= spec.vocab()) {
                throw new UnrollException("tokens[" + i / ctx + "][" + i % ctx + "] = " + tokens[i] + " is outside the vocabulary [0, " + spec.vocab() + ")");
            }
        }
    }
}
