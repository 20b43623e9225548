package dev.unroll.bench.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.cli.Unroll;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Hugging Face folder of SmolLM2-135M's shape, as the hub ships one: its published config.json and
 * the PyTorch reference's seeded weights (seed 7) in two safetensors shards with their index. {@code
 * unroll run transformer --model DIR --format F} runs it on the generated model of each format
 * ({@link SmolLM2}, {@link SmolLM2Bf16}, {@link SmolLM2Q8}, {@link SmolLM2Q4}, generated from the same
 * config.json) and prints the greedy tokens of the generic engine on the values that format stores (the
 * weights themselves for F32: the engine {@code RealShapesReferenceTest} holds to PyTorch's logits).
 * Without a tokenizer.json in the folder the tokens print as ids; text through real tokenizer.json
 * files is {@code HfFolderRunTest}'s (SmolLM2's own tokenizer is not on the registries this build reads).
 */
class SmolLM2FolderTest {
    private static final int TOKENS = 8;

    @TempDir
    static Path dir;
    static TransformerWeights weights;

    @BeforeAll
    static void folder() throws IOException {
        Path config = Path.of("src/main/resources/configs/smollm2-135m/config.json");
        TransformerSpec spec = HfConfig.read(config);
        weights = TransformerWeights.seeded(spec.with(TransformerSpec.MAX_SEQ, 512), 7);
        Files.copy(config, dir.resolve("config.json"));
        List<String> names = new ArrayList<>(TransformerWeights.shapes(weights.spec()).keySet());
        StringBuilder map = new StringBuilder();
        for (int shard = 0; shard < 2; shard++) {
            String file = "model-0000" + (shard + 1) + "-of-00002.safetensors";
            SafetensorsWriter w = new SafetensorsWriter();
            for (int i = shard; i < names.size(); i += 2) {
                String n = names.get(i);
                w.add(n, DType.F32, TransformerWeights.shapes(weights.spec()).get(n), weights.get(n));
                map.append(map.length() == 0 ? "" : ",\n    ").append('"').append(n).append("\": \"").append(file).append('"');
            }
            w.write(dir.resolve(file));
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {}, \"weight_map\": {\n    " + map + "\n}}\n");
    }

    @AfterAll
    static void drop() {
        weights = null;
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void eachFormatRunsOnItsGeneratedModelAndGivesTheEnginesTokens(WeightFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(List.of("run", "transformer", "--model", dir.toString(), "--format", format.name(), "--tokens", String.valueOf(TOKENS)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed + err.toString(StandardCharsets.UTF_8));
        String model = "SmolLM2" + switch (format) {
            case F32 -> "";
            case BF16 -> "Bf16";
            case Q8 -> "Q8";
            case Q4 -> "Q4";
        } + "Model";
        assertTrue(printed.contains("runs:   generated " + model), printed);
        int[] tokens = ids(printed);
        TransformerWeights stored = format == WeightFormat.F32 ? weights : weights.storedAs(format);
        int[] expected = new CachedGenerator(new GenericTransformer(stored)).generate(Generation.greedy(new int[] {1}, TOKENS).withStopTokens(Set.of()))
                .tokens();
        assertArrayEquals(expected, tokens, format + ": " + printed);
    }

    /** The ids line the command prints without a tokenizer: {@code [1, 2, 3]}. */
    private static int[] ids(String printed) {
        for (String line : printed.split("\n")) {
            if (line.startsWith("[")) {
                return Arrays.stream(line.substring(1, line.length() - 1).split(", ")).mapToInt(Integer::parseInt).toArray();
            }
        }
        throw new AssertionError("no ids in:\n" + printed);
    }
}
