package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.transformer.DeviceDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DecodeSession}'s recurrence modes over a {@link DeviceDecoder}: the caches stay on the device,
 * and each mode becomes a layer schedule plus a feedback vector per position (the exact KV-cached forms
 * of {@code $UNROLL_SHARED/specs/recurrent-pass.md} section 3):
 * <ul>
 *   <li>plain: every layer once;
 *   <li>iterate (no feedback): the block {@code depth} times, one cache per pass;
 *   <li>prefill feedback: every layer once, the feedback at its prompt positions added before {@code loopStart};
 *   <li>sustained: as prefill, and the newest token runs a second time with every feedback vector added,
 *       only for its logits; the un-nudged run then rewrites its cache rows.
 * </ul>
 */
final class DeviceDecodeSession implements DecodeRunner {
    private final TransformerSpec spec;
    private final RecurrentPassSpec rp;
    private final DeviceDecoder decoder;
    private final boolean feedback;
    private final float[] scratchLogits;
    private final float[] nudge;

    private DeviceDecodeSession(TransformerSpec spec, RecurrentPassSpec rp, DeviceDecoder decoder) {
        this.spec = spec;
        this.rp = rp;
        this.decoder = decoder;
        this.feedback = hasFeedback(rp);
        this.scratchLogits = new float[spec.vocab()];
        this.nudge = new float[spec.width()];
    }

    static boolean hasFeedback(RecurrentPassSpec rp) {
        return rp != null && rp.depth() > 1 && !rp.feedback().isEmpty();
    }

    /** @return the layers one token runs through, in order; entry i uses cache i */
    static int[] schedule(TransformerSpec spec, RecurrentPassSpec rp) {
        List<Integer> layers = new ArrayList<>();
        boolean iterate = rp != null && rp.depth() > 1 && rp.feedback().isEmpty();
        for (int l = 0; l < spec.layers(); l++) {
            if (iterate && l == rp.loopStart()) {
                for (int pass = 0; pass < rp.depth(); pass++) {
                    for (int b = rp.loopStart(); b <= rp.loopEnd(); b++) {
                        layers.add(b);
                    }
                }
                l = rp.loopEnd();
            } else {
                layers.add(l);
            }
        }
        return layers.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the schedule entry before which feedback is added, or -1 */
    static int nudgeAt(RecurrentPassSpec rp) {
        return hasFeedback(rp) ? rp.loopStart() : -1;
    }

    /**
     * @param spec the model
     * @param rp the recurrence, or null
     * @param open builds the glue for a schedule and its nudge entry
     * @return the session
     */
    static DeviceDecodeSession open(TransformerSpec spec, RecurrentPassSpec rp, java.util.function.BiFunction<int[], Integer, DeviceDecoder> open) {
        return new DeviceDecodeSession(spec, rp, open.apply(schedule(spec, rp), nudgeAt(rp)));
    }

    @Override
    public Backend backend() {
        return Backend.TORNADOVM;
    }

    @Override
    public String mode() {
        String m = rp == null || rp.depth() == 1 ? "plain" : !feedback ? "iterate" : rp.sustained() ? "sustained" : "prefill_feedback";
        return m + " (TornadoVM, caches on the device)";
    }

    @Override
    public void absorb(int token, int pos) {
        check(token, pos);
        decoder.step(token, pos, promptNudge(pos), scratchLogits);
    }

    /**
     * A prompt in the glue's blocks ({@link DeviceDecoder#absorb}), each token's feedback beside it; a
     * glue without blocks runs it token by token. Every token and position is checked first, so a
     * rejected call sends nothing to the device.
     */
    @Override
    public void absorb(int[] tokens, int from, int count, int pos) {
        Prefill.checkRange(tokens, from, count);
        if (pos < 0 || (long) pos + count > spec.maxSeq()) {
            throw new UnrollException("positions " + pos + " .. " + ((long) pos + count - 1) + " are outside 0.." + (spec.maxSeq() - 1));
        }
        for (int t = 0; t < count; t++) {
            check(tokens[from + t], pos + t);
        }
        if (decoder.block() <= 1) {
            DecodeRunner.super.absorb(tokens, from, count, pos);
            return;
        }
        float[] nudges = null;
        if (feedback) {
            int width = spec.width();
            nudges = new float[dev.unroll.runtime.Limits.arrayLength("the feedback rows of " + count + " prompt tokens", count, width)];
            for (int t = 0; t < count; t++) {
                System.arraycopy(promptNudge(pos + t), 0, nudges, t * width, width);
            }
        }
        decoder.absorb(tokens, from, count, pos, nudges);
    }

    @Override
    public void next(int token, int pos, float[] logits) {
        check(token, pos);
        if (logits.length != spec.vocab()) {
            throw new dev.unroll.runtime.ShapeMismatchException("logits", new long[] {spec.vocab()}, new long[] {logits.length});
        }
        if (feedback && rp.sustained()) {
            float[] n = promptNudge(pos).clone();
            for (RecurrentPassSpec.Feedback f : rp.feedback()) {
                f.addTo(n);
            }
            decoder.step(token, pos, n, logits);
            // the row later positions attend to carries the prompt feedback only
            decoder.step(token, pos, promptNudge(pos), scratchLogits);
            return;
        }
        decoder.step(token, pos, promptNudge(pos), logits);
    }

    /** @return the feedback at this position (zeros when none lands there), or null without feedback */
    private float[] promptNudge(int pos) {
        if (!feedback) {
            return null;
        }
        java.util.Arrays.fill(nudge, 0f);
        for (RecurrentPassSpec.Feedback f : rp.feedback()) {
            if (f.position() == pos) {
                f.addTo(nudge);
            }
        }
        return nudge;
    }

    private void check(int token, int pos) {
        if (pos < 0 || pos >= spec.maxSeq()) {
            throw new dev.unroll.runtime.UnrollException("position " + pos + " outside 0.." + (spec.maxSeq() - 1));
        }
        if (token < 0 || token >= spec.vocab()) {
            throw new UnrollException("token " + token + " is outside the vocabulary [0, " + spec.vocab() + ")");
        }
    }

    @Override
    public void close() {
        decoder.close();
    }
}
