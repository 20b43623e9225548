package dev.unroll.runtime.fuzz;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsShards;
import dev.unroll.runtime.safetensors.ShardedFolder;
import dev.unroll.runtime.safetensors.TensorInfo;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.HfTokenizer;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.weights.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The loaders as fuzz targets: each takes any bytes, loads them as a user's file would be loaded,
 * and uses what loads (generates, encodes, steps), so that a file that loads but cannot be used
 * is found too. A target may end normally or throw {@code UnrollException}; anything else is a
 * finding. The coverage-guided ({@link LoaderFuzzTest}) and the seeded mutation
 * ({@link LoaderMutationTest}) drivers share them.
 */
public final class FuzzTargets {
    private static final Path DIR = tempDir();
    private static final java.util.Set<String> WRITTEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FuzzTargets() {}

    /** @param data a safetensors file: every tensor is read, then a GLA layer's weights are loaded from it */
    public static void safetensors(byte[] data) {
        try (SafetensorsFile f = SafetensorsFile.open(write("fuzz.safetensors", data))) {
            for (TensorInfo t : f.tensors().values()) {
                if (t.dtype() == DType.I32 || t.dtype() == DType.I64) {
                    f.ints(t.name());
                } else {
                    f.doubles(t.name());
                }
            }
            AttentionWeights.load(AttentionSpec.builder(AttentionMode.GLA, 8).heads(2).build(), TensorSource.of(f));
        }
    }

    /** @param data a llama2.c checkpoint: a model that loads must generate */
    public static void llama2c(byte[] data) {
        java.nio.file.Path file = write("fuzz.bin", data);
        // opened, every tensor read on demand must be the one a whole load reads (or both fail cleanly)
        Llama2c.Checkpoint opened = Llama2c.open(file);
        Llama2c.Checkpoint c = Llama2c.load(file);
        for (java.util.Map.Entry<String, float[]> e : c.weights().tensors().entrySet()) {
            if (!Arrays.equals(e.getValue(), opened.weights().get(e.getKey()))) {
                throw new AssertionError(e.getKey() + " read on demand differs from the whole load");
            }
            // a matrix's rows, read alone, are the whole tensor's rows: a range taken from the data's length
            long[] shape = TransformerWeights.shapes(c.spec()).get(e.getKey());
            if (shape.length == 2) {
                int first = (int) (data.length % shape[0]);
                int count = (int) Math.min(shape[0] - first, 1 + data.length % 7);
                int cols = (int) shape[1];
                if (!Arrays.equals(Arrays.copyOfRange(e.getValue(), first * cols, (first + count) * cols), opened.weights().rows(e.getKey(), first, count))) {
                    throw new AssertionError(e.getKey() + " rows " + first + "+" + count + " read alone differ from the whole load");
                }
            }
        }
        new CachedGenerator(new GenericTransformer(c.weights())).generate(Generation.greedy(new int[] {Tokenizer.BOS}, 3));
    }

    /**
     * @param data a llama2.c tokenizer, loaded with the vocabulary size its records imply (the file
     *     does not record it): a tokenizer that loads must encode and decode any text
     */
    public static void tokenizer(byte[] data) {
        Tokenizer t = Tokenizer.load(write("fuzz.tok", data), impliedVocabulary(data));
        int[] ids = t.encode("Once upon a time, the \u00e9 \u6f22\u5b57 \u0000 end", true, true);
        String text = t.decode(ids);
        // a stream printing token by token prints the same bytes as the whole decode
        java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
        for (int i = 1; i < ids.length; i++) {
            streamed.writeBytes(t.printed(ids[i - 1], ids[i]));
        }
        if (!streamed.toString(StandardCharsets.UTF_8).equals(text)) {
            throw new AssertionError("printed token by token: '" + streamed.toString(StandardCharsets.UTF_8) + "', decoded: '" + text + "'");
        }
    }

    /**
     * @param data a Hugging Face {@code tokenizer.json}: a tokenizer that loads must encode a
     *     multilingual text (with and without special tokens) into ids of its vocabulary, and decode
     *     them, skipping special tokens or not
     */
    public static void hfTokenizer(byte[] data) {
        HfTokenizer t = HfTokenizer.load(write("fuzz-tokenizer.json", data));
        String text = "Once upon a time, don't  I'M \u00e9 e\u0301 \u6f22\u5b57 \ud83d\ude00 12345\n\t</s><|begin_of_text|> end ";
        for (boolean special : new boolean[] {false, true}) {
            int[] ids = t.encode(text, special);
            for (int id : ids) {
                if (id < 0 || id >= t.vocabSize()) {
                    throw new AssertionError("id " + id + " outside the vocabulary of " + t.vocabSize());
                }
                t.token(id);
            }
            t.decode(ids, false);
            t.decode(ids, true);
        }
    }

    /** Two shards of a small decoder's seeded weights, written once; {@link #shardIndex} writes the index beside them. */
    private static final Path SHARDS = tempShards();

    private static Path tempShards() {
        Path folder = DIR.resolve("shards");
        Path index = ShardedFolder.write(folder, TransformerWeights.seeded(tinyHf(), 1), 2,
                DType.F32);
        folder.toFile().deleteOnExit();
        index.toFile().deleteOnExit();
        for (int s = 0; s < 2; s++) {
            folder.resolve(ShardedFolder.name(s, 2)).toFile().deleteOnExit();
        }
        return folder;
    }

    private static TransformerSpec tinyHf() {
        return HfConfig.read(TestData.fixture("configs/tiny-untied.json"));
    }

    /**
     * @param data a {@code model.safetensors.index.json} beside two real shards: an index that opens
     *     must read every tensor it names, and one naming the whole model must load it
     */
    public static void shardIndex(byte[] data) {
        try {
            Files.write(SHARDS.resolve(SafetensorsShards.INDEX), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (SafetensorsShards s = SafetensorsShards.openFolder(SHARDS)) {
            for (String name : s.names()) {
                if (s.tensors().floats(name).length != Math.toIntExact(s.info(name).elementCount())) {
                    throw new AssertionError(name + ": the element count read differs from the shard's header");
                }
            }
            if (s.names().equals(TransformerWeights.shapes(tinyHf()).keySet())) {
                TransformerWeights.load(tinyHf(), s.tensors());
            }
        }
    }

    /**
     * @param data a GGUF file: every tensor that opens must read, and a llama decoder it describes must
     *     load and run a token
     */
    public static void gguf(byte[] data) {
        try (dev.unroll.runtime.gguf.GgufFile f = dev.unroll.runtime.gguf.GgufFile.open(write("fuzz.gguf", data))) {
            for (String name : f.tensors().keySet()) {
                float[] values = f.floats(name);
                dev.unroll.runtime.weights.BlockCodes codes = f.blockCodes(name);
                // a matrix read as its codes is the matrix read widened
                if (codes != null && !Arrays.equals(codes.values(), values)) {
                    throw new AssertionError(name + ": its codes and scales are not its widened values");
                }
                // a matrix's rows read alone are the whole tensor's rows: a range taken from the data's length
                long[] shape = f.tensor(name).shape();
                if (shape.length == 2 && shape[0] > 0 && shape[1] > 0) {
                    int first = (int) (data.length % shape[0]);
                    int count = (int) Math.min(shape[0] - first, 1 + data.length % 5);
                    int cols = (int) shape[1];
                    if (!Arrays.equals(Arrays.copyOfRange(values, first * cols, (first + count) * cols), f.floatRows(name, first, count))) {
                        throw new AssertionError(name + " rows " + first + "+" + count + " read alone differ from the whole tensor's");
                    }
                    dev.unroll.runtime.weights.BlockCodes some = f.blockCodes(name, first, count);
                    if ((some == null) != (codes == null) || some != null && (!Arrays.equals(some.codes(), codes.rows(first, count).codes())
                            || !Arrays.equals(some.scales(), codes.rows(first, count).scales()))) {
                        throw new AssertionError(name + " rows " + first + "+" + count + ": codes read alone differ from the whole tensor's");
                    }
                }
            }
            TransformerSpec spec = dev.unroll.runtime.gguf.GgufModel.spec(f);
            TransformerWeights w = TransformerWeights.load(spec, dev.unroll.runtime.gguf.GgufModel.tensors(f, spec));
            dev.unroll.runtime.gguf.GgufModel.blockFormat(f, spec);
            TransformerWeights lazy = TransformerWeights.onDemand(spec, dev.unroll.runtime.gguf.GgufModel.tensors(f, spec));
            for (String name : TransformerWeights.shapes(spec).keySet()) {
                if (!Arrays.equals(w.get(name), lazy.get(name))) {
                    throw new AssertionError(name + ": read on demand differs from read at load");
                }
            }
            for (String name : TransformerWeights.shapes(spec).keySet()) {
                if (w.blockCodes(name) != null) {
                    dev.unroll.runtime.codegen.PackedMatrix.pack(name, w.blockCodes(name));
                }
            }
            new CachedGenerator(new GenericTransformer(w)).generate(Generation.greedy(new int[] {0}, 2));
        }
    }

    /**
     * @param data a GGUF file whose byte-level BPE vocabulary ({@code GgufBpe}) must read or be refused
     *     cleanly; one that reads must encode a text of every kind (special tokens included) to ids of its
     *     vocabulary, which decode
     */
    public static void ggufBpe(byte[] data) {
        try (dev.unroll.runtime.gguf.GgufFile f = dev.unroll.runtime.gguf.GgufFile.open(write("fuzz-bpe.gguf", data))) {
            dev.unroll.runtime.gguf.GgufBpe.stopTokens(f);
            HfTokenizer t = dev.unroll.runtime.gguf.GgufBpe.tokenizer(f).orElse(null);
            if (t == null) {
                return;
            }
            String text = "Once upon a time, don't  I'M \u00e9 e\u0301 \u6f22\u5b57 \ud83d\ude00 12345\n\t</s><|begin_of_text|><|im_start|> end ";
            for (boolean special : new boolean[] {false, true}) {
                int[] ids = t.encode(text, special);
                for (int id : ids) {
                    if (id < 0 || id >= t.vocabSize()) {
                        throw new AssertionError("id " + id + " outside the vocabulary of " + t.vocabSize());
                    }
                }
                t.decode(ids, true);
            }
        }
    }

    /** @param data serialised attention state: a state that restores must round-trip and step */
    public static void stateBytes(byte[] data) {
        AttentionState s = AttentionState.fromBytes(data);
        // a descriptor may be written in other words (keyWidth 0 means the default); its canonical form must be stable
        byte[] canonical = s.toBytes();
        if (!Arrays.equals(canonical, AttentionState.fromBytes(canonical).toBytes())) {
            throw new AssertionError("a restored state does not serialise stably");
        }
        GenericLinearAttention layer = new GenericLinearAttention(AttentionWeights.seeded(s.spec()));
        double[] x = new double[s.spec().width()];
        Arrays.fill(x, 0.5);
        layer.step(s, x, new double[x.length]);
    }

    /** @param data descriptor JSON of any family (told apart by its members), as golden files carry them; a decoder's gets seeded weights (its optional {@code seed}) */
    public static void descriptors(byte[] data) {
        Map<String, Object> m = Json.parseObject(new String(data, StandardCharsets.ISO_8859_1));
        if (m.containsKey("mode")) {
            new GenericLinearAttention(AttentionWeights.seeded(AttentionSpec.fromJson(m))).newState();
        } else if (m.containsKey("maxSeq")) {
            TransformerSpec spec = TransformerSpec.fromJson(m);
            long seed = m.get("seed") instanceof Number n ? n.longValue() : 7;
            TransformerWeights w = TransformerWeights.seeded(spec, seed);
            for (Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
                float[] a = w.get(e.getKey());
                if (a.length != Arrays.stream(e.getValue()).reduce(1, (x, y) -> x * y)) {
                    throw new AssertionError("seeded " + e.getKey() + ": " + a.length + " values for shape " + Arrays.toString(e.getValue()));
                }
                for (float v : a) {
                    if (!Float.isFinite(v)) {
                        throw new AssertionError("seeded " + e.getKey() + ": " + v);
                    }
                }
            }
        } else {
            TrmSpec.fromJson(m).describe();
        }
    }

    /** @param data a reference attention JSON file: one that reads must run through the generic engine */
    public static void referenceJson(byte[] data) {
        ReferenceGolden g = ReferenceGolden.read(write("fuzz.json", data));
        GenericLinearAttention layer = new GenericLinearAttention(AttentionWeights.load(g.spec(), g.weights()));
        if (g.inputs().length == (long) g.tokens() * g.spec().width()) { // otherwise verify's own check reports it
            layer.forward(layer.newState(), g.inputs(), g.tokens(), new double[g.inputs().length]);
        }
    }

    /** @param data one call of the fla API, decoded by {@link FlaCalls}: it must return or fail with a clean error */
    public static void fla(byte[] data) {
        FlaCalls.call(data);
    }

    /** Counts the records (score, length, bytes) a tokenizer file holds, at most 65536; at least 1. */
    static int impliedVocabulary(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        if (b.remaining() >= 4) {
            b.getInt();
            while (b.remaining() >= 8 && n < 65536) {
                b.getFloat();
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    break;
                }
                b.position(b.position() + len);
                n++;
            }
        }
        return Math.max(1, n);
    }

    static Path write(String name, byte[] bytes) {
        try {
            Path p = DIR.resolve(name);
            if (WRITTEN.add(name)) {
                p.toFile().deleteOnExit();
            }
            return Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("unroll-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
