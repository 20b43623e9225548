package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.TestData;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer's merges, done with a queue, against run.c's scan of every pair per merge (written
 * here as run.c writes it): the same ids for stories260K's tok512 on 300 random texts and a long one;
 * and a 40 KB prompt encodes within seconds (the scan took 10 s for 21 KB, quadratically more for more).
 */
class TokenizerMergeTest {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFG,.!?'\\n\\u00e9\\u00fc\\u4e2d\\ud83d\\ude00  the and once upon a time";

    @Test
    void theQueuesMergesAreRunCsScan() throws Exception {
        Tokenizer tok = Tokenizer.load(TestData.fixture("models/stories260K/tok512.bin"), 512);
        SplittableRandom r = new SplittableRandom(11);
        for (int n = 0; n < 300; n++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(0, 80);
            for (int i = 0; i < len; i++) {
                sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
            String text = sb.toString();
            assertArrayEquals(runC(tok, text, false), tok.encode(text, true, false), text);
        }
        String story = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ".repeat(40);
        assertArrayEquals(runC(tok, story, true), tok.encode(story, true, true));
    }

    @Test
    void aLongPromptEncodesQuickly() throws Exception {
        Tokenizer tok = Tokenizer.load(TestData.fixture("models/stories260K/tok512.bin"), 512);
        String text = "Once upon a time, there was a little girl named Lily. ".repeat(750);
        long t0 = System.nanoTime();
        int[] ids = tok.encode(text, true, false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        // the scan of every pair per merge took 10 s for 21 KB here; the queue takes milliseconds (bound: quadratic would pass it by far)
        assertTrue(ids.length > 1000 && seconds < 5, ids.length + " ids in " + seconds + " s");
    }

    /** run.c's encode: byte fallback, then while some pair merges, the best-scoring (leftmost of equals) above -1e10. */
    private static int[] runC(Tokenizer tok, String text, boolean eos) throws Exception {
        byte[][] pieces = (byte[][]) field("pieces").get(tok);
        float[] scores = (float[]) field("scores").get(tok);
        List<Integer> t = new ArrayList<>();
        t.add(Tokenizer.BOS);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            t.add(find(pieces, " ".getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < bytes.length; ) {
            int len = 1;
            while (i + len < bytes.length && len < 4 && (bytes[i + len] & 0xC0) == 0x80) {
                len++;
            }
            int id = find(pieces, java.util.Arrays.copyOfRange(bytes, i, i + len));
            if (id >= 0) {
                t.add(id);
            } else {
                for (int k = i; k < i + len; k++) {
                    t.add((bytes[k] & 0xff) + 3);
                }
            }
            i += len;
        }
        while (true) {
            float best = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = 0; i + 1 < t.size(); i++) {
                byte[] a = pieces[t.get(i)];
                byte[] b = pieces[t.get(i + 1)];
                byte[] ab = java.util.Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, ab, a.length, b.length);
                int id = find(pieces, ab);
                if (id >= 0 && scores[id] > best) {
                    best = scores[id];
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx < 0) {
                break;
            }
            t.set(bestIdx, bestId);
            t.remove(bestIdx + 1);
        }
        if (eos) {
            t.add(Tokenizer.EOS);
        }
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int find(byte[][] pieces, byte[] piece) {
        for (int i = 0; i < pieces.length; i++) {
            if (java.util.Arrays.equals(pieces[i], piece)) {
                return i;
            }
        }
        return -1;
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field f = Tokenizer.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
