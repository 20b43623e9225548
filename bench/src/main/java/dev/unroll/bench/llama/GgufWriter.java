package dev.unroll.bench.llama;

import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.unroll.runtime.internal.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a llama2.c checkpoint and its tokenizer as an F32 GGUF file (version 3) that llama.cpp
 * loads as a "llama" model, for bench/vs-llamacpp.sh: the same weights, so both sides compute the
 * same model. llama2.c's q and k rows are already in the pair order llama.cpp's llama RoPE rotates
 * (adjacent pairs), so tensors are written as stored; a tied classifier is left out (llama.cpp then
 * uses the token embedding). The tokenizer's pieces and scores become an SPM vocabulary (ids in,
 * ids out: the benchmark never tokenises text).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.unroll.bench.llama.GgufWriter MODEL.bin TOKENIZER.bin OUT.gguf}
 *
 * <p>With {@code vocab TOKENIZER.json PRE BOS EOS ADD_BOS OUT.gguf} it writes a vocabulary-only file
 * (no tensors; llama.cpp loads it with {@code vocab_only}) of a Hugging Face byte-level BPE
 * {@code tokenizer.json} as llama.cpp's converter lays it out ({@code tokenizer.ggml.model} "gpt2"): the
 * tokens by id (a gap as {@code [PADn]} of type unused), each added token of type control (special) or
 * user-defined (not), the merges as "a b" in file order, {@code tokenizer.ggml.pre} PRE, the BOS and EOS
 * ids (-1: absent) and {@code add_bos_token} (true or false). bench/llamacpp/tokenize-vectors.sh runs it;
 * the runtime's tests write the same bytes (runtime's {@code GgufBytes.bpeVocabulary}).
 */
public final class GgufWriter {
    private static final int ALIGNMENT = 32;
    private static final int TYPE_UINT32 = 4;
    private static final int TYPE_INT32 = 5;
    private static final int TYPE_FLOAT32 = 6;
    private static final int TYPE_BOOL = 7;
    private static final int TYPE_STRING = 8;
    private static final int TYPE_ARRAY = 9;
    private static final int GGML_F32 = 0;

    private final ByteArrayBuilder header = new ByteArrayBuilder();
    private int kvCount;

    private GgufWriter() {}

    /**
     * @param args checkpoint, tokenizer, output
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 7 && args[0].equals("vocab")) {
            byte[] b = vocabulary(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Boolean.parseBoolean(args[5]));
            Files.write(Path.of(args[6]), b);
            System.out.println("wrote " + args[6]);
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: GgufWriter MODEL.bin TOKENIZER.bin OUT.gguf | vocab TOKENIZER.json PRE BOS EOS ADD_BOS OUT.gguf");
            System.exit(2);
        }
        Llama2c.Checkpoint c = Llama2c.load(Path.of(args[0]));
        write(c.spec(), c.weights(), Path.of(args[1]), Path.of(args[2]));
        System.out.println("wrote " + args[2]);
    }

    private record Tensor(String name, float[] data, long[] dims) {}

    static void write(TransformerSpec s, TransformerWeights w, Path tokenizer, Path out) throws IOException {
        GgufWriter g = new GgufWriter();
        g.string("general.architecture", "llama");
        g.string("general.name", "llama2.c " + s.describe());
        g.u32("llama.context_length", s.maxSeq());
        g.u32("llama.embedding_length", s.width());
        g.u32("llama.block_count", s.layers());
        g.u32("llama.feed_forward_length", s.ffnHidden());
        g.u32("llama.rope.dimension_count", s.headWidth());
        g.u32("llama.attention.head_count", s.heads());
        g.u32("llama.attention.head_count_kv", s.kvHeads());
        g.f32("llama.attention.layer_norm_rms_epsilon", (float) s.normEps());
        g.f32("llama.rope.freq_base", (float) s.ropeTheta());
        g.u32("general.file_type", 0);
        g.vocabulary(tokenizer, s.vocab());
        List<Tensor> tensors = new ArrayList<>();
        long d = s.width();
        long f = s.ffnHidden();
        long kv = s.kvWidth();
        tensors.add(new Tensor("token_embd.weight", w.get("model.embed_tokens.weight"), new long[] {d, s.vocab()}));
        tensors.add(new Tensor("output_norm.weight", w.get("model.norm.weight"), new long[] {d}));
        if (!s.tiedClassifier()) {
            tensors.add(new Tensor("output.weight", w.get("lm_head.weight"), new long[] {d, s.vocab()}));
        }
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            String b = "blk." + l + ".";
            tensors.add(new Tensor(b + "attn_norm.weight", w.get(p + "input_layernorm.weight"), new long[] {d}));
            tensors.add(new Tensor(b + "attn_q.weight", w.get(p + "self_attn.q_proj.weight"), new long[] {d, d}));
            tensors.add(new Tensor(b + "attn_k.weight", w.get(p + "self_attn.k_proj.weight"), new long[] {d, kv}));
            tensors.add(new Tensor(b + "attn_v.weight", w.get(p + "self_attn.v_proj.weight"), new long[] {d, kv}));
            tensors.add(new Tensor(b + "attn_output.weight", w.get(p + "self_attn.o_proj.weight"), new long[] {d, d}));
            tensors.add(new Tensor(b + "ffn_norm.weight", w.get(p + "post_attention_layernorm.weight"), new long[] {d}));
            tensors.add(new Tensor(b + "ffn_gate.weight", w.get(p + "mlp.gate_proj.weight"), new long[] {d, f}));
            tensors.add(new Tensor(b + "ffn_down.weight", w.get(p + "mlp.down_proj.weight"), new long[] {f, d}));
            tensors.add(new Tensor(b + "ffn_up.weight", w.get(p + "mlp.up_proj.weight"), new long[] {d, f}));
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            ByteArrayBuilder head = new ByteArrayBuilder();
            head.u32(0x46554747).u32(3).u64(tensors.size()).u64(g.kvCount);
            head.bytes(g.header.toArray());
            long offset = 0;
            for (Tensor t : tensors) {
                head.string(t.name()).u32(t.dims().length);
                for (long dim : t.dims()) {
                    head.u64(dim);
                }
                head.u32(GGML_F32).u64(offset);
                offset = align(offset + 4L * t.data().length);
            }
            byte[] h = head.toArray();
            os.write(h);
            os.write(new byte[(int) (align(h.length) - h.length)]);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                for (float v : t.data()) {
                    if (!buf.hasRemaining()) {
                        os.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
                os.write(buf.array(), 0, buf.position());
                buf.clear();
                long bytes = 4L * t.data().length;
                os.write(new byte[(int) (align(bytes) - bytes)]);
            }
        }
    }

    /** The vocabulary-only GGUF file of a byte-level BPE tokenizer.json (see the class comment). */
    @SuppressWarnings("unchecked")
    static byte[] vocabulary(Path tokenizerJson, String pre, int bos, int eos, boolean addBos) throws IOException {
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(tokenizerJson));
        Map<String, Object> model = (Map<String, Object>) root.get("model");
        Map<Integer, String> byId = new TreeMap<>();
        Map<Integer, Integer> types = new HashMap<>();
        ((Map<String, Object>) model.get("vocab")).forEach((t, id) -> byId.put(((Long) id).intValue(), t));
        for (Object o : (List<Object>) root.getOrDefault("added_tokens", List.of())) {
            Map<String, Object> a = (Map<String, Object>) o;
            int id = ((Long) a.get("id")).intValue();
            byId.put(id, (String) a.get("content"));
            types.put(id, Boolean.TRUE.equals(a.get("special")) ? 3 : 4);
        }
        int n = ((TreeMap<Integer, String>) byId).lastKey() + 1;
        GgufWriter g = new GgufWriter();
        g.string("general.architecture", "llama");
        g.u32("llama.context_length", 64);
        g.u32("llama.embedding_length", 64);
        g.u32("llama.block_count", 1);
        g.u32("llama.feed_forward_length", 64);
        g.u32("llama.attention.head_count", 1);
        g.f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        g.string("tokenizer.ggml.model", "gpt2");
        g.string("tokenizer.ggml.pre", pre);
        g.header.string("tokenizer.ggml.tokens").u32(TYPE_ARRAY).u32(TYPE_STRING).u64(n);
        for (int i = 0; i < n; i++) {
            g.header.string(byId.getOrDefault(i, "[PAD" + i + "]"));
        }
        g.kvCount++;
        g.header.string("tokenizer.ggml.token_type").u32(TYPE_ARRAY).u32(TYPE_INT32).u64(n);
        for (int i = 0; i < n; i++) {
            g.header.u32(!byId.containsKey(i) ? 5 : types.getOrDefault(i, 1));
        }
        g.kvCount++;
        List<Object> merges = (List<Object>) model.get("merges");
        g.header.string("tokenizer.ggml.merges").u32(TYPE_ARRAY).u32(TYPE_STRING).u64(merges.size());
        for (Object m : merges) {
            g.header.string(m instanceof String s ? s : String.join(" ", (List<String>) m));
        }
        g.kvCount++;
        if (bos >= 0) {
            g.u32("tokenizer.ggml.bos_token_id", bos);
        }
        if (eos >= 0) {
            g.u32("tokenizer.ggml.eos_token_id", eos);
        }
        g.header.string("tokenizer.ggml.add_bos_token").u32(TYPE_BOOL).bytes(new byte[] {(byte) (addBos ? 1 : 0)});
        g.kvCount++;
        ByteArrayBuilder file = new ByteArrayBuilder();
        file.u32(0x46554747).u32(3).u64(0).u64(g.kvCount).bytes(g.header.toArray());
        byte[] b = file.toArray();
        return java.util.Arrays.copyOf(b, (int) align(b.length));
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** run.c's tokenizer.bin: max length, then per token score, length, bytes; as GGUF's SPM arrays. */
    private void vocabulary(Path tokenizer, int vocab) throws IOException {
        List<byte[]> pieces = new ArrayList<>();
        float[] scores = new float[vocab];
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(tokenizer)))) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            in.readFully(b.array(), 0, 4);
            for (int i = 0; i < vocab; i++) {
                in.readFully(b.array(), 0, 8);
                scores[i] = b.getFloat(0);
                byte[] piece = new byte[b.getInt(4)];
                in.readFully(piece);
                // llama2.c's export wrote SentencePiece's word marker as a space
                pieces.add(new String(piece, StandardCharsets.UTF_8).replace(' ', '\u2581').getBytes(StandardCharsets.UTF_8));
            }
        }
        string("tokenizer.ggml.model", "llama");
        header.string("tokenizer.ggml.tokens").u32(TYPE_ARRAY).u32(TYPE_STRING).u64(vocab);
        for (byte[] p : pieces) {
            header.u64(p.length).bytes(p);
        }
        kvCount++;
        header.string("tokenizer.ggml.scores").u32(TYPE_ARRAY).u32(TYPE_FLOAT32).u64(vocab);
        for (float sc : scores) {
            header.f32(sc);
        }
        kvCount++;
        header.string("tokenizer.ggml.token_type").u32(TYPE_ARRAY).u32(TYPE_INT32).u64(vocab);
        for (int i = 0; i < vocab; i++) {
            String p = new String(pieces.get(i), StandardCharsets.UTF_8);
            header.u32(i == 0 ? 2 : i < 3 ? 3 : p.matches("<0x[0-9A-F]{2}>") ? 6 : 1);
        }
        kvCount++;
        u32("tokenizer.ggml.bos_token_id", 1);
        u32("tokenizer.ggml.eos_token_id", 2);
        u32("tokenizer.ggml.unknown_token_id", 0);
    }

    private void string(String key, String value) {
        header.string(key).u32(TYPE_STRING).string(value);
        kvCount++;
    }

    private void u32(String key, int value) {
        header.string(key).u32(TYPE_UINT32).u32(value);
        kvCount++;
    }

    private void f32(String key, float value) {
        header.string(key).u32(TYPE_FLOAT32).f32(value);
        kvCount++;
    }

    /** A growable little-endian byte buffer. */
    private static final class ByteArrayBuilder {
        private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private ByteArrayBuilder room(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * b.capacity(), b.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                bigger.put(b);
                b = bigger;
            }
            return this;
        }

        ByteArrayBuilder u32(int v) {
            room(4).b.putInt(v);
            return this;
        }

        ByteArrayBuilder u64(long v) {
            room(8).b.putLong(v);
            return this;
        }

        ByteArrayBuilder f32(float v) {
            room(4).b.putFloat(v);
            return this;
        }

        ByteArrayBuilder bytes(byte[] v) {
            room(v.length).b.put(v);
            return this;
        }

        ByteArrayBuilder string(String s) {
            byte[] v = s.getBytes(StandardCharsets.UTF_8);
            return u64(v.length).bytes(v);
        }

        byte[] toArray() {
            byte[] out = new byte[b.position()];
            b.duplicate().flip().get(out);
            return out;
        }
    }
}
