package dev.unroll.runtime.safetensors;

import static dev.unroll.runtime.UnrollException.safe;

import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.weights.TensorSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint split over several safetensors files by Hugging Face's convention: an index,
 * {@code model.safetensors.index.json}, whose {@code weight_map} names for every tensor the shard
 * file (in the index's folder) that holds it. A folder with a single {@code model.safetensors} reads
 * as one shard.
 *
 * <p>Opening checks the whole set before any tensor is read: shard names are plain file names in the
 * index's folder (no path, no {@code ..}), every shard is a valid safetensors file
 * ({@link SafetensorsFile#open}), every tensor of the index is in the shard the index names, and every
 * tensor of a shard is in the index under that shard. A shard that disagrees with the index is a
 * mixed-up download; reading it anyway would load some other checkpoint's tensors. Tensors are then
 * read one at a time from their shard, as {@link SafetensorsFile} reads them.
 */
public final class SafetensorsShards implements AutoCloseable {
    /** The index's file name in a Hugging Face model folder. */
    public static final String INDEX = "model.safetensors.index.json";
    /** The single file of an unsharded Hugging Face model folder. */
    public static final String SINGLE = "model.safetensors";
    /** Most shards an index may name (the largest published checkpoints have a few hundred). */
    public static final int MAX_SHARDS = 10_000;

    private final String source;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private SafetensorsShards(String source, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.source = source;
        this.files = files;
        this.byTensor = byTensor;
    }

    /**
     * Opens the weights of a Hugging Face model folder: {@value #SINGLE} when present, else the shards
     * its {@value #INDEX} names.
     *
     * @param folder the model folder
     * @return the open checkpoint; close it to release the files
     */
    public static SafetensorsShards openFolder(Path folder) {
        dev.unroll.runtime.internal.Checks.notNull("SafetensorsShards.openFolder: folder", folder);
        if (!Files.isDirectory(folder)) {
            throw new SafetensorsFormatException(folder + ": not a folder (a Hugging Face model folder holds " + SINGLE + " or " + INDEX + ")");
        }
        Path single = folder.resolve(SINGLE);
        if (Files.exists(single)) {
            SafetensorsFile f = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> by = new LinkedHashMap<>();
            for (String name : f.names()) {
                by.put(name, f);
            }
            return new SafetensorsShards(single.toString(), List.of(f), Collections.unmodifiableMap(by));
        }
        Path index = folder.resolve(INDEX);
        if (!Files.exists(index)) {
            throw new SafetensorsFormatException(folder + ": no weights: neither " + SINGLE + " nor " + INDEX + " (a sharded checkpoint's index)");
        }
        return open(index);
    }

    /**
     * Opens a sharded checkpoint from its index.
     *
     * @param index a {@code model.safetensors.index.json}; its shards lie beside it
     * @return the open checkpoint; close it to release the files
     */
    public static SafetensorsShards open(Path index) {
        dev.unroll.runtime.internal.Checks.notNull("SafetensorsShards.open: index", index);
        Map<String, Object> json = Json.asObject(Json.parseFile(index), index + ": the index");
        Object mapValue = json.get("weight_map");
        if (mapValue == null) {
            throw new SafetensorsFormatException(index + ": no \"weight_map\" (an index maps each tensor name to its shard file)");
        }
        Map<String, Object> weightMap = Json.asObject(mapValue, index + ": weight_map");
        if (weightMap.isEmpty()) {
            throw new SafetensorsFormatException(index + ": weight_map names no tensor");
        }
        Map<String, String> shardOf = new LinkedHashMap<>();
        Map<String, List<String>> tensorsOf = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : weightMap.entrySet()) {
            String shard = Json.asString(e.getValue(), index + ": weight_map[\"" + safe(e.getKey()) + "\"]");
            checkShardName(index, e.getKey(), shard);
            shardOf.put(e.getKey(), shard);
            tensorsOf.computeIfAbsent(shard, s -> new ArrayList<>()).add(e.getKey());
            if (tensorsOf.size() > MAX_SHARDS) {
                throw new SafetensorsFormatException(index + ": weight_map names more than " + MAX_SHARDS + " shard files");
            }
        }
        Path folder = index.toAbsolutePath().getParent();
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : tensorsOf.entrySet()) {
                Path file = folder.resolve(e.getKey());
                if (!Files.exists(file)) {
                    throw new SafetensorsFormatException(index + ": shard " + e.getKey() + " (holding '" + safe(e.getValue().get(0)) + "'"
                            + (e.getValue().size() > 1 ? " and " + (e.getValue().size() - 1) + " more" : "") + ") is not in " + folder);
                }
                SafetensorsFile f = SafetensorsFile.open(file);
                opened.add(f);
                for (String t : e.getValue()) {
                    if (!f.contains(t)) {
                        throw new SafetensorsFormatException(index + ": tensor '" + safe(t) + "' is mapped to " + e.getKey() + ", which does not hold it");
                    }
                    byTensor.put(t, f);
                }
                for (String t : f.names()) {
                    String listed = shardOf.get(t);
                    if (listed == null) {
                        throw new SafetensorsFormatException(file + " holds tensor '" + safe(t) + "', which " + index + " does not list: the shard and the index"
                                + " belong to different checkpoints");
                    }
                    if (!listed.equals(e.getKey())) {
                        throw new SafetensorsFormatException(file + " holds tensor '" + safe(t) + "', which " + index + " maps to " + safe(listed)
                                + ": the shard and the index belong to different checkpoints");
                    }
                }
            }
            SafetensorsShards s = new SafetensorsShards(index.toString(), List.copyOf(opened), Collections.unmodifiableMap(byTensor));
            opened.clear(); // owned by s now
            return s;
        } finally {
            for (SafetensorsFile f : opened) {
                f.close();
            }
        }
    }

    /** A shard is a plain safetensors file name beside the index: a path could read any file on the machine. */
    private static void checkShardName(Path index, String tensor, String shard) {
        boolean plain = !shard.isEmpty() && !shard.equals(".") && !shard.equals("..") && shard.indexOf('/') < 0 && shard.indexOf('\\') < 0
                && shard.indexOf(':') < 0 && shard.chars().noneMatch(Character::isISOControl);
        if (!plain || !shard.endsWith(".safetensors")) {
            throw new SafetensorsFormatException(index + ": weight_map[\"" + safe(tensor) + "\"] is \"" + safe(shard)
                    + "\": a shard is the name of a .safetensors file in the index's folder, without a path");
        }
    }

    /** @return the index (or the single file) this checkpoint was opened from */
    public String source() {
        return source;
    }

    /** @return the shard files, in the index's order */
    public List<SafetensorsFile> shards() {
        return files;
    }

    /** @return every tensor name, in the index's order */
    public Set<String> names() {
        return byTensor.keySet();
    }

    /**
     * @param name a tensor
     * @return its entry in its shard
     */
    public TensorInfo info(String name) {
        return shard(name).info(name);
    }

    /**
     * @param name a tensor
     * @return the shard that holds it
     * @throws SafetensorsFormatException when no shard does
     */
    public SafetensorsFile shard(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new SafetensorsFormatException(source + ": no tensor '" + safe(String.valueOf(name)) + "'");
        }
        return f;
    }

    /** @return the tensors of every shard, as one source (read one at a time, BF16, F16 and F64 converted) */
    public TensorSource tensors() {
        SafetensorsShards self = this;
        return new TensorSource() {
            @Override
            public String description() {
                return source;
            }

            @Override
            public Set<String> names() {
                return byTensor.keySet();
            }

            @Override
            public long[] shape(String name) {
                return self.info(name).shape();
            }

            @Override
            public double[] doubles(String name) {
                return self.shard(name).doubles(name);
            }

            @Override
            public float[] floats(String name) {
                return self.shard(name).floats(name);
            }
        };
    }

    @Override
    public void close() {
        SafetensorsFormatException first = null;
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (SafetensorsFormatException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
