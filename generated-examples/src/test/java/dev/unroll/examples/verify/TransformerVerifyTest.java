package dev.unroll.examples.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.TransformerVerifier;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.RecomputeGenerator;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code unroll verify} on transformer golden files built from stories260K: the greedy continuation
 * of run.c (the model README's oracle, checked here to decode to exactly that text) and teacher-forced
 * logits of the reference semantics (the recompute-everything generator), plain and with the
 * recurrent pass of {@code Stories260KLooped}. The generated models must pass; a file with one
 * changed token must fail with exit code 1.
 */
class TransformerVerifyTest {
    static final Path OUT = Path.of("target", "golden");
    static TransformerWeights weights;
    static int[] story;

    @BeforeAll
    static void write() throws Exception {
        Files.createDirectories(OUT);
        weights = Stories.checkpoint().weights();
        Tokenizer tok = Stories.tokenizer();
        GenerationResult r = new CachedGenerator(new GenericTransformer(weights)).generate(Generation.greedy(new int[] {Tokenizer.BOS}, 200));
        assertEquals(Stories.oracles().get(0), tok.decode(r.tokens()), "the expected tokens are run.c's");
        story = Arrays.copyOfRange(r.tokens(), 1, r.tokens().length);
        int[] forced = Arrays.copyOf(r.tokens(), 40);
        TransformerSpec spec = weights.spec();
        golden(spec, null, forced, story, "plain.safetensors");
        golden(spec.withBlock(new TransformerSpec.Block(1, 3, 2)), RecurrentPassSpec.noFeedback(1, 3), forced, null, "looped.safetensors");
        int[] wrong = story.clone();
        wrong[100] = (wrong[100] + 1) % 512;
        golden(spec, null, forced, wrong, "wrong-token.safetensors");
    }

    static void golden(TransformerSpec spec, RecurrentPassSpec rp, int[] forced, int[] expectedTokens, String name) {
        SafetensorsWriter w = new SafetensorsWriter()
                .metadata(GoldenFile.FAMILY, TransformerVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(spec.toJson()))
                .metadata(GoldenFile.SOURCE, "stories260K; tokens: run.c greedy (model README); logits: RecomputeGenerator");
        for (Map.Entry<String, float[]> e : weights.tensors().entrySet()) {
            w.add(e.getKey(), DType.F32, TransformerWeights.shapes(weights.spec()).get(e.getKey()), e.getValue());
        }
        RecomputeGenerator ref = new RecomputeGenerator(new GenericTransformer(weights));
        float[] logits = new float[forced.length * 512];
        for (int t = 0; t < forced.length; t++) {
            System.arraycopy(ref.lastLogits(Arrays.copyOf(forced, t + 1), rp), 0, logits, t * 512, 512);
        }
        w.add("input.tokens", DType.I32, new long[] {forced.length}, forced);
        w.add("expected.logits", DType.F32, new long[] {forced.length, 512}, logits);
        if (expectedTokens != null) {
            w.add("input.prompt", DType.I32, new long[] {1}, new int[] {Tokenizer.BOS});
            w.add("expected.tokens", DType.I32, new long[] {expectedTokens.length}, expectedTokens);
        }
        w.write(OUT.resolve(name));
    }

    @Test
    void generatedModelsPassPlainAndRecurrent() {
        String text = GoldenConversionTest.verify(0, OUT.resolve("plain.safetensors").toString(), OUT.resolve("looped.safetensors").toString());
        assertTrue(text.contains("generated Stories260KModel"), text);
        assertTrue(text.contains("generated Stories260KLoopedModel"), text);
        assertTrue(text.contains("PASS expected.tokens"), text);
        assertTrue(text.contains("PASS expected.logits"), text);
        assertTrue(text.contains("all files PASS"), text);
    }

    @Test
    void oneWrongTokenFails() {
        String text = GoldenConversionTest.verify(1, OUT.resolve("wrong-token.safetensors").toString());
        assertTrue(text.contains("FAIL expected.tokens"), text);
        assertTrue(text.contains("PASS expected.logits"), text);
    }

    /**
     * The generic engine against the independent oracle: run.c's greedy tokens (its logits are checked
     * against the recompute form by the generated models' test above, not against itself).
     */
    @Test
    void theGenericEngineReproducesRunC() {
        String text = GoldenConversionTest.verify(0, "--generic", OUT.resolve("plain.safetensors").toString());
        assertTrue(text.contains("generic engine"), text);
        assertTrue(text.contains("PASS expected.tokens"), text);
    }
}
