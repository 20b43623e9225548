package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerWeights;
import org.junit.jupiter.api.Test;

/** Greedy decoding with the generated model against the runtime's generic engine, on the same seeded weights. */
class StoriesTest {
    @Test
    void generatedModelGeneratesTheGenericEnginesTokensAndLogits() {
        TransformerWeights weights = TransformerWeights.seeded(StoriesModel.SPEC);
        TransformerModel model = StoriesModel.of(weights);
        TransformerModel generic = new GenericTransformer(weights);
        Generation g = Generation.greedy(new int[] {1, 42, 7}, 32).keepingLogits(true);
        GenerationResult want = new CachedGenerator(generic).generate(g);
        GenerationResult got = new CachedGenerator(model).generate(g);
        assertArrayEquals(want.tokens(), got.tokens(), model.implementation());
        for (int t = 0; t < want.logits().size(); t++) {
            float[] w = want.logits().get(t);
            float[] o = got.logits().get(t);
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], o[i], 1e-3 * Math.max(1, Math.abs(w[i])), "token " + t + ", logit " + i);
            }
        }
    }
}
