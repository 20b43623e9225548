package dev.unroll.runtime.transformer;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.UnrollException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads llama2.c's legacy (version 0) checkpoint: seven int32 (dim, hidden_dim, n_layers, n_heads,
 * n_kv_heads, vocab_size, seq_len; a negative vocab_size means an untied classifier follows), then
 * float32 arrays in llama2.c's order. The weights are mapped to the Hugging Face names of
 * {@link TransformerWeights}; llama2.c's q/k rows are in the interleaved RoPE layout.
 */
public final class Llama2c {
    private Llama2c() {}

    /**
     * A loaded checkpoint.
     *
     * @param spec the model it describes
     * @param weights its weights
     */
    public record Checkpoint(TransformerSpec spec, TransformerWeights weights) {}

    /**
     * @param path a {@code .bin} checkpoint
     * @return spec and weights
     */
    public static Checkpoint load(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 28) {
                throw new UnrollException(path + ": " + size + " bytes, shorter than the 28-byte llama2.c header");
            }
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            int dim = b.getInt();
            int hidden = b.getInt();
            int layers = b.getInt();
            int heads = b.getInt();
            int kvHeads = b.getInt();
            int vocabRaw = b.getInt();
            int seq = b.getInt();
            boolean tied = vocabRaw > 0;
            int vocab = Math.abs(vocabRaw);
            TransformerSpec.Builder sb = TransformerSpec.builder(layers, dim, heads, hidden, vocab, seq);
            sb.kvHeads = kvHeads;
            sb.tiedClassifier = tied;
            sb.rope = RopeLayout.INTERLEAVED;
            TransformerSpec spec;
            try {
                spec = sb.build();
            } catch (UnrollException e) {
                throw new UnrollException(path + ": the header describes an invalid model: " + e.getMessage(), e);
            }
            int hd = dim / heads;
            long kv = (long) kvHeads * hd;
            long floats = (long) vocab * dim + layers * (2L * dim + 2L * dim * dim + 2L * kv * dim + 3L * dim * hidden) + dim
                    + (long) seq * hd + (tied ? 0 : (long) vocab * dim);
            if (28 + 4 * floats != size) {
                throw new UnrollException(path + ": header " + spec.describe() + " needs " + (28 + 4 * floats) + " bytes, the file has " + size);
            }
            Map<String, float[]> m = new LinkedHashMap<>();
            float[] emb = floats(b, (long) vocab * dim);
            float[][] rmsAtt = perLayer(b, layers, dim);
            float[][] wq = perLayer(b, layers, (long) dim * dim);
            float[][] wk = perLayer(b, layers, kv * dim);
            float[][] wv = perLayer(b, layers, kv * dim);
            float[][] wo = perLayer(b, layers, (long) dim * dim);
            float[][] rmsFfn = perLayer(b, layers, dim);
            float[][] w1 = perLayer(b, layers, (long) hidden * dim);
            float[][] w2 = perLayer(b, layers, (long) dim * hidden);
            float[][] w3 = perLayer(b, layers, (long) hidden * dim);
            float[] rmsFinal = floats(b, dim);
            b.position(b.position() + 4 * seq * hd); // legacy freq_cis tables: RoPE is computed instead
            m.put("model.embed_tokens.weight", emb);
            for (int l = 0; l < layers; l++) {
                String p = "model.layers." + l + ".";
                m.put(p + "input_layernorm.weight", rmsAtt[l]);
                m.put(p + "self_attn.q_proj.weight", wq[l]);
                m.put(p + "self_attn.k_proj.weight", wk[l]);
                m.put(p + "self_attn.v_proj.weight", wv[l]);
                m.put(p + "self_attn.o_proj.weight", wo[l]);
                m.put(p + "post_attention_layernorm.weight", rmsFfn[l]);
                m.put(p + "mlp.gate_proj.weight", w1[l]);
                m.put(p + "mlp.up_proj.weight", w3[l]);
                m.put(p + "mlp.down_proj.weight", w2[l]);
            }
            m.put("model.norm.weight", rmsFinal);
            if (!tied) {
                m.put("lm_head.weight", floats(b, (long) vocab * dim));
            }
            return new Checkpoint(spec, new TransformerWeights(spec, m));
        } catch (IOException e) {
            throw new UnrollException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static float[] floats(ByteBuffer b, long n) {
        float[] a = new float[Math.toIntExact(n)];
        b.asFloatBuffer().get(a);
        b.position(b.position() + 4 * a.length);
        return a;
    }

    private static float[][] perLayer(ByteBuffer b, int layers, long n) {
        float[][] a = new float[layers][];
        for (int l = 0; l < layers; l++) {
            a[l] = floats(b, n);
        }
        return a;
    }
}
