package dev.unroll.examples.cli;

import static dev.unroll.examples.cli.CliRun.unroll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.cli.CliRun.Result;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.gguf.GgmlType;
import dev.unroll.runtime.gguf.GgufBpe;
import dev.unroll.runtime.gguf.GgufBytes;
import dev.unroll.runtime.gguf.GgufFile;
import dev.unroll.runtime.gguf.GgufModel;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfTokenizer;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unroll run transformer --model FILE.gguf}: llama.cpp's Q8_0 stories260K runs on the generated
 * model of its shape and prints the text its own vocabulary gives (the same as llama2.c's tokenizer
 * file); a file without a vocabulary prints ids; a broken file is one line, exit 3.
 */
class GgufRunTest {
    @TempDir
    Path dir;

    @Test
    void llamaCppsQ8FileGeneratesTheTextOfItsWeightsThroughItsOwnVocabulary() {
        Path file = TestData.fixture("gguf/stories260K-q8_0.gguf");
        Result r = unroll("run", "transformer", "--model", file.toString(), "--prompt", "Once upon a time", "--tokens", "30");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("runs:   generated Stories260KQ8Model"), r.out());
        assertTrue(r.out().contains("format: Q8, the file's blocks as they are"), r.out());
        try (GgufFile f = GgufFile.open(file)) {
            TransformerSpec spec = GgufModel.spec(f);
            TransformerWeights w = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            Tokenizer own = GgufModel.tokenizer(f).orElseThrow();
            Tokenizer tok512 = Tokenizer.load(TestData.fixture("models/stories260K/tok512.bin"), 512);
            int[] prompt = own.encode("Once upon a time", true, false);
            assertArrayEquals(tok512.encode("Once upon a time", true, false), prompt, "the file's vocabulary is llama2.c's tok512");
            // the Q8 model keeps the file's Q8_0 blocks and quantises its F16 down projections
            int[] tokens = new CachedGenerator(new GenericTransformer(w.storedAs(dev.unroll.annotations.WeightFormat.Q8))).generate(Generation.greedy(prompt, 30).withStopTokens(Set.of(Tokenizer.BOS))).tokens();
            // the result's tokens are the prompt's, then the new ones
            String text = own.decode(tokens);
            assertTrue(r.out().contains(text.strip()), r.out() + "\nwant: " + text);
        }
    }

    /**
     * A file entirely in Q4_0 runs on the Q4 model of its shape (its blocks as they are) unless
     * {@code --format} asks otherwise; a format no generated model of the shape has is one line.
     */
    @Test
    void aQ4FileRunsOnTheQ4ModelUnlessAskedOtherwise() {
        Path file = TestData.fixture("gguf/tiny-blocks-q4_0.gguf");
        Result q4 = unroll("run", "transformer", "--model", file.toString(), "--tokens", "12");
        assertEquals(0, q4.code(), q4.err());
        assertTrue(q4.out().contains("runs:   generated TinyBlocksQ4Model"), q4.out());
        Result f32 = unroll("run", "transformer", "--model", file.toString(), "--tokens", "12", "--format", "F32");
        assertEquals(0, f32.code(), f32.err());
        assertTrue(!f32.out().contains("TinyBlocksQ4Model") && !f32.out().contains("format: Q4"), f32.out());
        Result bf16 = unroll("run", "transformer", "--model", file.toString(), "--tokens", "12", "--format", "BF16");
        assertEquals(2, bf16.code(), bf16.out());
        assertTrue(bf16.err().contains("--format BF16: no generated model of") && bf16.err().contains("weights = WeightFormat.BF16"), bf16.err());
    }

    @Test
    void aByteLevelBpeVocabularyTakesTextInAndGivesTextOut() throws IOException {
        // a Qwen2-style decoder over the repository's tiny byte-level vocabulary (290 ids), its keys as llama.cpp's converter writes them
        TransformerSpec spec = TransformerSpec.builder(1, 32, 2, 32, 290, 32).set(TransformerSpec.KV_HEADS, 1)
                .set(TransformerSpec.ROPE, dev.unroll.annotations.RopeLayout.HALF_SPLIT).build();
        TransformerWeights w = TransformerWeights.seeded(spec, 5);
        Map<String, Object> keys = new LinkedHashMap<>(GgufBytes.bpeKeys(TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"), "qwen2"));
        keys.put("tokenizer.ggml.bos_token_id", 286);
        keys.put("tokenizer.ggml.eos_token_id", 287);
        Path file = Files.write(dir.resolve("bpe.gguf"), GgufBytes.of("qwen2", spec, w, n -> GgmlType.F32, false, keys));
        Result r = unroll("run", "transformer", "--model", file.toString(), "--prompt", "Hello world, héllo 世界", "--tokens", "12", "--no-stop");
        assertEquals(0, r.code(), r.err());
        try (GgufFile f = GgufFile.open(file)) {
            HfTokenizer own = GgufBpe.tokenizer(f).orElseThrow();
            int[] prompt = own.encode("Hello world, héllo 世界", true);
            assertArrayEquals(new int[] {274, 270, 44}, Arrays.copyOf(prompt, 3), "qwen2 adds no BOS; Hello and ' world' are merged tokens");
            int[] tokens = new CachedGenerator(new GenericTransformer(TransformerWeights.load(spec, GgufModel.tensors(f, spec))))
                    .generate(Generation.greedy(prompt, 12)).tokens();
            String text = own.decode(tokens, true);
            assertTrue(text.startsWith("Hello world, héllo 世界"), text);
            assertTrue(r.out().contains(text.strip()), r.out() + "\nwant: " + text);
        }
        // qwen2 adds no BOS: without a prompt there is nothing to start from
        Result empty = unroll("run", "transformer", "--model", file.toString(), "--tokens", "3");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().contains("adds no beginning-of-sequence token (tokenizer.ggml.add_bos_token): give a prompt"), empty.err());
        // a pre-tokenizer not read: one line naming the key and value with a prompt; the ids without one
        keys.put("tokenizer.ggml.pre", "falcon");
        Path falcon = Files.write(dir.resolve("falcon.gguf"), GgufBytes.of("qwen2", spec, w, n -> GgmlType.F32, false, keys));
        Result refused = unroll("run", "transformer", "--model", falcon.toString(), "--prompt", "Hello");
        assertEquals(3, refused.code(), refused.out() + refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("tokenizer.ggml.pre \"falcon\" is not read"), refused.err());
        Result ids = unroll("run", "transformer", "--model", falcon.toString(), "--tokens", "3", "--no-stop");
        assertEquals(0, ids.code(), ids.err());
        assertTrue(ids.out().contains("tokenizer.ggml.pre \"falcon\" is not read") && ids.out().contains("the tokens print as ids"), ids.out());
    }

    @Test
    void aFileWithoutAVocabularyPrintsIdsAndABrokenOneIsOneLine() throws IOException {
        TransformerSpec spec = TransformerSpec.builder(1, 32, 2, 32, 8, 16).set(TransformerSpec.KV_HEADS, 1).build();
        TransformerWeights w = TransformerWeights.seeded(spec, 3);
        Path file = Files.write(dir.resolve("tiny.gguf"), GgufBytes.llama(spec, w, n -> GgmlType.Q4_0));
        Result ids = unroll("run", "transformer", "--model", file.toString(), "--tokens", "5", "--no-stop");
        assertEquals(0, ids.code(), ids.err());
        assertTrue(ids.out().contains("tokenizer: none in the file Unroll reads"), ids.out());
        Result prompt = unroll("run", "transformer", "--model", file.toString(), "--prompt", "hi");
        assertEquals(2, prompt.code(), prompt.err());
        assertTrue(prompt.err().contains("--prompt needs a tokenizer"), prompt.err());
        // a GGUF file is one by its magic, whatever its name
        Path renamed = Files.copy(file, dir.resolve("TINY.BIN"));
        Result byMagic = unroll("run", "transformer", "--model", renamed.toString(), "--tokens", "5", "--no-stop");
        assertEquals(0, byMagic.code(), byMagic.err());
        assertTrue(byMagic.out().contains("tokenizer: none in the file"), byMagic.out());
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(Files.readAllBytes(file), 300));
        Result broken = unroll("run", "transformer", "--model", cut.toString());
        assertEquals(3, broken.code(), broken.out() + broken.err());
        assertEquals(1, broken.err().strip().lines().count(), broken.err());
        assertTrue(broken.err().contains(cut + ": "), broken.err());
    }
}
