package dev.unroll.examples.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Generated models built from a checkpoint opened tensor by tensor ({@link Llama2c#open}: each matrix
 * read, packed and dropped) are the models built from the whole checkpoint in memory: the same greedy
 * tokens and logits, in every format and both flavours, and the same prefill.
 */
class OpenedCheckpointTest {
    private static final Path STORIES = TestData.fixture("models/stories260K/stories260K.bin");

    @Test
    void aModelFromAnOpenedCheckpointIsTheModelFromALoadedOne() {
        TransformerWeights loaded = Stories.checkpoint().weights();
        TransformerWeights opened = Llama2c.open(STORIES).weights();
        assertFalse(opened.isResident());
        Tokenizer tok = Stories.tokenizer();
        Generation g = Generation.greedy(tok.encode("Once upon a time", true, false), 40).keepingLogits(true).withStopTokens(Set.of());
        for (WeightFormat format : WeightFormat.values()) {
            BiFunction<TransformerWeights, Flavour, GeneratedTransformer> make = Stories260KModels.of(format);
            for (Flavour f : Tolerance.flavours()) {
                GenerationResult a = new CachedGenerator(make.apply(loaded, f)).generate(g);
                GenerationResult b = new CachedGenerator(make.apply(opened, f)).generate(g);
                assertArrayEquals(a.tokens(), b.tokens(), format + " " + f);
                for (int i = 0; i < a.logits().size(); i++) {
                    assertArrayEquals(a.logits().get(i), b.logits().get(i), format + " " + f + " step " + i);
                }
            }
        }
    }
}
