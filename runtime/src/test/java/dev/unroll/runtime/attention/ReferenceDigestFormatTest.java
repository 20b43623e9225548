package dev.unroll.runtime.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attention reference's width-64 layout (inputs in a sibling file, weights as statistics of the
 * seeded draw, outputs at some tokens) is read as it is: the committed examples (Unroll's own numbers
 * in that layout, {@link ReferenceDigestExamples}) and, wherever the shared reference folder holds
 * them, the reference's own files; the generic engine must reproduce them within the manifest's 1e-12.
 */
class ReferenceDigestFormatTest {
    @TempDir
    Path dir;

    /** Runs a file through the generic engine, comparing the stored outputs and the final state. */
    static void reproduces(ReferenceGolden g) {
        GenericLinearAttention layer = new GenericLinearAttention(AttentionWeights.load(g.spec(), g.weights()));
        AttentionState s = layer.newState();
        int d = g.spec().width();
        double[] y = new double[d];
        int[] keep = g.outputTokens();
        int row = 0;
        for (int t = 0; t < g.tokens(); t++) {
            layer.step(s, java.util.Arrays.copyOfRange(g.inputs(), t * d, (t + 1) * d), y);
            if (keep == null || (row < keep.length && keep[row] == t)) {
                scaled(java.util.Arrays.copyOfRange(g.outputs(), row * d, (row + 1) * d), y, g.source() + " token " + t);
                row++;
            }
        }
        assertEquals(keep == null ? g.tokens() : keep.length, row, "every stored output compared");
        scaled(g.finalState(), s.values(), g.source() + " final state");
    }

    static void scaled(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(err <= 1e-12 * Math.max(scale, 1e-300), what + ": scaled error " + err / scale);
    }

    @Test
    void theCommittedExamplesReadAsTheReferenceWritesThem() {
        for (Map.Entry<String, AttentionSpec> v : ReferenceDigestExamples.VARIANTS.entrySet()) {
            ReferenceGolden g = ReferenceGolden.read(TestData.fixture("golden/attention-digest/" + v.getKey() + ".json"));
            assertEquals(v.getValue(), g.spec());
            assertEquals(ReferenceDigestExamples.TOKENS, g.tokens());
            assertArrayEquals(ReferenceDigestExamples.outputTokens(g.tokens()).stream().mapToInt(Integer::intValue).toArray(), g.outputTokens());
            AttentionWeights seeded = AttentionWeights.seeded(g.spec());
            for (String name : seeded.names()) {
                assertArrayEquals(seeded.get(name), g.weights().doubles(name), 0.0, name);
            }
            reproduces(g);
        }
    }

    /** The reference's own width-64 files, read as they are, wherever the shared folder holds them. */
    @Test
    void theReferencesOwnWidth64FilesReadWherePresent() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : DataFiles.roots()) {
            Path golden = root.resolve("golden/attention");
            if (root.endsWith("data") && root.toString().replace('\\', '/').endsWith(DataFiles.FIXTURES)) {
                continue; // the repository's fixtures: Unroll's examples, read above
            }
            if (Files.isDirectory(golden)) {
                try (Stream<Path> files = Files.walk(golden)) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".json") && !f.toString().endsWith(".inputs.json")).sorted().toList()) {
                        if (Files.readString(p, StandardCharsets.UTF_8).contains("\"" + ReferenceGolden.INPUTS_FILE + "\"")) {
                            found.add(p);
                        }
                    }
                }
            }
        }
        if (found.isEmpty()) {
            String line = "skipped: no width-64 reference files (golden/attention/**/*.json with an inputs_file) in " + DataFiles.roots();
            System.out.println("[Unroll tests] " + line);
            Assumptions.abort(line);
        }
        for (Path p : found) {
            reproduces(ReferenceGolden.read(p));
        }
    }

    private Path copy(String variant) throws IOException {
        Path src = TestData.fixture("golden/attention-digest/" + variant + ".json");
        Path to = Files.createTempDirectory(dir, "copy");
        Files.copy(src.resolveSibling(variant + ".inputs.json"), to.resolve(variant + ".inputs.json"));
        return Files.copy(src, to.resolve(variant + ".json"));
    }

    @SuppressWarnings("unchecked")
    private Path edited(String variant, java.util.function.Consumer<Map<String, Object>> edit) throws IOException {
        Path p = copy(variant);
        Map<String, Object> root = Json.asObject(Json.parseFile(p), "root");
        edit.accept(root);
        Files.writeString(p, Json.write(root));
        return p;
    }

    @SuppressWarnings("unchecked")
    @Test
    void aDigestOfOtherWeightsIsAnErrorNamingTheTensorAndTheStatistic() throws IOException {
        Path other = edited("gla", r -> {
            Map<String, Object> e = (Map<String, Object>) ((List<Object>) r.get("weights_digest")).get(2);
            e.put("sum", (Double) e.get("sum") + 1e-6);
        });
        UnrollException e = assertThrows(UnrollException.class, () -> ReferenceGolden.read(other));
        assertTrue(e.getMessage().contains("weights_digest of tensor 'heads.0.w_query': sum is"), e.getMessage());
        Path lastBit = edited("gated_deltanet_static", r -> {
            Map<String, Object> e2 = (Map<String, Object>) ((List<Object>) r.get("weights_digest")).get(0);
            e2.put("sum_sq", Math.nextUp((Double) e2.get("sum_sq")));
        });
        reproduces(ReferenceGolden.read(lastBit)); // the two libms may differ in a last bit
        Path order = edited("gla", r -> java.util.Collections.swap((List<Object>) r.get("weights_digest"), 0, 1));
        UnrollException o = assertThrows(UnrollException.class, () -> ReferenceGolden.read(order));
        assertTrue(o.getMessage().contains("weights_digest[0] is tensor 'heads.0.w_value'; @LinearAttention(mode = GLA"), o.getMessage());
    }

    @Test
    void theInputsFileIsASiblingThatAgreesWithTheGoldenFile() throws IOException {
        Path up = edited("gla", r -> r.put("inputs_file", "../gla.inputs.json"));
        assertTrue(assertThrows(UnrollException.class, () -> ReferenceGolden.read(up)).getMessage()
                .contains("inputs_file \"../gla.inputs.json\" must name a file in the golden file's own folder"));
        Path missing = edited("gla", r -> r.put("inputs_file", "none.json"));
        assertTrue(assertThrows(UnrollException.class, () -> ReferenceGolden.read(missing)).getMessage().contains("none.json"));
        Path count = edited("gla", r -> r.put("n_tokens", 25));
        assertTrue(assertThrows(UnrollException.class, () -> ReferenceGolden.read(count)).getMessage()
                .contains("n_tokens is 25 but the inputs hold 24 tokens"));
        Path beyond = edited("gla", r -> r.put("output_tokens", List.of(0, 4, 30)));
        assertTrue(assertThrows(UnrollException.class, () -> ReferenceGolden.read(beyond)).getMessage()
                .contains("output_tokens[2] = 30: the tokens must ascend within the 24 inputs"));
    }
}
