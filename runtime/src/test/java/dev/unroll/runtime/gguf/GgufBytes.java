package dev.unroll.runtime.gguf;

import dev.unroll.runtime.internal.HalfFloats;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a llama GGUF file (version 3) of a decoder's weights for tests and fuzz seeds, each matrix in
 * the type {@code typeOf} gives (norms F32), quantised as ggml's reference code rounds: Q8_0 {@code d =
 * amax / 127, q = round(x / d)}; Q4_0 {@code d = max / -8} (max the signed value of largest magnitude),
 * {@code q = min(15, (int) (x / d + 8.5))}.
 */
public final class GgufBytes {
    private GgufBytes() {}

    /**
     * @param spec the decoder (INTERLEAVED rotary pairs)
     * @param w its weights
     * @param typeOf the type of each matrix, by its Hugging Face name
     * @return the file's bytes
     */
    public static byte[] llama(TransformerSpec spec, TransformerWeights w, Function<String, GgmlType> typeOf) {
        return of("llama", spec, w, typeOf, false);
    }

    /**
     * @param arch {@code general.architecture}: llama (INTERLEAVED weights), qwen2 or qwen3 (HALF_SPLIT)
     * @param spec the decoder
     * @param w its weights
     * @param typeOf the type of each matrix, by its Hugging Face name
     * @param vocabulary whether to write a SentencePiece vocabulary of placeholder pieces (llama.cpp loads
     *     no model without one)
     * @return the file's bytes
     */
    public static byte[] of(String arch, TransformerSpec spec, TransformerWeights w, Function<String, GgmlType> typeOf, boolean vocabulary) {
        return of(arch, spec, w, typeOf, vocabulary, Map.of());
    }

    /**
     * @param arch {@code general.architecture}
     * @param spec the decoder
     * @param w its weights
     * @param typeOf the type of each matrix
     * @param vocabulary whether to write a placeholder vocabulary
     * @param metadata keys to write instead of (or besides) the ones the spec gives: a String as a string, a
     *     Long as an int64, an Integer as a uint32, a Float as a float32
     * @return the file's bytes
     */
    public static byte[] of(String arch, TransformerSpec spec, TransformerWeights w, Function<String, GgmlType> typeOf, boolean vocabulary,
            Map<String, Object> metadata) {
        return of(arch, spec, w, typeOf, vocabulary, metadata, Map.of());
    }

    /**
     * As {@link #of(String, TransformerSpec, TransformerWeights, Function, boolean, Map)}, with F32
     * tensors besides the decoder's (Llama 3's {@code rope_freqs.weight}), written first.
     *
     * @param arch {@code general.architecture}
     * @param spec the decoder
     * @param w its weights
     * @param typeOf the type of each matrix
     * @param vocabulary whether to write a placeholder vocabulary
     * @param metadata keys to write instead of or besides the spec's
     * @param extra GGUF name to a 1-D F32 tensor
     * @return the file's bytes
     */
    public static byte[] of(String arch, TransformerSpec spec, TransformerWeights w, Function<String, GgmlType> typeOf, boolean vocabulary,
            Map<String, Object> metadata, Map<String, float[]> extra) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("general.architecture", arch);
        m.put(arch + ".context_length", spec.maxSeq());
        m.put(arch + ".embedding_length", spec.width());
        m.put(arch + ".block_count", spec.layers());
        m.put(arch + ".feed_forward_length", spec.ffnHidden());
        m.put(arch + ".rope.dimension_count", spec.headWidth());
        m.put(arch + ".attention.head_count", spec.heads());
        m.put(arch + ".attention.head_count_kv", spec.kvHeads());
        if (spec.applies(TransformerSpec.HEAD_DIM)) {
            m.put(arch + ".attention.key_length", spec.headWidth());
            m.put(arch + ".attention.value_length", spec.headWidth());
        }
        m.put(arch + ".attention.layer_norm_rms_epsilon", (float) spec.normEps());
        m.put(arch + ".rope.freq_base", (float) spec.ropeTheta());
        m.putAll(metadata);
        Out meta = new Out();
        int kv = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            kv += meta.kv(e.getKey(), e.getValue());
        }
        if (vocabulary) {
            kv += meta.vocabulary(spec.vocab());
        }
        List<String> names = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        Out infos = new Out();
        long offset = 0;
        for (Map.Entry<String, float[]> e : extra.entrySet()) {
            byte[] bytes = encode(e.getValue(), GgmlType.F32);
            names.add(e.getKey());
            infos.string(e.getKey()).u32(1).u64(e.getValue().length).u32(GgmlType.F32.id()).u64(offset);
            data.add(bytes);
            offset = align(offset + bytes.length);
        }
        for (Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
            long[] shape = e.getValue();
            GgmlType t = shape.length == 1 ? GgmlType.F32 : typeOf.apply(e.getKey());
            byte[] bytes = encode(w.get(e.getKey()), t);
            String name = GgufModel.ggufName(e.getKey());
            names.add(name);
            infos.string(name).u32(shape.length);
            for (int d = shape.length - 1; d >= 0; d--) {
                infos.u64(shape[d]);
            }
            infos.u32(t.id()).u64(offset);
            data.add(bytes);
            offset = align(offset + bytes.length);
        }
        Out file = new Out();
        file.u32(0x46554747).u32(3).u64(names.size()).u64(kv);
        file.bytes(meta.toArray()).bytes(infos.toArray());
        file.pad();
        for (byte[] b : data) {
            file.bytes(b).pad();
        }
        return file.toArray();
    }

    /**
     * A vocabulary-only GGUF file (no tensors) of a byte-level BPE {@code tokenizer.json}, byte for byte
     * as bench's {@code GgufWriter vocab} writes it for llama.cpp: a small llama's keys, then
     * {@code tokenizer.ggml.model} "gpt2", {@code pre}, the tokens by id (a gap as {@code [PADn]}, type 5),
     * the types (added tokens 3 when special, else 4; others 1), the merges as "a b", the BOS and EOS ids
     * (negative: absent) and {@code add_bos_token}.
     *
     * @param tokenizerJson the tokenizer.json
     * @param pre {@code tokenizer.ggml.pre}
     * @param bos the BOS id, or -1
     * @param eos the EOS id, or -1
     * @param addBos {@code tokenizer.ggml.add_bos_token}
     * @return the file's bytes
     * @throws java.io.IOException when the tokenizer.json cannot be read
     */
    public static byte[] bpeVocabulary(java.nio.file.Path tokenizerJson, String pre, int bos, int eos, boolean addBos) throws java.io.IOException {
        Map<String, Object> m = smallLlama();
        m.putAll(bpeKeys(tokenizerJson, pre));
        if (bos >= 0) {
            m.put("tokenizer.ggml.bos_token_id", bos);
        }
        if (eos >= 0) {
            m.put("tokenizer.ggml.eos_token_id", eos);
        }
        m.put("tokenizer.ggml.add_bos_token", addBos);
        return metadataOnly(m);
    }

    /**
     * The vocabulary keys of a byte-level BPE {@code tokenizer.json} (model, pre, tokens, token_type,
     * merges), as {@link #bpeVocabulary} writes them.
     *
     * @param tokenizerJson the tokenizer.json
     * @param pre {@code tokenizer.ggml.pre}
     * @return the keys, in order
     * @throws java.io.IOException when the file cannot be read
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> bpeKeys(java.nio.file.Path tokenizerJson, String pre) throws java.io.IOException {
        Map<String, Object> root = (Map<String, Object>) dev.unroll.runtime.internal.json.Json.parse(java.nio.file.Files.readString(tokenizerJson));
        Map<String, Object> model = (Map<String, Object>) root.get("model");
        java.util.TreeMap<Integer, String> byId = new java.util.TreeMap<>();
        Map<Integer, Integer> types = new java.util.HashMap<>();
        ((Map<String, Object>) model.get("vocab")).forEach((t, id) -> byId.put(((Long) id).intValue(), t));
        for (Object o : (List<Object>) root.getOrDefault("added_tokens", List.of())) {
            Map<String, Object> a = (Map<String, Object>) o;
            int id = ((Long) a.get("id")).intValue();
            byId.put(id, (String) a.get("content"));
            types.put(id, Boolean.TRUE.equals(a.get("special")) ? 3 : 4);
        }
        int n = byId.lastKey() + 1;
        List<String> tokens = new ArrayList<>();
        int[] type = new int[n];
        for (int i = 0; i < n; i++) {
            tokens.add(byId.getOrDefault(i, "[PAD" + i + "]"));
            type[i] = !byId.containsKey(i) ? 5 : types.getOrDefault(i, 1);
        }
        List<String> merges = new ArrayList<>();
        for (Object m : (List<Object>) model.get("merges")) {
            merges.add(m instanceof String s ? s : String.join(" ", (List<String>) m));
        }
        return bpeKeys(pre, tokens, type, merges);
    }

    /**
     * The keys of a byte-level BPE vocabulary, in {@link #bpeVocabulary}'s order, to change or add to.
     *
     * @param pre {@code tokenizer.ggml.pre}
     * @param tokens the tokens
     * @param types their types
     * @param merges the merges
     * @return the keys, in order
     */
    public static Map<String, Object> bpeKeys(String pre, List<String> tokens, int[] types, List<String> merges) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", pre);
        m.put("tokenizer.ggml.tokens", tokens);
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.merges", merges);
        return m;
    }

    /** @return the keys of a small llama, which llama.cpp needs to load a vocabulary-only file */
    private static Map<String, Object> smallLlama() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("general.architecture", "llama");
        m.put("llama.context_length", 64);
        m.put("llama.embedding_length", 64);
        m.put("llama.block_count", 1);
        m.put("llama.feed_forward_length", 64);
        m.put("llama.attention.head_count", 1);
        m.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        return m;
    }

    /**
     * A GGUF file of metadata only: a String as a string, an Integer as a uint32, a Long as an int64, a
     * Float as a float32, a Boolean as a bool, a List of strings as a string array, an int[] as an int32 array.
     *
     * @param metadata the keys, in order
     * @return the file's bytes, padded to 32
     */
    public static byte[] metadataOnly(Map<String, Object> metadata) {
        Out meta = new Out();
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            meta.kv(e.getKey(), e.getValue());
        }
        Out file = new Out();
        file.u32(0x46554747).u32(3).u64(0).u64(metadata.size()).bytes(meta.toArray()).pad();
        return file.toArray();
    }

    private static long align(long n) {
        return (n + 31) / 32 * 32;
    }

    static byte[] encode(float[] x, GgmlType t) {
        ByteBuffer b = ByteBuffer.allocate((int) ((long) x.length / t.blockSize() * t.blockBytes())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t) {
            case F32 -> {
                for (float v : x) {
                    b.putFloat(v);
                }
            }
            case F16 -> {
                for (float v : x) {
                    b.putShort(HalfFloats.floatToF16(v));
                }
            }
            case BF16 -> {
                for (float v : x) {
                    b.putShort(HalfFloats.floatToBf16(v));
                }
            }
            case Q8_0 -> {
                for (int i = 0; i < x.length; i += 32) {
                    float amax = 0;
                    for (int j = 0; j < 32; j++) {
                        amax = Math.max(amax, Math.abs(x[i + j]));
                    }
                    float d = amax / 127;
                    float id = d == 0 ? 0 : 1 / d;
                    b.putShort(HalfFloats.floatToF16(d));
                    for (int j = 0; j < 32; j++) {
                        b.put((byte) Math.round(x[i + j] * id));
                    }
                }
            }
            case Q4_0 -> {
                for (int i = 0; i < x.length; i += 32) {
                    float max = 0;
                    for (int j = 0; j < 32; j++) {
                        max = Math.abs(x[i + j]) > Math.abs(max) ? x[i + j] : max;
                    }
                    float d = max / -8;
                    float id = d == 0 ? 0 : 1 / d;
                    b.putShort(HalfFloats.floatToF16(d));
                    for (int j = 0; j < 16; j++) {
                        int lo = Math.min(15, (int) (x[i + j] * id + 8.5f));
                        int hi = Math.min(15, (int) (x[i + 16 + j] * id + 8.5f));
                        b.put((byte) (lo | hi << 4));
                    }
                }
            }
            default -> throw new IllegalStateException(t.name());
        }
        return b.array();
    }

    /** Little-endian bytes. */
    private static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Out bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Out u32(long v) {
            return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        Out u64(long v) {
            return bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Out string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u64(b.length).bytes(b);
        }

        @SuppressWarnings("unchecked")
        int kv(String key, Object value) {
            if (value instanceof Boolean b) {
                string(key).u32(7).bytes(new byte[] {(byte) (b ? 1 : 0)});
                return 1;
            }
            if (value instanceof int[] a) {
                string(key).u32(9).u32(5).u64(a.length);
                for (int x : a) {
                    u32(x);
                }
                return 1;
            }
            if (value instanceof List<?> l) {
                string(key).u32(9).u32(8).u64(l.size());
                for (String x : (List<String>) l) {
                    string(x);
                }
                return 1;
            }
            if (value instanceof String v) {
                return kvString(key, v);
            }
            if (value instanceof Float v) {
                return kvF32(key, v);
            }
            if (value instanceof Long v) {
                string(key).u32(11).u64(v);
                return 1;
            }
            return kvU32(key, (Integer) value);
        }

        int kvString(String key, String value) {
            string(key).u32(8).string(value);
            return 1;
        }

        int kvU32(String key, long value) {
            string(key).u32(4).u32(value);
            return 1;
        }

        int kvF32(String key, float value) {
            string(key).u32(6).u32(Float.floatToRawIntBits(value));
            return 1;
        }

        /** tokenizer.ggml.model "llama" with pieces "<unk>", "<s>", "</s>", then "▁t3", "▁t4", ...: 4 keys. */
        int vocabulary(int vocab) {
            kvString("tokenizer.ggml.model", "llama");
            string("tokenizer.ggml.tokens").u32(9).u32(8).u64(vocab);
            for (int i = 0; i < vocab; i++) {
                string(i == 0 ? "<unk>" : i == 1 ? "<s>" : i == 2 ? "</s>" : "\u2581t" + i);
            }
            string("tokenizer.ggml.scores").u32(9).u32(6).u64(vocab);
            for (int i = 0; i < vocab; i++) {
                u32(Float.floatToRawIntBits(-i));
            }
            string("tokenizer.ggml.token_type").u32(9).u32(5).u64(vocab);
            for (int i = 0; i < vocab; i++) {
                u32(i == 0 ? 2 : i < 3 ? 3 : 1);
            }
            return 4;
        }

        Out pad() {
            while (out.size() % 32 != 0) {
                out.write(0);
            }
            return this;
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }
}
