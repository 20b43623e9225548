package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the device session hands a prompt to a glue: in one call to a glue with blocks (each token's
 * feedback beside it), token by token to one without, and nothing at all when a token or a position
 * is rejected. A recording decoder stands for the generated glue, whose device results the device
 * checks compare with the JVM.
 */
class DeviceDecodeSessionTest {
    private static final TransformerSpec SPEC = TransformerSpec.builder(3, 8, 2, 16, 20, 24).build();

    /** Records what the session asked of it. */
    private static final class Recorder implements DeviceDecoder {
        final int block;
        final List<String> calls = new ArrayList<>();
        float[] nudges;

        Recorder(int block) {
            this.block = block;
        }

        @Override
        public void step(int token, int pos, float[] nudge, float[] logits) {
            calls.add("step " + token + " @" + pos);
        }

        @Override
        public int block() {
            return block;
        }

        @Override
        public void absorb(int[] tokens, int from, int count, int pos, float[] nudges) {
            if (block == 1) {
                DeviceDecoder.super.absorb(tokens, from, count, pos, nudges);
            }
            calls.add("absorb " + tokens[from] + ".." + tokens[from + count - 1] + " x" + count + " @" + pos);
            this.nudges = nudges == null ? null : nudges.clone();
        }

        @Override
        public void close() {}
    }

    private static int[] prompt(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1 + i % 19;
        }
        return t;
    }

    @Test
    void aGlueWithBlocksTakesThePromptInOneCall() {
        Recorder r = new Recorder(4);
        DeviceDecodeSession s = DeviceDecodeSession.open(SPEC, null, (schedule, nudgeAt) -> r);
        s.absorb(prompt(12), 2, 9, 3);
        assertEquals(List.of("absorb 3..11 x9 @3"), r.calls);
        assertNull(r.nudges, "no feedback, no nudges");
    }

    @Test
    void aGlueWithoutBlocksRunsThePromptTokenByToken() {
        Recorder r = new Recorder(1);
        DeviceDecodeSession s = DeviceDecodeSession.open(SPEC, null, (schedule, nudgeAt) -> r);
        s.absorb(prompt(3), 0, 3, 5);
        assertEquals(List.of("step 1 @5", "step 2 @6", "step 3 @7"), r.calls);
        UnrollException e = assertThrows(UnrollException.class, () -> r.absorb(prompt(3), 0, 3, 0, null));
        assertTrue(e.getMessage().contains("one token per execution"), e.getMessage());
    }

    @Test
    void eachTokenCarriesTheFeedbackOfItsPosition() {
        float[] v = new float[SPEC.width()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        RecurrentPassSpec rp = RecurrentPassSpec.noFeedback(1, 1).withDepth(2).addFeedback(6, v, 0.5f);
        Recorder r = new Recorder(4);
        DeviceDecodeSession s = DeviceDecodeSession.open(SPEC, rp, (schedule, nudgeAt) -> r);
        s.absorb(prompt(5), 0, 5, 4);
        float[] want = new float[5 * SPEC.width()];
        float[] row = new float[SPEC.width()];
        rp.feedback().get(0).addTo(row);
        System.arraycopy(row, 0, want, 2 * SPEC.width(), row.length);
        assertArrayEquals(want, r.nudges, "feedback at position 6 is token 2's row; zeros elsewhere");
        assertEquals(1.0f, row[1], "v[1] = 2 scaled by its strength 0.5");
    }

    @Test
    void aRejectedPromptSendsNothing() {
        Recorder r = new Recorder(4);
        DeviceDecodeSession s = DeviceDecodeSession.open(SPEC, null, (schedule, nudgeAt) -> r);
        int[] bad = prompt(6);
        bad[4] = SPEC.vocab();
        UnrollException token = assertThrows(UnrollException.class, () -> s.absorb(bad, 0, 6, 0));
        assertTrue(token.getMessage().contains("token 20 is outside the vocabulary"), token.getMessage());
        UnrollException past = assertThrows(UnrollException.class, () -> s.absorb(prompt(6), 0, 6, SPEC.maxSeq() - 5));
        assertTrue(past.getMessage().contains("positions 19 .. 24 are outside 0..23"), past.getMessage());
        UnrollException negative = assertThrows(UnrollException.class, () -> s.absorb(prompt(6), 0, 6, -1));
        assertTrue(negative.getMessage().contains("positions -1 .. 4"), negative.getMessage());
        UnrollException huge = assertThrows(UnrollException.class, () -> s.absorb(prompt(6), 0, 6, Integer.MAX_VALUE));
        assertTrue(huge.getMessage().contains("positions 2147483647 .. 2147483652"), huge.getMessage());
        UnrollException range = assertThrows(UnrollException.class, () -> s.absorb(prompt(6), 3, 6, 0));
        assertTrue(range.getMessage().contains("tokens[3 .. 9) is outside tokens[0 .. 6)"), range.getMessage());
        assertThrows(UnrollException.class, () -> s.absorb(null, 0, 1, 0));
        assertThrows(UnrollException.class, () -> s.absorb(prompt(2), 0, 0, 0));
        assertEquals(List.of(), r.calls, "nothing reached the device");
    }
}
