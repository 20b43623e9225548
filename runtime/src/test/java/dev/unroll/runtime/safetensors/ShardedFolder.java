package dev.unroll.runtime.safetensors;

import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model's tensors as Hugging Face shards them: {@code model-0000i-of-0000n.safetensors}
 * files, tensors dealt round-robin, and the {@code model.safetensors.index.json} that maps them.
 */
public final class ShardedFolder {
    private ShardedFolder() {}

    /**
     * @param dir the folder (created)
     * @param w the weights, under Hugging Face's names
     * @param shards how many files
     * @param dtype the element type every tensor is stored in
     * @return the index file
     */
    public static Path write(Path dir, TransformerWeights w, int shards, DType dtype) {
        List<SafetensorsWriter> writers = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            writers.add(new SafetensorsWriter());
        }
        Map<String, Object> weightMap = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, long[]> e : TransformerWeights.shapes(w.spec()).entrySet()) {
            int s = i++ % shards;
            writers.get(s).add(e.getKey(), dtype, e.getValue(), w.get(e.getKey()));
            weightMap.put(e.getKey(), name(s, shards));
        }
        try {
            Files.createDirectories(dir);
            for (int s = 0; s < shards; s++) {
                writers.get(s).write(dir.resolve(name(s, shards)));
            }
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("metadata", Map.of("total_size", 0L));
            index.put("weight_map", weightMap);
            return Files.writeString(dir.resolve(SafetensorsShards.INDEX), Json.write(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return Hugging Face's name for shard {@code s} (from 0) of {@code n} */
    public static String name(int s, int n) {
        return String.format("model-%05d-of-%05d.safetensors", s + 1, n);
    }
}
