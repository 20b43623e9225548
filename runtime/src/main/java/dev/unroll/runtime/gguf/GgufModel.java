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
 * A GGUF file of llama.cpp's {@code llama} architecture read as the {@code @Transformer} it describes
 * ({@link #spec}) and its tensors under Hugging Face's names ({@link #tensors}), widened to F32.
 *
 * <p>The metadata keys map to the descriptor's members: {@code llama.block_count} to layers,
 * {@code llama.embedding_length} to width, {@code llama.attention.head_count} and {@code head_count_kv}
 * to heads and kvHeads, {@code llama.feed_forward_length} to ffnHidden, {@code llama.context_length} to
 * maxSeq, {@code llama.rope.freq_base} to ropeTheta (10000 when absent),
 * {@code llama.attention.layer_norm_rms_epsilon} to normEps (1e-5 when absent), {@code llama.vocab_size}
 * (or the embedding's rows) to vocab, {@code llama.attention.key_length} to headDim; the classifier is
 * tied when the file has no {@code output.weight}. llama.cpp's llama rotates adjacent channel pairs
 * (its converter permutes Hugging Face's q and k rows into that order), so the rotary layout is
 * {@link RopeLayout#INTERLEAVED} and the tensors are read as stored. What the kernels do not compute
 * is refused naming the key or tensor: another architecture, a partial rotary dimension, RoPE scaling
 * (the metadata's, or Llama 3's frequency factors in {@code rope_freqs.weight}), biases, any tensor
 * that is not part of the decoder.
 */
public final class GgufModel {
    private static final String ARCH = "llama";

    /** GGUF's name of each of a layer's tensors, by the Hugging Face name's suffix. */
    private static final Map<String, String> LAYER = Map.of(
            "input_layernorm.weight", "attn_norm.weight",
            "self_attn.q_proj.weight", "attn_q.weight",
            "self_attn.k_proj.weight", "attn_k.weight",
            "self_attn.v_proj.weight", "attn_v.weight",
            "self_attn.o_proj.weight", "attn_output.weight",
            "post_attention_layernorm.weight", "ffn_norm.weight",
            "mlp.gate_proj.weight", "ffn_gate.weight",
            "mlp.up_proj.weight", "ffn_up.weight",
            "mlp.down_proj.weight", "ffn_down.weight");

    /** The metadata key of each member read from the file, for messages. */
    private static final Map<Parameter<?>, String> KEYS = keys();

    private GgufModel() {}

    private static Map<Parameter<?>, String> keys() {
        Map<Parameter<?>, String> m = new LinkedHashMap<>();
        m.put(TransformerSpec.LAYERS, "llama.block_count");
        m.put(TransformerSpec.WIDTH, "llama.embedding_length");
        m.put(TransformerSpec.HEADS, "llama.attention.head_count");
        m.put(TransformerSpec.KV_HEADS, "llama.attention.head_count_kv");
        m.put(TransformerSpec.FFN_HIDDEN, "llama.feed_forward_length");
        m.put(TransformerSpec.VOCAB, "llama.vocab_size");
        m.put(TransformerSpec.MAX_SEQ, "llama.context_length");
        m.put(TransformerSpec.ROPE_THETA, "llama.rope.freq_base");
        m.put(TransformerSpec.NORM_EPS, "llama.attention.layer_norm_rms_epsilon");
        m.put(TransformerSpec.TIED_CLASSIFIER, "output.weight (absent: tied)");
        m.put(TransformerSpec.HEAD_DIM, "llama.attention.key_length");
        return m;
    }

    /**
     * @param f an open GGUF file
     * @return the decoder it describes
     * @throws UnrollException when it is not a llama decoder the kernels compute, naming the key or tensor
     */
    public static TransformerSpec spec(GgufFile f) {
        dev.unroll.runtime.internal.Checks.notNull("GgufModel.spec: the file", f);
        String src = f.source();
        String arch = f.string("general.architecture");
        if (!arch.equals(ARCH)) {
            throw new GgufFormatException(src + ": general.architecture \"" + safe(arch) + "\" is not read (read: llama)");
        }
        refuseWhatTheKernelsDoNotCompute(f);
        TransformerSpec.Builder b = TransformerSpec.builder();
        int heads = intKey(f, TransformerSpec.HEADS);
        b.setRaw(TransformerSpec.LAYERS, intKey(f, TransformerSpec.LAYERS));
        b.setRaw(TransformerSpec.WIDTH, intKey(f, TransformerSpec.WIDTH));
        b.setRaw(TransformerSpec.HEADS, heads);
        b.setRaw(TransformerSpec.KV_HEADS, f.metadata().containsKey(KEYS.get(TransformerSpec.KV_HEADS)) ? intKey(f, TransformerSpec.KV_HEADS) : heads);
        b.setRaw(TransformerSpec.FFN_HIDDEN, intKey(f, TransformerSpec.FFN_HIDDEN));
        b.setRaw(TransformerSpec.MAX_SEQ, intKey(f, TransformerSpec.MAX_SEQ));
        b.setRaw(TransformerSpec.VOCAB, f.metadata().containsKey(KEYS.get(TransformerSpec.VOCAB)) ? intKey(f, TransformerSpec.VOCAB)
                : rows(f, "token_embd.weight"));
        b.setRaw(TransformerSpec.ROPE_THETA, f.metadata().containsKey(KEYS.get(TransformerSpec.ROPE_THETA)) ? f.real(KEYS.get(TransformerSpec.ROPE_THETA))
                : 10000.0);
        b.setRaw(TransformerSpec.NORM_EPS, f.metadata().containsKey(KEYS.get(TransformerSpec.NORM_EPS)) ? f.real(KEYS.get(TransformerSpec.NORM_EPS))
                : 1e-5);
        b.setRaw(TransformerSpec.TIED_CLASSIFIER, !f.tensors().containsKey("output.weight"));
        b.setRaw(TransformerSpec.ROPE, RopeLayout.INTERLEAVED);
        b.setRaw(TransformerSpec.HEAD_DIM, f.metadata().containsKey(KEYS.get(TransformerSpec.HEAD_DIM)) ? intKey(f, TransformerSpec.HEAD_DIM) : 0);
        TransformerSpec spec;
        try {
            spec = b.build();
        } catch (UnrollException e) {
            throw new GgufFormatException(src + ": " + e.getMessage());
        }
        Set<String> expected = new LinkedHashSet<>();
        TransformerWeights.shapes(spec).keySet().forEach(n -> expected.add(ggufName(n)));
        for (String t : f.tensors().keySet()) {
            if (!expected.contains(t)) {
                throw new GgufFormatException(src + ": tensor '" + safe(t) + "' is not part of the llama decoder the metadata describes ("
                        + spec.describe() + ")");
            }
        }
        return spec;
    }

    private static void refuseWhatTheKernelsDoNotCompute(GgufFile f) {
        String src = f.source();
        Object scaling = f.metadata().get("llama.rope.scaling.type");
        if (scaling != null && !"none".equals(scaling)) {
            throw new GgufFormatException(src + ": llama.rope.scaling.type \"" + safe(String.valueOf(scaling)) + "\" is not computed (unscaled RoPE only)");
        }
        if (f.tensors().containsKey("rope_freqs.weight")) {
            throw new GgufFormatException(src + ": tensor 'rope_freqs.weight' (Llama 3's rotary frequency factors) is not read yet");
        }
        Object valueLength = f.metadata().get("llama.attention.value_length");
        Object keyLength = f.metadata().get("llama.attention.key_length");
        if (valueLength != null && !valueLength.equals(keyLength)) {
            throw new GgufFormatException(src + ": llama.attention.value_length " + valueLength + " differs from key_length " + keyLength
                    + " (one head width for queries, keys and values)");
        }
        Object rotary = f.metadata().get("llama.rope.dimension_count");
        if (rotary instanceof Long r && f.metadata().get("llama.attention.head_count") instanceof Long h && h > 0
                && f.metadata().get("llama.embedding_length") instanceof Long d) {
            long head = keyLength instanceof Long k ? k : d / h;
            if (r != head) {
                throw new GgufFormatException(src + ": llama.rope.dimension_count " + r + " rotates part of a head of " + head
                        + " (the kernels rotate whole heads)");
            }
        }
    }

    private static int intKey(GgufFile f, Parameter<?> p) {
        String key = KEYS.get(p);
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
     * @return its name in a llama GGUF file
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
        throw new UnrollException("'" + safe(hfName) + "' is not a tensor of a llama decoder");
    }

    /**
     * The file's tensors under Hugging Face's names, read one at a time and widened to F32, for
     * {@link TransformerWeights#load}.
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
     * (byte-level BPE, "gpt2") are not read: empty.
     *
     * @param f an open GGUF file
     * @return the tokenizer, or empty
     * @throws UnrollException when the vocabulary's arrays are not a vocabulary of the file's model
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
        for (int i = 0; i < pieces.length; i++) {
            if (!(t.get(i) instanceof String piece) || !(sc.get(i) instanceof Double d)) {
                throw new GgufFormatException(f.source() + ": tokenizer.ggml.tokens[" + i + "] is not a string or its score not a float");
            }
            pieces[i] = piece.replace('\u2581', ' ').getBytes(java.nio.charset.StandardCharsets.UTF_8);
            score[i] = d.floatValue();
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
                String key = KEYS.getOrDefault(p, p.name());
                throw new UnrollException(f.source() + ": " + key + " = " + p.toSource(got) + " but the model's " + p.name() + " is " + p.toSource(want)
                        + (p == TransformerSpec.MAX_SEQ ? " (more positions than the file's context)" : ""));
            }
        }
    }
}
