package dev.unroll.runtime.gguf;

import static dev.unroll.runtime.UnrollException.safe;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF file of llama.cpp's {@code llama}, {@code qwen2} or {@code qwen3} architecture read as the
 * {@code @Transformer} it describes ({@link #spec}) and its tensors under Hugging Face's names
 * ({@link #tensors}), widened to F32.
 *
 * <p>The metadata keys (after the architecture's prefix; {@code llama.} here) map to the descriptor's
 * members: {@code llama.block_count} to layers,
 * {@code llama.embedding_length} to width, {@code llama.attention.head_count} and {@code head_count_kv}
 * to heads and kvHeads, {@code llama.feed_forward_length} to ffnHidden, {@code llama.context_length} to
 * maxSeq, {@code llama.rope.freq_base} to ropeTheta (10000 when absent),
 * {@code llama.attention.layer_norm_rms_epsilon} to normEps (1e-5 when absent), {@code llama.vocab_size}
 * (or the embedding's rows) to vocab, {@code llama.attention.key_length} to headDim; the classifier is
 * tied when the file has no {@code output.weight}; {@code qkvBias} when it has {@code blk.N.attn_q.bias}
 * (Qwen2), {@code qkNorm} when it has {@code blk.N.attn_q_norm.weight} (Qwen3). llama.cpp's llama rotates
 * adjacent channel pairs (its converter permutes Hugging Face's q and k rows into that order), so its
 * rotary layout is {@link RopeLayout#INTERLEAVED}; its qwen2 and qwen3 rotate halves, as Hugging Face's
 * weights are ({@link RopeLayout#HALF_SPLIT}); the tensors are read as stored. What the kernels do not compute
 * is refused naming the key or tensor: another architecture, a partial rotary dimension, the
 * metadata's RoPE scaling, any tensor that is not part of the decoder. Llama 3's frequency factors
 * ({@code rope_freqs.weight}) are read as the scaling members that give them ({@link Llama3Factors}).
 */
public final class GgufModel {
    /** Llama 3's rotary frequency factors, as llama.cpp's converter writes them. */
    static final String ROPE_FREQS = "rope_freqs.weight";

    /** The architectures read: llama.cpp's names of a Llama, Qwen2 and Qwen3 decoder. */
    private static final java.util.List<String> ARCHS = java.util.List.of("llama", "qwen2", "qwen3");

    /** GGUF's name of each of a layer's tensors, by the Hugging Face name's suffix. */
    private static final Map<String, String> LAYER = Map.ofEntries(
            Map.entry("input_layernorm.weight", "attn_norm.weight"),
            Map.entry("self_attn.q_proj.weight", "attn_q.weight"),
            Map.entry("self_attn.k_proj.weight", "attn_k.weight"),
            Map.entry("self_attn.v_proj.weight", "attn_v.weight"),
            Map.entry("self_attn.o_proj.weight", "attn_output.weight"),
            Map.entry("post_attention_layernorm.weight", "ffn_norm.weight"),
            Map.entry("mlp.gate_proj.weight", "ffn_gate.weight"),
            Map.entry("mlp.up_proj.weight", "ffn_up.weight"),
            Map.entry("mlp.down_proj.weight", "ffn_down.weight"),
            Map.entry("self_attn.q_proj.bias", "attn_q.bias"),
            Map.entry("self_attn.k_proj.bias", "attn_k.bias"),
            Map.entry("self_attn.v_proj.bias", "attn_v.bias"),
            Map.entry("self_attn.q_norm.weight", "attn_q_norm.weight"),
            Map.entry("self_attn.k_norm.weight", "attn_k_norm.weight"));

    /** The metadata key of each member read from the file, after the architecture's prefix. */
    private static final Map<Parameter<?>, String> KEYS = keys();

    private GgufModel() {}

    private static Map<Parameter<?>, String> keys() {
        Map<Parameter<?>, String> m = new LinkedHashMap<>();
        m.put(TransformerSpec.LAYERS, ".block_count");
        m.put(TransformerSpec.WIDTH, ".embedding_length");
        m.put(TransformerSpec.HEADS, ".attention.head_count");
        m.put(TransformerSpec.KV_HEADS, ".attention.head_count_kv");
        m.put(TransformerSpec.FFN_HIDDEN, ".feed_forward_length");
        m.put(TransformerSpec.VOCAB, ".vocab_size");
        m.put(TransformerSpec.MAX_SEQ, ".context_length");
        m.put(TransformerSpec.ROPE_THETA, ".rope.freq_base");
        m.put(TransformerSpec.NORM_EPS, ".attention.layer_norm_rms_epsilon");
        m.put(TransformerSpec.HEAD_DIM, ".attention.key_length");
        return m;
    }

    /** The key of a member in a file of an architecture ({@code llama.block_count}), or how the file says it. */
    private static String key(String arch, Parameter<?> p) {
        if (p == TransformerSpec.TIED_CLASSIFIER) {
            return "output.weight (absent: tied)";
        }
        if (p == TransformerSpec.QKV_BIAS) {
            return "blk.N.attn_q.bias (present: qkvBias)";
        }
        if (p == TransformerSpec.QK_NORM) {
            return "blk.N.attn_q_norm.weight (present: qkNorm)";
        }
        if (p == TransformerSpec.ROPE) {
            return "general.architecture (llama: INTERLEAVED, qwen2 and qwen3: HALF_SPLIT)";
        }
        String k = KEYS.get(p);
        return k == null ? p.name() : arch + k;
    }

    private static boolean has(GgufFile f, String arch, Parameter<?> p) {
        return f.metadata().containsKey(key(arch, p));
    }

    /**
     * @param f an open GGUF file
     * @return the decoder it describes
     * @throws UnrollException when it is not a decoder the kernels compute, naming the key or tensor
     */
    public static TransformerSpec spec(GgufFile f) {
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.spec: the file", f);
        String src = f.source();
        String arch = f.string("general.architecture");
        if (!ARCHS.contains(arch)) {
            throw new GgufFormatException(src + ": general.architecture \"" + safe(arch) + "\" is not read (read: llama, qwen2, qwen3)");
        }
        refuseWhatTheKernelsDoNotCompute(f, arch);
        TransformerSpec.Builder b = TransformerSpec.builder();
        int heads = intKey(f, arch, TransformerSpec.HEADS);
        b.setRaw(TransformerSpec.LAYERS, intKey(f, arch, TransformerSpec.LAYERS));
        b.setRaw(TransformerSpec.WIDTH, intKey(f, arch, TransformerSpec.WIDTH));
        b.setRaw(TransformerSpec.HEADS, heads);
        int kvHeads = has(f, arch, TransformerSpec.KV_HEADS) ? intKey(f, arch, TransformerSpec.KV_HEADS) : heads;
        if (kvHeads == 0) {
            throw new GgufFormatException(src + ": " + key(arch, TransformerSpec.KV_HEADS) + " is 0 (at least 1 key/value head)");
        }
        b.setRaw(TransformerSpec.KV_HEADS, kvHeads);
        b.setRaw(TransformerSpec.FFN_HIDDEN, intKey(f, arch, TransformerSpec.FFN_HIDDEN));
        b.setRaw(TransformerSpec.MAX_SEQ, intKey(f, arch, TransformerSpec.MAX_SEQ));
        b.setRaw(TransformerSpec.VOCAB, has(f, arch, TransformerSpec.VOCAB) ? intKey(f, arch, TransformerSpec.VOCAB) : rows(f, "token_embd.weight"));
        b.setRaw(TransformerSpec.ROPE_THETA, has(f, arch, TransformerSpec.ROPE_THETA) ? f.real(key(arch, TransformerSpec.ROPE_THETA)) : 10000.0);
        b.setRaw(TransformerSpec.NORM_EPS, has(f, arch, TransformerSpec.NORM_EPS) ? f.real(key(arch, TransformerSpec.NORM_EPS)) : 1e-5);
        b.setRaw(TransformerSpec.TIED_CLASSIFIER, !f.tensors().containsKey("output.weight"));
        // llama.cpp rotates adjacent pairs for llama (its converter permutes q and k), halves for qwen2 and qwen3
        b.setRaw(TransformerSpec.ROPE, arch.equals("llama") ? RopeLayout.INTERLEAVED : RopeLayout.HALF_SPLIT);
        int headDim = has(f, arch, TransformerSpec.HEAD_DIM) ? intKey(f, arch, TransformerSpec.HEAD_DIM) : 0;
        if (has(f, arch, TransformerSpec.HEAD_DIM) && headDim == 0) {
            throw new GgufFormatException(src + ": " + key(arch, TransformerSpec.HEAD_DIM) + " is 0 (a head is at least 2 wide)");
        }
        b.setRaw(TransformerSpec.HEAD_DIM, headDim);
        b.setRaw(TransformerSpec.QKV_BIAS, f.tensors().containsKey("blk.0.attn_q.bias"));
        b.setRaw(TransformerSpec.QK_NORM, f.tensors().containsKey("blk.0.attn_q_norm.weight"));
        TransformerSpec spec;
        try {
            spec = b.build();
        } catch (UnrollException e) {
            throw new GgufFormatException(src + ": " + e.getMessage());
        }
        checkHeadWidths(f, arch, spec);
        if (f.tensors().containsKey(ROPE_FREQS)) {
            spec = Llama3Factors.read(f, spec);
        }
        Set<String> expected = new LinkedHashSet<>();
        TransformerWeights.shapes(spec).keySet().forEach(n -> expected.add(ggufName(n)));
        expected.add(ROPE_FREQS);
        for (String t : f.tensors().keySet()) {
            if (!expected.contains(t)) {
                throw new GgufFormatException(src + ": tensor '" + safe(t) + "' is not part of the " + arch + " decoder the metadata describes ("
                        + spec.describe() + ")");
            }
        }
        return spec;
    }

    private static void refuseWhatTheKernelsDoNotCompute(GgufFile f, String arch) {
        String src = f.source();
        Object scaling = f.metadata().get(arch + ".rope.scaling.type");
        if (scaling != null && !"none".equals(scaling)) {
            throw new GgufFormatException(src + ": " + arch + ".rope.scaling.type \"" + safe(String.valueOf(scaling))
                    + "\" is not computed (unscaled RoPE only)");
        }
        // llama.cpp scales linearly by a factor given without a type, or by the older key
        for (String factor : new String[] {arch + ".rope.scaling.factor", arch + ".rope.scale_linear"}) {
            Object v = f.metadata().get(factor);
            if (v != null && !(v instanceof Number n && n.doubleValue() == 1.0)) {
                throw new GgufFormatException(src + ": " + factor + " = " + safe(String.valueOf(v)) + " scales RoPE, which is not computed (unscaled only)");
            }
        }
    }

    /** The head widths the metadata states, checked against the descriptor read (whose shape is valid by then). */
    private static void checkHeadWidths(GgufFile f, String arch, TransformerSpec spec) {
        String src = f.source();
        for (String k : new String[] {".rope.dimension_count", ".attention.value_length"}) {
            Object v = f.metadata().get(arch + k);
            if (v == null) {
                continue;
            }
            if (!(v instanceof Long width)) {
                throw new GgufFormatException(src + ": metadata " + arch + k + " is not an integer");
            }
            if (width != spec.headWidth()) {
                throw new GgufFormatException(src + ": " + arch + k + " is " + width + " where a head is " + spec.headWidth() + " wide ("
                        + (k.startsWith(".rope") ? "the kernels rotate whole heads" : "one head width for queries, keys and values") + ")");
            }
        }
    }

    private static int intKey(GgufFile f, String arch, Parameter<?> p) {
        String key = key(arch, p);
        long v = f.integer(key);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new GgufFormatException(f.source() + ": metadata " + key + " is " + v + ", outside an int");
        }
        return (int) v;
    }

    private static int rows(GgufFile f, String tensor) {
        long[] shape = f.tensor(tensor).shape();
        if (shape.length != 2 || shape[0] > Integer.MAX_VALUE) {
            throw new GgufFormatException(f.source() + ": tensor '" + tensor + "' has shape " + TensorSource.format(shape) + ", not [vocab][width]");
        }
        return (int) shape[0];
    }

    /**
     * @param hfName a tensor's Hugging Face name ({@link TransformerWeights#shapes})
     * @return its name in a GGUF file
     */
    public static String ggufName(String hfName) {
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.ggufName: the name", hfName);
        switch (hfName) {
            case "model.embed_tokens.weight":
                return "token_embd.weight";
            case "model.norm.weight":
                return "output_norm.weight";
            case "lm_head.weight":
                return "output.weight";
            default:
                break;
        }
        if (hfName.startsWith("model.layers.")) {
            int dot = hfName.indexOf('.', "model.layers.".length());
            String suffix = dot < 0 ? null : LAYER.get(hfName.substring(dot + 1));
            if (suffix != null) {
                return "blk." + hfName.substring("model.layers.".length(), dot) + "." + suffix;
            }
        }
        throw new UnrollException("'" + safe(hfName) + "' is not a tensor of a decoder GGUF files hold");
    }

    /**
     * The block format most of a decoder's matrices are stored in: the format whose model keeps the
     * most of them as the file's codes.
     *
     * @param f an open GGUF file
     * @param spec its decoder ({@link #spec})
     * @return Q8 (Q8_0 blocks) or Q4 (Q4_0) when more of the layers' matrices are stored so than in
     *     any other type, else F32
     */
    public static dev.unroll.annotations.WeightFormat blockFormat(GgufFile f, TransformerSpec spec) {
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.blockFormat: the file", f);
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.blockFormat: the spec", spec);
        Map<GgmlType, Integer> count = new java.util.EnumMap<>(GgmlType.class);
        for (Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
            String g = ggufName(e.getKey());
            if (e.getValue().length == 2 && e.getKey().startsWith("model.layers.") && f.tensors().containsKey(g)) {
                count.merge(f.tensor(g).type(), 1, Integer::sum);
            }
        }
        GgmlType most = null;
        for (Map.Entry<GgmlType, Integer> e : count.entrySet()) {
            if (most == null || e.getValue() > count.get(most)) {
                most = e.getKey();
            }
        }
        return most == null || most.blockFormat() == null ? dev.unroll.annotations.WeightFormat.F32 : most.blockFormat();
    }

    /**
     * The file's tensors under Hugging Face's names, read one at a time, for
     * {@link TransformerWeights#load}: widened to F32, a matrix's rows also alone
     * ({@link TensorSource#floatRows}), and Q8_0 and Q4_0 matrices also as their codes and scales
     * ({@link TensorSource#blockCodes}), which a Q8 or Q4 model keeps as they are.
     *
     * @param f an open GGUF file
     * @param spec the decoder to read them as: {@link #spec}'s, or one it {@link #check}s against
     * @return the source
     */
    public static TensorSource tensors(GgufFile f, TransformerSpec spec) {
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.tensors: the file", f);
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.tensors: the spec", spec);
        Map<String, String> names = new LinkedHashMap<>();
        for (String hf : TransformerWeights.shapes(spec).keySet()) {
            if (f.tensors().containsKey(ggufName(hf))) {
                names.put(hf, ggufName(hf));
            }
        }
        return new TensorSource() {
            @Override
            public String description() {
                return f.source();
            }

            @Override
            public Set<String> names() {
                return names.keySet();
            }

            @Override
            public long[] shape(String name) {
                return f.tensor(gguf(name)).shape();
            }

            @Override
            public double[] doubles(String name) {
                float[] v = floats(name);
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                return d;
            }

            @Override
            public float[] floats(String name) {
                return f.floats(gguf(name));
            }

            @Override
            public dev.unroll.runtime.weights.BlockCodes blockCodes(String name) {
                return f.blockCodes(gguf(name));
            }

            @Override
            public float[] floatRows(String name, int firstRow, int rows) {
                return f.floatRows(gguf(name), firstRow, rows);
            }

            @Override
            public dev.unroll.runtime.weights.BlockCodes blockCodes(String name, int firstRow, int rows) {
                return f.blockCodes(gguf(name), firstRow, rows);
            }

            @Override
            public dev.unroll.annotations.WeightFormat blockFormat(String name) {
                return GgufFile.blockFormat(f.tensor(gguf(name)));
            }

            @Override
            public boolean readsRows() {
                return true;
            }

            private String gguf(String name) {
                String g = names.get(name);
                if (g == null) {
                    throw new GgufFormatException(f.source() + ": no tensor for '" + safe(String.valueOf(name)) + "'");
                }
                return g;
            }
        };
    }

    /**
     * The vocabulary a file carries, when it is SentencePiece's ({@code tokenizer.ggml.model} "llama",
     * as Llama 2, TinyLlama and llama2.c's models have): its pieces, SentencePiece's word marker
     * (U+2581) read as a space, and their scores, as llama2.c's tokenizer reads them. Other vocabularies
     * are not read here: empty (a byte-level BPE one, "gpt2", is {@link GgufBpe#tokenizer}'s).
     *
     * @param f an open GGUF file
     * @return the tokenizer, or empty
     * @throws UnrollException when the vocabulary's arrays are not a vocabulary, or not in llama2.c's layout
     *     (BOS 1, EOS 2, the byte pieces at 3..258, a word-marker piece), naming what differs
     */
    public static java.util.Optional<dev.unroll.runtime.transformer.Tokenizer> tokenizer(GgufFile f) {
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.tokenizer: the file", f);
        if (!"llama".equals(f.metadata().get("tokenizer.ggml.model"))) {
            return java.util.Optional.empty();
        }
        Object tokens = f.metadata().get("tokenizer.ggml.tokens");
        Object scores = f.metadata().get("tokenizer.ggml.scores");
        if (!(tokens instanceof java.util.List<?> t) || !(scores instanceof java.util.List<?> sc) || t.size() != sc.size()) {
            throw new GgufFormatException(f.source() + ": tokenizer.ggml.tokens and tokenizer.ggml.scores are not two arrays of one length");
        }
        byte[][] pieces = new byte[t.size()][];
        float[] score = new float[t.size()];
        boolean space = false;
        for (int i = 0; i < pieces.length; i++) {
            if (!(t.get(i) instanceof String piece) || !(sc.get(i) instanceof Double d)) {
                throw new GgufFormatException(f.source() + ": tokenizer.ggml.tokens[" + i + "] is not a string or its score not a float");
            }
            pieces[i] = piece.replace('\u2581', ' ').getBytes(java.nio.charset.StandardCharsets.UTF_8);
            score[i] = d.floatValue();
            space |= piece.equals("\u2581");
        }
        // llama2.c's tokenizer finds BOS and EOS at 1 and 2, the byte fallbacks <0x00>..<0xFF> at 3..258, a space
        // piece for the dummy prefix: another layout would encode to other ids, silently
        String layout = null;
        for (String id : new String[] {"tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id"}) {
            Object v = f.metadata().get(id);
            long want = id.contains("bos") ? 1 : 2;
            if (v != null && !(v instanceof Long l && l == want)) {
                layout = id + " is " + safe(String.valueOf(v)) + ", not " + want;
            }
        }
        for (int b = 0; b < 256 && layout == null; b++) {
            String want = String.format("<0x%02X>", b);
            if (t.size() <= 3 + b || !want.equals(t.get(3 + b))) {
                layout = "token " + (3 + b) + " is not the byte piece " + want;
            }
        }
        if (layout == null && !space) {
            layout = "no piece is a lone word marker (U+2581) for the dummy prefix";
        }
        if (layout != null) {
            throw new GgufFormatException(f.source() + ": its SentencePiece vocabulary is not in llama2.c's layout (BOS 1, EOS 2, bytes at 3..258), "
                    + "which Unroll's tokenizer reads: " + layout);
        }
        return java.util.Optional.of(dev.unroll.runtime.transformer.Tokenizer.fromPieces(f.source(), pieces, score));
    }

    /**
     * Checks that a file holds the decoder a model was generated for: every member equal, but maxSeq,
     * which may be smaller than the file's context (it bounds the generation).
     *
     * @param f an open GGUF file
     * @param spec the model's descriptor
     * @throws UnrollException at the first member that differs, naming the file's key and both values
     */
    public static void check(GgufFile f, TransformerSpec spec) {
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.check: the spec", spec);
        TransformerSpec file = spec(f);
        for (Parameter<?> p : TransformerSpec.PARAMETERS) {
            Object want = spec.get(p);
            Object got = file.get(p);
            boolean fits = p == TransformerSpec.MAX_SEQ ? spec.maxSeq() <= file.maxSeq() : want.equals(got);
            if (!fits) {
                String key = key(f.string("general.architecture"), p);
                throw new UnrollException(f.source() + ": " + key + " = " + p.toSource(got) + " but the model's " + p.name() + " is " + p.toSource(want)
                        + (p == TransformerSpec.MAX_SEQ ? " (more positions than the file's context)" : ""));
            }
        }
    }
}
