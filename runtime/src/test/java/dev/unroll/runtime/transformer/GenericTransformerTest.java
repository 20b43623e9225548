package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.RopeLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generic engine on stories260K: the README's greedy oracle, token for token, and the tokenizer. */
class GenericTransformerTest {
    @Test
    void checkpointHeaderParses() {
        Llama2c.Checkpoint c = Stories.checkpoint();
        TransformerSpec s = c.spec();
        assertEquals(64, s.width());
        assertEquals(172, s.ffnHidden());
        assertEquals(5, s.layers());
        assertEquals(8, s.heads());
        assertEquals(4, s.kvHeads());
        assertEquals(512, s.vocab());
        assertEquals(512, s.maxSeq());
        assertTrue(s.tiedClassifier());
        assertEquals(260_032, s.parameters(), "the README's count");
    }

    @Test
    void greedyGenerationReproducesRunC() {
        GenericTransformer m = new GenericTransformer(Stories.checkpoint().weights());
        Tokenizer tok = Stories.tokenizer();
        List<String> oracles = Stories.oracles();
        GenerationResult r200 = new CachedGenerator(m).generate(Generation.greedy(new int[] {Tokenizer.BOS}, 200));
        assertEquals(oracles.get(0), tok.decode(r200.tokens()));
        GenerationResult r256 = new CachedGenerator(m).generate(Generation.greedy(new int[] {Tokenizer.BOS}, 256));
        assertEquals(oracles.get(1), tok.decode(r256.tokens()));
    }

    @Test
    void tokenizerRoundTripsText() {
        Tokenizer tok = Stories.tokenizer();
        String text = "Once upon a time, there was a little girl named Lily.";
        int[] ids = tok.encode(text, true, false);
        assertEquals(Tokenizer.BOS, ids[0]);
        assertEquals(text, tok.decode(ids));
        int[] bytes = tok.encode("é", false, false);
        assertTrue(bytes.length >= 2, "a code point outside the vocabulary falls back to byte tokens");
        assertEquals(" é", tok.decode(concat(new int[] {0}, bytes)));
    }

    @Test
    void bothRopeLayoutsGiveTheSameModel() {
        TransformerWeights w = Stories.checkpoint().weights();
        TransformerWeights hf = w.withRope(RopeLayout.HALF_SPLIT);
        assertEquals(RopeLayout.HALF_SPLIT, hf.spec().rope());
        int[] prompt = Stories.tokenizer().encode("Lily saw a big red ball", true, false);
        GenerationResult a = new CachedGenerator(new GenericTransformer(w)).generate(Generation.greedy(prompt, 40).keepingLogits(true));
        GenerationResult b = new CachedGenerator(new GenericTransformer(hf)).generate(Generation.greedy(prompt, 40).keepingLogits(true));
        assertArrayEquals(a.tokens(), b.tokens());
        for (int i = 0; i < a.logits().size(); i++) {
            assertArrayEquals(a.logits().get(i), b.logits().get(i), 1e-4f, "step " + i);
        }
        assertArrayEquals(w.get("model.layers.0.self_attn.q_proj.weight"),
                hf.withRope(RopeLayout.INTERLEAVED).get("model.layers.0.self_attn.q_proj.weight"), "the permutation inverts");
    }

    static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
