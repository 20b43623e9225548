package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.UnrollException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HfConfig}: published {@code config.json} files read as the {@code @Transformer} they describe, or refused by name. */
class HfConfigTest {
    @TempDir
    Path dir;

    private static TransformerSpec read(String name) {
        return HfConfig.read(TestData.fixture("configs/" + name));
    }

    private static String refusal(String name) {
        return assertThrows(UnrollException.class, () -> read(name)).getMessage();
    }

    @Test
    void smolLm2IsATiedLlamaWithGroupedQueries() {
        TransformerSpec s = read("smollm2-135m.json");
        assertEquals(TransformerSpec.builder(30, 576, 9, 1536, 49152, 8192).set(TransformerSpec.KV_HEADS, 3)
                .set(TransformerSpec.ROPE_THETA, 100000.0).set(TransformerSpec.NORM_EPS, 1e-5).set(TransformerSpec.TIED_CLASSIFIER, true)
                .set(TransformerSpec.ROPE, RopeLayout.HALF_SPLIT).build(), s);
        assertEquals(64, s.headWidth());
        // 134,515,008 parameters, as the model card's 135M says
        assertEquals(134_515_008L, s.parameters());
    }

    @Test
    void tinyLlamaHasAnUntiedClassifier() {
        TransformerSpec s = read("tinyllama-1.1b.json");
        assertEquals(TransformerSpec.builder(22, 2048, 32, 5632, 32000, 2048).set(TransformerSpec.KV_HEADS, 4)
                .set(TransformerSpec.ROPE_THETA, 10000.0).set(TransformerSpec.NORM_EPS, 1e-5).set(TransformerSpec.TIED_CLASSIFIER, false)
                .set(TransformerSpec.ROPE, RopeLayout.HALF_SPLIT).build(), s);
        assertEquals(1_100_048_384L, s.parameters());
    }

    @Test
    void whatTheFamilyCannotComputeIsRefusedNamingTheKeyAndWhy() {
        String gemma = assertThrows(UnrollException.class, () -> HfConfig.parse("{\"model_type\": \"gemma\"}", "cfg")).getMessage();
        assertTrue(gemma.contains("model_type \"gemma\" is not supported (supported: llama, mistral, qwen2, qwen3)"), gemma);
    }

    @Test
    void qwen25IsALlamaWithBiasesOnQKAndV() {
        TransformerSpec s = read("qwen2.5-0.5b.json");
        assertEquals(TransformerSpec.builder(24, 896, 14, 4864, 151936, 32768).set(TransformerSpec.KV_HEADS, 2)
                .set(TransformerSpec.ROPE_THETA, 1000000.0).set(TransformerSpec.NORM_EPS, 1e-6).set(TransformerSpec.TIED_CLASSIFIER, true)
                .set(TransformerSpec.ROPE, RopeLayout.HALF_SPLIT).set(TransformerSpec.QKV_BIAS, true).build(), s);
        // 494,032,768 parameters: Qwen2.5-0.5B's model card says 0.49B
        assertEquals(494_032_768L, s.parameters());
        assertTrue(TransformerWeights.shapes(s).containsKey("model.layers.23.self_attn.v_proj.bias"));
    }

    @Test
    void qwen3s06bHasHeadsWiderThanWidthOverHeads() {
        TransformerSpec s = read("qwen3-0.6b.json");
        assertEquals(TransformerSpec.builder(28, 1024, 16, 3072, 151936, 40960).set(TransformerSpec.KV_HEADS, 8)
                .set(TransformerSpec.ROPE_THETA, 1000000.0).set(TransformerSpec.NORM_EPS, 1e-6).set(TransformerSpec.TIED_CLASSIFIER, true)
                .set(TransformerSpec.ROPE, RopeLayout.HALF_SPLIT).set(TransformerSpec.QK_NORM, true).set(TransformerSpec.HEAD_DIM, 128).build(), s);
        assertEquals(128, s.headWidth());
        assertEquals(2048, s.queryWidth());
        assertEquals(1024, s.kvWidth());
        // 596,049,920 parameters (0.44B without the embedding), as Qwen3-0.6B's model card says
        assertEquals(596_049_920L, s.parameters());
        // a head_dim of width / heads is the default's: the same descriptor as none
        TransformerSpec smol = read("smollm2-135m.json");
        assertEquals(smol, smol.with(TransformerSpec.HEAD_DIM, 64));
    }

    @Test
    void qwen3NormalisesEachQueryAndKeyHead() {
        TransformerSpec s = HfConfig.read(TestData.fixture("configs/tiny-qwen3.json"));
        assertTrue(s.qkNorm() && !s.qkvBias());
        assertEquals(java.util.List.of(16L), java.util.Arrays.stream(TransformerWeights.shapes(s).get("model.layers.1.self_attn.k_norm.weight"))
                .boxed().toList());
    }

    @Test
    void zeroKeyValueHeadsAWindowFlagThatIsNotABooleanAndABrokenFileAreNamed() throws Exception {
        String base = "{\"model_type\": \"qwen2\", \"num_hidden_layers\": 2, \"hidden_size\": 64, \"num_attention_heads\": 4,"
                + " \"intermediate_size\": 96, \"vocab_size\": 100";
        String m = assertThrows(UnrollException.class, () -> HfConfig.parse(base + ", \"num_key_value_heads\": 0}", "cfg")).getMessage();
        assertTrue(m.contains("num_key_value_heads is 0"), m);
        assertEquals(4, HfConfig.parse(base + ", \"num_key_value_heads\": null}", "cfg").kvHeads());
        m = assertThrows(UnrollException.class, () -> HfConfig.parse(base + ", \"use_sliding_window\": \"true\"}", "cfg")).getMessage();
        assertTrue(m.contains("use_sliding_window must be true or false, got \"true\""), m);
        assertEquals(1.0, HfConfig.parse(base + ", \"rope_scaling\": {\"rope_type\": \"default\"}}", "cfg").ropeScaling());
        Path broken = Files.writeString(dir.resolve("config.json"), base + ", \"rms_norm_eps\": NaN}");
        m = assertThrows(UnrollException.class, () -> HfConfig.read(broken)).getMessage();
        assertTrue(m.startsWith(broken + ": "), m);
    }

    @Test
    void aQwenSlidingWindowInUseIsRefused() {
        String cfg = "{\"model_type\": \"qwen2\", \"num_hidden_layers\": 2, \"hidden_size\": 64, \"num_attention_heads\": 4, \"intermediate_size\": 96,"
                + " \"vocab_size\": 100, \"max_position_embeddings\": 4096, \"sliding_window\": 1024, \"use_sliding_window\": ";
        assertTrue(HfConfig.parse(cfg + "false}", "cfg").qkvBias());
        String m = assertThrows(UnrollException.class, () -> HfConfig.parse(cfg + "true}", "cfg")).getMessage();
        assertTrue(m.contains("sliding_window 1024 is not supported"), m);
    }

    @Test
    void llama32HasLlama3sRopeScaling() {
        TransformerSpec s = read("llama-3.2-1b.json");
        assertEquals(TransformerSpec.builder(16, 2048, 32, 8192, 128256, 131072).set(TransformerSpec.KV_HEADS, 8)
                .set(TransformerSpec.ROPE_THETA, 500000.0).set(TransformerSpec.NORM_EPS, 1e-5).set(TransformerSpec.TIED_CLASSIFIER, true)
                .set(TransformerSpec.ROPE, RopeLayout.HALF_SPLIT).set(TransformerSpec.ROPE_SCALING, 32.0)
                .set(TransformerSpec.ROPE_LOW_FREQ_FACTOR, 1.0).set(TransformerSpec.ROPE_HIGH_FREQ_FACTOR, 4.0)
                .set(TransformerSpec.ROPE_ORIGINAL_MAX_SEQ, 8192).build(), s);
        // 1,235,814,400 parameters: Llama 3.2 1B
        assertEquals(1_235_814_400L, s.parameters());
        assertTrue(s.describe().endsWith("ropeScaling = 32.0, ropeLowFreqFactor = 1.0, ropeHighFreqFactor = 4.0, ropeOriginalMaxSeq = 8192)"),
                s.describe());
    }

    @Test
    void ropeScalingOtherThanLlama3sIsRefusedNamingIt() {
        String base = "{\"model_type\": \"llama\", \"num_hidden_layers\": 2, \"hidden_size\": 64, \"num_attention_heads\": 4,"
                + " \"intermediate_size\": 96, \"vocab_size\": 100, \"rope_scaling\": ";
        String[][] cases = {
            {"{\"type\": \"linear\", \"factor\": 2.0}}", "rope_scaling {\"type\":\"linear\",\"factor\":2.0} is not supported: of the scaled"},
            {"{\"rope_type\": \"yarn\", \"factor\": 4.0}}", "Llama 3's (rope_type \"llama3\") is computed"},
            {"{\"factor\": 4.0}}", "(this one names no rope_type)"},
            {"{\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0}}",
                "rope_scaling.original_max_position_embeddings is missing"},
            {"{\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 4.0, \"high_freq_factor\": 4.0,"
                + " \"original_max_position_embeddings\": 8192}}", "[Unroll/OutOfRange] ropeHighFreqFactor (4.0) must be in (ropeLowFreqFactor = 4.0"},
            {"{\"rope_type\": \"llama3\", \"factor\": 0.5, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0,"
                + " \"original_max_position_embeddings\": 8192}}", "ropeScaling (0.5) must be in [1"},
            {"7}", "rope_scaling must be an object"},
        };
        for (String[] c : cases) {
            String m = assertThrows(UnrollException.class, () -> HfConfig.parse(base + c[0], "cfg")).getMessage();
            assertTrue(m.contains(c[1]), c[0] + ": " + m);
        }
    }

    @Test
    void absentKeysTakeLlamaConfigsDefaults() throws Exception {
        TransformerSpec s = HfConfig.parse("{\"model_type\": \"llama\", \"num_hidden_layers\": 2, \"hidden_size\": 64, \"num_attention_heads\": 4,"
                + " \"intermediate_size\": 96, \"vocab_size\": 100}", "mini");
        assertEquals(4, s.kvHeads());
        assertEquals(2048, s.maxSeq());
        assertEquals(1e-6, s.get(TransformerSpec.NORM_EPS));
        assertEquals(10000.0, s.get(TransformerSpec.ROPE_THETA));
        assertEquals(false, s.tiedClassifier());
        Path f = Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"mistral\", \"num_hidden_layers\": 2, \"hidden_size\": 64,"
                + " \"num_attention_heads\": 4, \"intermediate_size\": 96, \"vocab_size\": 100, \"sliding_window\": null}");
        assertEquals(s, HfConfig.read(f));
    }

    @Test
    void badFilesAreErrorsNamingTheKey() {
        String base = "\"model_type\": \"llama\", \"num_hidden_layers\": 2, \"hidden_size\": 64, \"num_attention_heads\": 4, \"intermediate_size\": 96";
        String[][] cases = {
            {"{" + base + "}", "cfg: vocab_size is missing (the @Transformer member vocab)"},
            {"{" + base + ", \"vocab_size\": 1.5}", "vocab_size must be an integer"},
            {"{" + base + ", \"vocab_size\": 100, \"hidden_act\": \"gelu\"}", "hidden_act \"gelu\" is not supported"},
            {"{" + base + ", \"vocab_size\": 100, \"head_dim\": 33}", "head width headDim (33) must be even"},
            {"{" + base + ", \"vocab_size\": 100, \"head_dim\": -2}", "headDim (-2) must be in [0, 65536]"},
            {"{" + base + ", \"vocab_size\": 100, \"attention_bias\": true}", "attention_bias true is not supported"},
            {"{" + base + ", \"vocab_size\": 100, \"tie_word_embeddings\": \"yes\"}", "tie_word_embeddings must be true or false"},
            {"{" + base.replace("llama", "mistral") + ", \"vocab_size\": 100, \"sliding_window\": 4096, \"max_position_embeddings\": 32768}",
                "sliding_window 4096 is not supported"},
            {"{" + base.replace("\"hidden_size\": 64", "\"hidden_size\": 66") + ", \"vocab_size\": 100}", "cfg: "},
            {"{\"num_hidden_layers\": 2}", "model_type is missing"},
            {"{\"model_type\": \"gemma\"}", "model_type \"gemma\" is not supported (supported: llama, mistral, qwen2, qwen3)"},
            {"[1, 2]", "the configuration"},
            {"{", "cfg"},
        };
        for (String[] c : cases) {
            UnrollException e = assertThrows(UnrollException.class, () -> HfConfig.parse(c[0], "cfg"), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
