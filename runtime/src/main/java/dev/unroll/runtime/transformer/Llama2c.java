package dev.unroll.runtime.transformer;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
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
        dev.unroll.runtime.internal.Checks.notNull("Llama2c.load: path", path);
        if (!Files.isRegularFile(path)) {
            throw new UnrollException(path + ": not a regular file (a llama2.c checkpoint is a .bin file)");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER) {
                throw new UnrollException(path + ": " + size + " bytes, shorter than the 28-byte llama2.c header");
            }
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, h, 0, path);
            h.flip();
            int dim = h.getInt();
            int hidden = h.getInt();
            int layers = h.getInt();
            int heads = h.getInt();
            int kvHeads = h.getInt();
            int vocabRaw = h.getInt();
            int seq = h.getInt();
            if (vocabRaw == Integer.MIN_VALUE) {
                throw new UnrollException(path + ": the header's vocab_size is " + vocabRaw + ", not a vocabulary size");
            }
            boolean tied = vocabRaw > 0;
            int vocab = Math.abs(vocabRaw);
            TransformerSpec.Builder sb = TransformerSpec.builder(layers, dim, heads, hidden, vocab, seq).set(TransformerSpec.KV_HEADS, kvHeads)
                    .set(TransformerSpec.TIED_CLASSIFIER, tied).set(TransformerSpec.ROPE, RopeLayout.INTERLEAVED);
            TransformerSpec spec;
            try {
                spec = sb.build();
            } catch (UnrollException e) {
                throw new UnrollException(path + ": the header describes an invalid model: " + e.getMessage(), e);
            }
            // the rules bound every dimension, so these products are exact
            int hd = dim / heads;
            long kv = (long) kvHeads * hd;
            long perLayer = 2L * dim + 2L * dim * dim + 2L * kv * dim + 3L * dim * hidden;
            long weights = Limits.product(path + ": weights", layers, perLayer) + (long) vocab * dim + dim + (tied ? 0 : (long) vocab * dim);
            long floats = weights + (long) seq * hd;
            long expected = HEADER + Limits.product(path + ": file size", 4, floats);
            if (expected != size) {
                throw new UnrollException(path + ": header " + spec.describe() + " needs " + expected + " bytes, the file has " + size);
            }
            Limits.checkBudget(path + ": the weights of " + spec.describe(), Limits.product("weights", 4, weights));
            Reader r = new Reader(ch, path);
            Map<String, float[]> m = new LinkedHashMap<>();
            float[] emb = r.floats("tok_embeddings", (long) vocab * dim);
            float[][] rmsAtt = r.perLayer("rms_att_weight", layers, dim);
            float[][] wq = r.perLayer("wq", layers, (long) dim * dim);
            float[][] wk = r.perLayer("wk", layers, kv * dim);
            float[][] wv = r.perLayer("wv", layers, kv * dim);
            float[][] wo = r.perLayer("wo", layers, (long) dim * dim);
            float[][] rmsFfn = r.perLayer("rms_ffn_weight", layers, dim);
            float[][] w1 = r.perLayer("w1", layers, (long) hidden * dim);
            float[][] w2 = r.perLayer("w2", layers, (long) dim * hidden);
            float[][] w3 = r.perLayer("w3", layers, (long) hidden * dim);
            float[] rmsFinal = r.floats("rms_final_weight", dim);
            r.skip(4L * seq * hd); // legacy freq_cis tables: RoPE is computed instead
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
                m.put("lm_head.weight", r.floats("wcls", (long) vocab * dim));
            }
            return new Checkpoint(spec, new TransformerWeights(spec, m));
        } catch (IOException e) {
            throw new UnrollException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static final int HEADER = 28;

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path path) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new UnrollException(path + ": ends early, at byte " + (pos + b.position()) + " (was it truncated while being read?)");
            }
        }
    }

    /**
     * Reads the float arrays in order with positional reads through a bounded buffer: any file size
     * (no single mapping of the whole file, which Java limits to 2 GiB), and a file truncated while
     * being read is an error, not a crash.
     */
    private static final class Reader {
        private static final int CHUNK = 1 << 22;
        private final FileChannel ch;
        private final Path path;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private long pos = HEADER;

        Reader(FileChannel ch, Path path) {
            this.ch = ch;
            this.path = path;
        }

        float[] floats(String name, long n) throws IOException {
            float[] a = new float[Limits.arrayLength(path + ": " + name, n)];
            int done = 0;
            while (done < a.length) {
                int count = Math.min(a.length - done, CHUNK / 4);
                buf.clear().limit(count * 4);
                readFully(ch, buf, pos, path);
                buf.flip();
                buf.asFloatBuffer().get(a, done, count);
                for (int i = done; i < done + count; i++) {
                    if (!Float.isFinite(a[i])) {
                        throw new UnrollException(path + ": " + name + " element " + i + " is " + a[i] + " (weights must be finite)");
                    }
                }
                done += count;
                pos += 4L * count;
            }
            return a;
        }

        float[][] perLayer(String name, int layers, long n) throws IOException {
            float[][] a = new float[layers][];
            for (int l = 0; l < layers; l++) {
                a[l] = floats(name + "[" + l + "]", n);
            }
            return a;
        }

        void skip(long bytes) {
            pos += bytes;
        }
    }
}
