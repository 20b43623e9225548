package dev.unroll.examples.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A model whose descriptor names a {@code config.json}: the shape the file describes, generated and right. */
class TinyHfLlamaTest {
    @Test
    void theGeneratedShapeIsTheFilesWithMaxSeqCapped() {
        TransformerSpec fromFile = HfConfig.read(Path.of("src/main/resources/configs/tiny-hf-llama/config.json"));
        assertEquals(fromFile.with(TransformerSpec.MAX_SEQ, 256), TinyHfLlamaModel.SPEC);
        assertEquals(false, TinyHfLlamaModel.SPEC.tiedClassifier());
    }

    @Test
    void itGeneratesTheGenericEnginesTokensAndLogits() {
        TransformerWeights w = TransformerWeights.seeded(TinyHfLlamaModel.SPEC);
        Generation g = Generation.greedy(new int[] {1, 17, 42}, 40).keepingLogits(true);
        GenerationResult want = new CachedGenerator(new GenericTransformer(w)).generate(g);
        GenerationResult got = new CachedGenerator(TinyHfLlamaModel.of(w)).generate(g);
        assertArrayEquals(want.tokens(), got.tokens());
        for (int t = 0; t < want.logits().size(); t++) {
            for (int i = 0; i < want.logits().get(t).length; i++) {
                assertEquals(want.logits().get(t)[i], got.logits().get(t)[i], 1e-4 * Math.max(1, Math.abs(want.logits().get(t)[i])), "token " + t + " logit " + i);
            }
        }
    }
}
