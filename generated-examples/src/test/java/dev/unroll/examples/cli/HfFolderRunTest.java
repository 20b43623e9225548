package dev.unroll.examples.cli;

import static dev.unroll.examples.cli.CliRun.unroll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.cli.CliRun.Result;
import dev.unroll.examples.hf.TinyHfLlamaModel;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsShards;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.safetensors.ShardedFolder;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.HfTokenizer;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unroll run transformer --model DIR} on a Hugging Face model folder (config.json, model.safetensors
 * or shards with their index, tokenizer.json): the text the generic engine and the tokenizer give, streamed; a generated model of the
 * folder's shape when there is one; a folder that is not one is one line, exit 3.
 */
class HfFolderRunTest {
    private static final String CONFIG = "{\"model_type\": \"llama\", \"hidden_act\": \"silu\", \"hidden_size\": 32, \"intermediate_size\": 80,"
            + " \"num_attention_heads\": 4, \"num_hidden_layers\": 2, \"num_key_value_heads\": 2, \"max_position_embeddings\": 64,"
            + " \"rms_norm_eps\": 1e-05, \"rope_theta\": 10000.0, \"tie_word_embeddings\": true, \"vocab_size\": 290}";

    @TempDir
    Path dir;

    /** A folder as the hub has them: the config, the weights under Hugging Face's names, optionally the tokenizer. */
    private static Path folder(Path dir, String config, TransformerWeights w, boolean tokenizer) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config);
        SafetensorsWriter out = new SafetensorsWriter();
        for (Map.Entry<String, long[]> e : TransformerWeights.shapes(w.spec()).entrySet()) {
            out.add(e.getKey(), DType.F32, e.getValue(), w.get(e.getKey()));
        }
        out.write(dir.resolve("model.safetensors"));
        if (tokenizer) {
            Files.copy(TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"), dir.resolve("tokenizer.json"));
        }
        return dir;
    }

    @Test
    void aFolderGeneratesTheGenericEnginesTextThroughItsTokenizer() throws IOException {
        TransformerSpec spec = HfConfig.parse(CONFIG, "config.json");
        TransformerWeights w = TransformerWeights.seeded(spec, 5);
        Path model = folder(dir.resolve("tiny"), CONFIG, w, true);
        Result r = unroll("run", "transformer", "--model", model.toString(), "--prompt", "Hello world", "--tokens", "20", "--no-stop");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("runs:   generic"), r.out());
        HfTokenizer tok = HfTokenizer.load(model.resolve("tokenizer.json"));
        int[] tokens = new CachedGenerator(new GenericTransformer(w)).generate(Generation.greedy(tok.encode("Hello world", true), 20)
                .withStopTokens(Set.of())).tokens();
        assertTrue(r.out().stripTrailing().endsWith(tok.decode(tokens, true).stripTrailing()), r.out() + "\nwant: " + tok.decode(tokens, true));
        assertTrue(r.err().contains("20 new tokens after a " + tok.encode("Hello world", true).length + "-token prompt"), r.err());
    }

    @Test
    void aGeneratedModelOfTheFoldersShapeRunsItsCappedContextIncluded() throws IOException {
        String config = Files.readString(Path.of("src/main/resources/configs/tiny-hf-llama/config.json"));
        TransformerWeights w = TransformerWeights.seeded(TinyHfLlamaModel.SPEC, 9);
        Path model = folder(dir.resolve("hf-llama"), config, w, false);
        Result r = unroll("run", "transformer", "--model", model.toString(), "--tokens", "16", "--no-stop");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("runs:   generated TinyHfLlamaModel"), r.out());
        int[] want = new CachedGenerator(new GenericTransformer(w)).generate(Generation.greedy(new int[] {1}, 16).withStopTokens(Set.of())).tokens();
        String ids = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertArrayEquals(want, Arrays.stream(ids.substring(1, ids.length() - 1).split(", ")).mapToInt(Integer::parseInt).toArray(), r.out());
    }

    @Test
    void aShardedBf16FolderRunsAsItsWeightsRoundedToBf16() throws IOException {
        String config = Files.readString(Path.of("src/main/resources/configs/tiny-hf-llama/config.json"));
        TransformerWeights w = TransformerWeights.seeded(TinyHfLlamaModel.SPEC, 9);
        Path model = dir.resolve("sharded");
        ShardedFolder.write(model, w, 3, DType.BF16);
        Files.writeString(model.resolve("config.json"), config);
        Result r = unroll("run", "transformer", "--model", model.toString(), "--tokens", "16", "--no-stop");
        assertEquals(0, r.code(), r.err());
        TransformerWeights rounded;
        try (SafetensorsShards s = SafetensorsShards.openFolder(model)) {
            rounded = TransformerWeights.load(TinyHfLlamaModel.SPEC, s.tensors());
        }
        int[] want = new CachedGenerator(new GenericTransformer(rounded)).generate(Generation.greedy(new int[] {1}, 16).withStopTokens(Set.of())).tokens();
        String ids = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertArrayEquals(want, Arrays.stream(ids.substring(1, ids.length() - 1).split(", ")).mapToInt(Integer::parseInt).toArray(), r.out());
        assertTrue(Arrays.stream(TransformerWeights.shapes(TinyHfLlamaModel.SPEC).keySet().toArray(String[]::new))
                .anyMatch(n -> !Arrays.equals(w.get(n), rounded.get(n))), "BF16 shards must hold rounded weights");
    }

    @Test
    void whatIsNotAModelFolderIsOneLine() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path sharded = Files.createDirectories(dir.resolve("sharded"));
        Files.writeString(sharded.resolve("config.json"), CONFIG);
        Files.writeString(sharded.resolve("model.safetensors.index.json"), "{}");
        Path big = dir.resolve("small-vocab");
        String small = CONFIG.replace("\"vocab_size\": 290", "\"vocab_size\": 100");
        folder(big, small, TransformerWeights.seeded(HfConfig.parse(small, "c"), 1), true);
        Object[][] cases = {
            {empty, "has no config.json"},
            {sharded, "model.safetensors.index.json: no \"weight_map\""},
            {big, "more than the model's vocabulary (100"},
        };
        for (Object[] c : cases) {
            Result r = unroll("run", "transformer", "--model", c[0].toString(), "--tokens", "4");
            assertEquals(3, r.code(), r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains((String) c[1]), r.err());
        }
    }
}
