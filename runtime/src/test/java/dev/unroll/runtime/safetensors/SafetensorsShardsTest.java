package dev.unroll.runtime.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.HalfFloats;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.HfReference;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharded checkpoints ({@code model.safetensors.index.json}): the tensors of every shard read as one
 * model, equal to the weights written and giving the PyTorch reference's logits; BF16 and F16 shards
 * widened at load; an index and shards that disagree, or an index that names a path, refused with the
 * tensor and file named.
 */
class SafetensorsShardsTest {
    @TempDir
    Path dir;

    private static TransformerSpec tiny() {
        return HfConfig.read(TestData.fixture("configs/tiny-untied.json"));
    }

    @Test
    void shardsReadAsOneModelGivingTheReferencesLogits() {
        TransformerWeights w = TransformerWeights.seeded(tiny(), 7);
        ShardedFolder.write(dir, w, 3, DType.F32);
        try (SafetensorsShards s = SafetensorsShards.openFolder(dir)) {
            assertEquals(3, s.shards().size());
            assertEquals(TransformerWeights.shapes(tiny()).keySet(), s.names());
            for (String name : s.names()) {
                assertArrayEquals(w.get(name), s.tensors().floats(name), name);
                assertEquals(name, s.info(name).name());
            }
            HfReference.assertLogits(new GenericTransformer(TransformerWeights.load(tiny(), s.tensors())), "tiny-untied", "generic, 3 shards");
        }
    }

    @Test
    void halfPrecisionShardsAreWidenedAtLoad() {
        TransformerWeights w = TransformerWeights.seeded(tiny(), 7);
        for (DType half : new DType[] {DType.BF16, DType.F16}) {
            Path folder = dir.resolve(half.name());
            ShardedFolder.write(folder, w, 2, half);
            try (SafetensorsShards s = SafetensorsShards.openFolder(folder)) {
                for (String name : s.names()) {
                    float[] want = w.get(name);
                    float[] got = s.tensors().floats(name);
                    for (int i = 0; i < want.length; i++) {
                        float rounded = half == DType.BF16 ? HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(want[i]))
                                : HalfFloats.f16ToFloat(HalfFloats.floatToF16(want[i]));
                        assertEquals(rounded, got[i], name + "[" + i + "] as " + half);
                    }
                }
            }
        }
    }

    @Test
    void aSingleFileFolderReadsAsOneShard() {
        TransformerWeights w = TransformerWeights.seeded(tiny(), 7);
        SafetensorsWriter out = new SafetensorsWriter();
        TransformerWeights.shapes(tiny()).forEach((name, shape) -> out.add(name, DType.F32, shape, w.get(name)));
        out.write(dir.resolve(SafetensorsShards.SINGLE));
        try (SafetensorsShards s = SafetensorsShards.openFolder(dir)) {
            assertEquals(1, s.shards().size());
            assertArrayEquals(w.get("model.norm.weight"), s.tensors().floats("model.norm.weight"));
        }
    }

    /** An index with one shard's name replaced, and what opening it must say. */
    private record Broken(String from, String to, String says) {}

    @Test
    void anIndexThatDisagreesWithItsShardsIsRefusedNamingTheTensorAndFile() throws IOException {
        TransformerWeights w = TransformerWeights.seeded(tiny(), 7);
        String first = ShardedFolder.name(0, 2);
        String second = ShardedFolder.name(1, 2);
        String index = Files.readString(ShardedFolder.write(dir.resolve("good"), w, 2, DType.F32));
        List<Broken> cases = List.of(
                new Broken("\"" + first + "\"", "\"../" + first + "\"", "without a path"),
                new Broken("\"" + first + "\"", "\"/etc/" + first + "\"", "without a path"),
                new Broken("\"" + first + "\"", "\"model.bin\"", "a .safetensors file"),
                new Broken("\"" + first + "\"", "\"..\"", "a .safetensors file"),
                new Broken("\"" + first + "\"", "\"\"", "a .safetensors file"),
                new Broken("\"" + first + "\"", "\"other.safetensors\"", "shard other.safetensors (holding 'model.embed_tokens.weight') is not in"),
                new Broken("\"model.norm.weight\"", "\"model.norm.weighs\"", "tensor 'model.norm.weighs' is mapped to"),
                new Broken("\"model.norm.weight\":\"" + second + "\"", "\"model.norm.weight\":\"" + first + "\"", "which does not hold it"),
                new Broken("\"weight_map\"", "\"weights\"", "no \"weight_map\""),
                new Broken("\"" + first + "\"", "7", "weight_map[\"model.embed_tokens.weight\"]"));
        int n = 0;
        for (Broken c : cases) {
            assertTrue(index.contains(c.from()), c.from());
            Path bad = Files.createDirectories(dir.resolve("bad" + n++));
            for (String shard : List.of(first, second)) {
                Files.copy(dir.resolve("good").resolve(shard), bad.resolve(shard));
            }
            Files.writeString(bad.resolve(SafetensorsShards.INDEX), index.replaceFirst(java.util.regex.Pattern.quote(c.from()),
                    java.util.regex.Matcher.quoteReplacement(c.to())));
            UnrollException e = assertThrows(UnrollException.class, () -> SafetensorsShards.openFolder(bad).close(), c.to());
            assertTrue(e.getMessage().contains(c.says()), c.to() + ": " + e.getMessage());
        }
    }

    @Test
    void aShardHoldingATensorTheIndexDoesNotListIsRefused() throws IOException {
        TransformerWeights w = TransformerWeights.seeded(tiny(), 7);
        Path index = ShardedFolder.write(dir, w, 2, DType.F32);
        String entry = "\"model.norm.weight\":\"" + ShardedFolder.name(1, 2) + "\"";
        String text = Files.readString(index);
        assertTrue(text.contains(entry), text);
        Files.writeString(index, text.replace(entry + ",", "").replace("," + entry, ""));
        UnrollException e = assertThrows(UnrollException.class, () -> SafetensorsShards.open(index).close());
        assertTrue(e.getMessage().contains("holds tensor 'model.norm.weight', which " + index + " does not list"), e.getMessage());
    }

    @Test
    void aTruncatedShardOrNoWeightsIsOneCleanError() throws IOException {
        TransformerWeights w = TransformerWeights.seeded(tiny(), 7);
        ShardedFolder.write(dir, w, 2, DType.F32);
        Path shard = dir.resolve(ShardedFolder.name(1, 2));
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4);
        }
        UnrollException e = assertThrows(UnrollException.class, () -> SafetensorsShards.openFolder(dir).close());
        assertTrue(e.getMessage().startsWith(shard.toString()), e.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(UnrollException.class, () -> SafetensorsShards.openFolder(empty));
        assertTrue(e.getMessage().contains("neither model.safetensors nor model.safetensors.index.json"), e.getMessage());
        e = assertThrows(UnrollException.class, () -> SafetensorsShards.openFolder(shard));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }
}
