package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Transformer(config = ...)}: the shape read from a Hugging Face {@code config.json} found on
 * the source path, and each way it can go wrong as one error on the member at fault.
 */
class TransformerConfigTest {
    /** A small Llama, as a hub config.json writes one (keys the reader ignores included). */
    static final String LLAMA = "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\", \"hidden_act\": \"silu\", \"hidden_size\": 64,"
            + " \"intermediate_size\": 172, \"num_attention_heads\": 8, \"num_hidden_layers\": 2, \"num_key_value_heads\": 4,"
            + " \"max_position_embeddings\": 1024, \"rms_norm_eps\": 1e-05, \"rope_theta\": 10000.0, \"tie_word_embeddings\": true,"
            + " \"vocab_size\": 512, \"torch_dtype\": \"float32\"}";

    @TempDir
    Path dir;
    /** The descriptor last compiled. */
    private JavaFileObject f;

    private Compilation compile(String annotation, String configText) throws IOException {
        Path models = Files.createDirectories(dir.resolve("models/tiny"));
        if (configText != null) {
            Files.writeString(models.resolve("config.json"), configText);
        }
        f = Compile.source("Tiny", annotation.replace(", ", ",\n    ") + "\ninterface Tiny {}");
        return Compile.compile(false, List.of("-sourcepath", dir.toString()), f);
    }

    @Test
    void theShapeComesFromTheFileAndMaxSeqMayBeWrittenBesideIt() throws IOException {
        Compilation c = compile("@Transformer(config = \"models/tiny/config.json\", maxSeq = 128)", LLAMA);
        assertThat(c).succeededWithoutWarnings();
        String model = c.generatedSourceFile("test.TinyModel").orElseThrow().getCharContent(true).toString();
        assertTrue(model.contains("TransformerSpec.builder(2, 64, 8, 172, 512, 128)"), model.substring(0, Math.min(3000, model.length())));
        assertTrue(model.contains("RopeLayout.HALF_SPLIT"), "Hugging Face weights pair rotary channels by halves");
    }

    @Test
    void aFileNotFoundIsOneErrorOnConfig() throws IOException {
        Compilation c = compile("@Transformer(config = \"models/tiny/missing.json\")", LLAMA);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/ConfigNotFound] config \"models/tiny/missing.json\" was not found on the source path or the class path")
                .inFile(f).onLineContaining("config = \"models/tiny/missing.json\"");
    }

    @Test
    void namesOutsideTheLocationsOrOfAFolderAreNotFound() throws IOException {
        for (String name : List.of("../config.json", "models/tiny", "/etc/hostname", "models/tiny/config.json\\u0000", "*")) {
            Compilation c = compile("@Transformer(config = \"" + name + "\")", LLAMA);
            assertThat(c).hadErrorCount(1);
            assertThat(c).hadErrorContaining("[Unroll/ConfigNotFound]").inFile(f).onLineContaining("config = ");
        }
    }

    @Test
    void aModelTheKernelsCannotComputeIsOneErrorOnConfigNamingTheKey() throws IOException {
        Compilation c = compile("@Transformer(config = \"models/tiny/config.json\")", LLAMA.replace("\"llama\"", "\"gemma\""));
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/ConfigUnsupported] models/tiny/config.json: model_type \"gemma\" is not supported (supported: llama,")
                .inFile(f).onLineContaining("config = ");
        Compilation scaled = compile("@Transformer(config = \"models/tiny/config.json\")",
                LLAMA.replace("\"rope_theta\"", "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 32.0}, \"rope_theta\""));
        assertThat(scaled).hadErrorCount(1);
        assertThat(scaled).hadErrorContaining("rope_scaling {\"rope_type\":\"yarn\",\"factor\":32.0} is not supported").inFile(f)
                .onLineContaining("config = ");
        Compilation partial = compile("@Transformer(config = \"models/tiny/config.json\")",
                LLAMA.replace("\"rope_theta\"", "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 32.0}, \"rope_theta\""));
        assertThat(partial).hadErrorCount(1);
        assertThat(partial).hadErrorContaining("rope_scaling.low_freq_factor is missing").inFile(f).onLineContaining("config = ");
        Compilation broken = compile("@Transformer(config = \"models/tiny/config.json\")", "{\"model_type\": ");
        assertThat(broken).hadErrorCount(1);
        assertThat(broken).hadErrorContaining("[Unroll/ConfigUnsupported] models/tiny/config.json: not JSON").inFile(f).onLineContaining("config = ");
    }

    @Test
    void llama3sRopeScalingIsReadIntoTheGeneratedDescriptor() throws IOException {
        Compilation c = compile("@Transformer(config = \"models/tiny/config.json\")", LLAMA.replace("\"rope_theta\"",
                "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 32.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0,"
                        + " \"original_max_position_embeddings\": 64}, \"rope_theta\""));
        assertThat(c).succeededWithoutWarnings();
        String model = c.generatedSourceFile("test.TinyModel").orElseThrow().getCharContent(true).toString();
        assertTrue(model.contains(".set(TransformerSpec.ROPE_SCALING, 32.0)") && model.contains(".set(TransformerSpec.ROPE_ORIGINAL_MAX_SEQ, 64)"),
                model.substring(0, Math.min(3000, model.length())));
        Compilation plain = compile("@Transformer(config = \"models/tiny/config.json\")", LLAMA);
        assertTrue(!plain.generatedSourceFile("test.TinyModel").orElseThrow().getCharContent(true).toString().contains("ROPE_SCALING"),
                "an unscaled model's descriptor leaves the scaling members out");
    }

    @Test
    void aMemberThatContradictsTheFileIsAnErrorOnThatMember() throws IOException {
        Compilation c = compile("@Transformer(config = \"models/tiny/config.json\", layers = 4, heads = 8)", LLAMA);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Unroll/ConfigConflict] layers = 4 contradicts models/tiny/config.json (num_hidden_layers = 2)")
                .inFile(f).onLineContaining("layers = 4");
    }

    @Test
    void withoutConfigEveryShapeMemberIsRequired() throws IOException {
        Compilation c = compile("@Transformer(layers = 2, width = 64, heads = 8, ffnHidden = 172)", null);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("[Unroll/MissingMember] vocab is required: write it, or name a Hugging Face config.json with config")
                .inFile(f).onLineContaining("@Transformer(");
        assertThat(c).hadErrorContaining("[Unroll/MissingMember] maxSeq is required").inFile(f).onLineContaining("@Transformer(");
    }
}
