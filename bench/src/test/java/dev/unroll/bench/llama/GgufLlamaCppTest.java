package dev.unroll.bench.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.gguf.GgufFile;
import dev.unroll.runtime.gguf.GgufModel;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfReference;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stories260K written as an F32 GGUF file by {@link GgufWriter} (the file llama.cpp loaded for the
 * runtime's {@code data/gguf/stories260K-f32-llamacpp-logits.json}, written again here: the writer is
 * deterministic) and read back by the runtime's {@link GgufModel}: the checkpoint's descriptor and
 * tensors, llama.cpp's logits on that file within F32 tolerance, and its 40 greedy tokens from BOS.
 */
class GgufLlamaCppTest {
    @TempDir
    Path dir;

    @Test
    void theF32FileReadsAsTheCheckpointAndGivesLlamaCppsLogits() throws Exception {
        Llama2c.Checkpoint c = Llama2c.load(TestData.fixture("models/stories260K/stories260K.bin"));
        Path gguf = dir.resolve("stories260K-f32.gguf");
        GgufWriter.write(c.spec(), c.weights(), TestData.fixture("models/stories260K/tok512.bin"), gguf);
        try (GgufFile f = GgufFile.open(gguf)) {
            TransformerSpec spec = GgufModel.spec(f);
            assertEquals(c.spec(), spec);
            TransformerWeights w = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            for (String name : TransformerWeights.shapes(spec).keySet()) {
                assertArrayEquals(c.weights().get(name), w.get(name), name);
            }
            HfReference.assertLogits(new GenericTransformer(w), TestData.fixture("gguf/stories260K-f32-llamacpp-logits.json"),
                    "Unroll on llama.cpp's F32 file");
            // greedy from BOS, as llama.cpp's driver generated on the same file: the same 40 tokens
            java.util.Map<String, Object> greedy = dev.unroll.runtime.internal.json.Json.parseObject(
                    java.nio.file.Files.readString(TestData.fixture("gguf/stories260K-f32-llamacpp-greedy.json")));
            int[] expected = ((java.util.List<?>) greedy.get("tokens")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            int[] got = new dev.unroll.runtime.transformer.CachedGenerator(new GenericTransformer(w))
                    .generate(dev.unroll.runtime.transformer.Generation.greedy(new int[] {1}, expected.length).withStopTokens(java.util.Set.of())).tokens();
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, 1, got.length), "llama.cpp's greedy tokens");
        }
    }
}
