package dev.unroll.runtime.trm;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;

/** The ACT loop shared by every {@link TrmModel}: halted puzzles leave the batch. */
final class Act {
    private Act() {}

    static TrmResult run(TrmModel model, int[] tokens, int batch, boolean lockStep) {
        TrmSpec s = model.spec();
        int ctx = s.context();
        int lh = s.sequence() * s.hidden();
        int q = s.haltOutputs();
        Checks.positive("batch", batch);
        if (Checks.notNull("solve: tokens", tokens).length != (long) batch * ctx) {
            throw new dev.unroll.runtime.ShapeMismatchException("tokens", new long[] {batch, ctx}, new long[] {tokens.length});
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= s.vocab()) {
                throw new UnrollException("tokens[" + i / ctx + "][" + i % ctx + "] = " + tokens[i] + " is outside the vocabulary [0, " + s.vocab() + ")");
            }
        }
        int[] predictions = new int[batch * ctx];
        int[] steps = new int[batch];
        float[] halt = new float[batch * q];
        TrmCarry full = model.initialCarry(batch);
        int[] active = new int[batch];
        for (int b = 0; b < batch; b++) {
            active[b] = b;
        }
        int n = batch;
        for (int step = 1; step <= s.maxSupervisionSteps() && n > 0; step++) {
            int[] tok = new int[n * ctx];
            TrmCarry c = n == batch ? full : new TrmCarry(new float[n * lh], new float[n * lh], n);
            for (int i = 0; i < n; i++) {
                System.arraycopy(tokens, active[i] * ctx, tok, i * ctx, ctx);
                if (c != full) {
                    System.arraycopy(full.y(), active[i] * lh, c.y(), i * lh, lh);
                    System.arraycopy(full.z(), active[i] * lh, c.z(), i * lh, lh);
                }
            }
            TrmStep out = model.step(tok, c);
            float[] outHalt = out.halt();
            float[] outLogits = out.logits();
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int b = active[i];
                if (c != full) {
                    System.arraycopy(c.y(), i * lh, full.y(), b * lh, lh);
                    System.arraycopy(c.z(), i * lh, full.z(), b * lh, lh);
                }
                steps[b] = step;
                System.arraycopy(outHalt, i * q, halt, b * q, q);
                argmax(outLogits, i * ctx, ctx, s.vocab(), predictions, b * ctx);
                boolean stop = step == s.maxSupervisionSteps() || (!lockStep && outHalt[i * q] > 0);
                if (!stop) {
                    active[kept++] = b;
                }
            }
            n = kept;
        }
        return new TrmResult(predictions, steps, halt);
    }

    /** Argmax per position; ties go to the lowest token, as torch.argmax. */
    static void argmax(float[] logits, int row0, int rows, int vocab, int[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int base = (row0 + r) * vocab;
            int best = 0;
            for (int v = 1; v < vocab; v++) {
                if (logits[base + v] > logits[base + best]) {
                    best = v;
                }
            }
            out[outOff + r] = best;
        }
    }
}
