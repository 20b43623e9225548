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
     * A checkpoint: its weights in memory ({@link #load}) or read on demand ({@link #open}).
     *
     * @param spec the model it describes
     * @param weights its weights
     */
    public record Checkpoint(TransformerSpec spec, TransformerWeights weights) {}

    /**
     * Reads a whole checkpoint into memory.
     *
     * @param path a {@code .bin} checkpoint
     * @return spec and weights
     */
    public static Checkpoint load(Path path) {
        dev.unroll.runtime.internal.Checks.notNull("Llama2c.load: path", path);
        return withLayout(path, (ch, layout) -> {
            long weights = 0;
            for (Tensor t : layout.tensors().values()) {
                weights += t.count();
            }
            Limits.checkBudget(path + ": the weights of " + layout.spec().describe(), Limits.product("weights", 4, weights));
            Reader r = new Reader(ch, path);
            Map<String, float[]> m = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : layout.tensors().entrySet()) { // file order
                r.seek(e.getValue().offset());
                m.put(e.getKey(), r.floats(e.getValue().label(), e.getValue().count(), 0));
            }
            return new Checkpoint(layout.spec(), new TransformerWeights(layout.spec(), m));
        });
    }

    /**
     * Opens a checkpoint without reading its weights: the header and the file's size are checked now;
     * each tensor is read from the file when the weights are asked for it
     * ({@link TransformerWeights#get}, a fresh array each time), so that a generated model packing its
     * matrices one at a time (into F32 panels, BF16 or Q8) never holds the file's F32 weights whole:
     * its peak is its own weights plus the largest tensor. A read checks that the file has the size
     * and modification time it had when opened, and every element for finiteness.
     * {@link TransformerWeights#resident()} reads them all, for engines that need them in memory.
     *
     * @param path a {@code .bin} checkpoint
     * @return spec and weights read on demand
     * @throws UnrollException when the file is missing, unreadable or its header and size disagree
     */
    public static Checkpoint open(Path path) {
        dev.unroll.runtime.internal.Checks.notNull("Llama2c.open: path", path);
        return withLayout(path, (ch, layout) -> {
            long largest = 0;
            for (Tensor t : layout.tensors().values()) {
                largest = Math.max(largest, t.count());
            }
            Limits.checkBudget(path + ": the largest tensor of " + layout.spec().describe(), Limits.product("a tensor", 4, largest));
            java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(path);
            return new Checkpoint(layout.spec(), new TransformerWeights(layout.spec(), new FileReader(path, ch.size(), modified, layout.tensors())));
        });
    }

    /** What {@link #load} and {@link #open} do with the opened file and its checked header. */
    @FunctionalInterface
    private interface WithLayout {
        Checkpoint apply(FileChannel ch, Layout layout) throws IOException;
    }

    /** Opens the file, checks its header against its size, and hands both to {@code body}; an I/O failure names the file. */
    private static Checkpoint withLayout(Path path, WithLayout body) {
        if (!Files.isRegularFile(path)) {
            throw new UnrollException(path + ": not a regular file (a llama2.c checkpoint is a .bin file)");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return body.apply(ch, layout(ch, path));
        } catch (IOException e) {
            throw new UnrollException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Where each tensor is in the file.
     *
     * @param spec the model
     * @param tensors by Hugging Face name, in file order
     */
    private record Layout(TransformerSpec spec, Map<String, Tensor> tensors) {}

    /**
     * One tensor's place.
     *
     * @param label its llama2.c name, for messages of a whole load ({@code wq[0]})
     * @param offset its first byte
     * @param count its elements
     */
    private record Tensor(String label, long offset, long count) {}

    /** The header, checked against the file's size, and every tensor's place in llama2.c's order. */
    private static Layout layout(FileChannel ch, Path path) throws IOException {
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
        Map<String, Tensor> t = new LinkedHashMap<>();
        long[] at = {HEADER};
        java.util.function.BiConsumer<String[], Long> next = (names, n) -> { // {Hugging Face name, llama2.c label}
            t.put(names[0], new Tensor(names[1], at[0], n));
            at[0] += 4L * n;
        };
        next.accept(new String[] {"model.embed_tokens.weight", "tok_embeddings"}, (long) vocab * dim);
        String[][] blocks = {{"input_layernorm.weight", "1", "rms_att_weight"}, {"self_attn.q_proj.weight", "dd", "wq"},
            {"self_attn.k_proj.weight", "kd", "wk"}, {"self_attn.v_proj.weight", "kd", "wv"}, {"self_attn.o_proj.weight", "dd", "wo"},
            {"post_attention_layernorm.weight", "1", "rms_ffn_weight"}, {"mlp.gate_proj.weight", "hd", "w1"}, {"mlp.down_proj.weight", "hd", "w2"},
            {"mlp.up_proj.weight", "hd", "w3"}};
        for (String[] b : blocks) { // llama2.c stores each kind for all layers, then the next kind: w1 (gate), w2 (down), w3 (up)
            long n = switch (b[1]) {
                case "1" -> dim;
                case "dd" -> (long) dim * dim;
                case "kd" -> kv * dim;
                default -> (long) hidden * dim;
            };
            for (int l = 0; l < layers; l++) {
                next.accept(new String[] {"model.layers." + l + "." + b[0], b[2] + "[" + l + "]"}, n);
            }
        }
        next.accept(new String[] {"model.norm.weight", "rms_final_weight"}, (long) dim);
        at[0] += 4L * seq * hd; // legacy freq_cis tables: RoPE is computed instead
        if (!tied) {
            next.accept(new String[] {"lm_head.weight", "wcls"}, (long) vocab * dim);
        }
        return new Layout(spec, t);
    }

    /**
     * Reads one tensor from the checkpoint on demand: positional reads through a bounded buffer, after
     * checking that the file is still the one opened (its size and modification time).
     */
    private static final class FileReader implements TransformerWeights.Reader {
        private final Path path;
        private final long size;
        private final java.nio.file.attribute.FileTime modified;
        private final Map<String, Tensor> tensors;

        FileReader(Path path, long size, java.nio.file.attribute.FileTime modified, Map<String, Tensor> tensors) {
            this.path = path;
            this.size = size;
            this.modified = modified;
            this.tensors = tensors;
        }

        @Override
        public String description() {
            return path.toString();
        }

        @Override
        public float[] read(String name) {
            Tensor at = tensors.get(name);
            return read(name, at.offset(), at.count(), 0);
        }

        @Override
        public float[] readRows(String name, int first, int count, int cols) {
            Tensor at = tensors.get(name);
            long index = (long) first * cols;
            return read(name, at.offset() + 4 * index, (long) count * cols, index);
        }

        @Override
        public boolean readsRows() {
            return true;
        }

        /** Reads {@code count} floats at {@code offset}, the first being element {@code index} of the tensor. */
        private float[] read(String name, long offset, long count, long index) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                if (ch.size() != size || !Files.getLastModifiedTime(path).equals(modified)) {
                    throw new UnrollException(path + ": changed since it was opened (" + size + " bytes then, " + ch.size()
                            + " now; open it again)");
                }
                Reader r = new Reader(ch, path);
                r.seek(offset);
                return r.floats(name, count, index);
            } catch (IOException e) {
                throw new UnrollException(path + ": cannot read " + name + ": " + e.getMessage(), e);
            }
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

        /** @param index the tensor's element index of the first float, for messages */
        float[] floats(String name, long n, long index) throws IOException {
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
                        throw new UnrollException(path + ": " + name + " element " + (index + i) + " is " + a[i] + " (weights must be finite)");
                    }
                }
                done += count;
                pos += 4L * count;
            }
            return a;
        }

        void seek(long position) {
            pos = position;
        }
    }
}
