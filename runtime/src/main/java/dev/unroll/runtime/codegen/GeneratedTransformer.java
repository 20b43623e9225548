package dev.unroll.runtime.codegen;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.Parallel;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Hooks;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.ModelArguments;
import dev.unroll.runtime.transformer.Prefill;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.weights.BlockCodes;
import dev.unroll.runtime.weights.CompactFormats;
import java.util.function.IntConsumer;

/**
 * Base of the generated {@code FooModel} decoders: flavour, the packed weights of every layer, RoPE
 * tables and per-thread scratch. Thread-safe: a model is immutable after construction and each
 * thread computes in its own scratch, so one model serves concurrent generations (each with its
 * own caches).
 */
public abstract class GeneratedTransformer implements TransformerModel {
    private final TransformerSpec spec;
    private final TransformerWeights weights;
    private final Flavour flavour;
    private final WeightFormat format;
    private final String className;
    /** RoPE cos table [MAX_SEQ][HD/2]. */
    protected final float[] cos;
    /** RoPE sin table [MAX_SEQ][HD/2]. */
    protected final float[] sin;
    /** The final RMSNorm {@code [D]}. */
    protected final float[] finalNorm;
    /**
     * The embedding table {@code [VOCAB][D]}, read once (weights may be read from their file on each
     * ask); null when the classifier is tied and held as F32 panels, which lookups read instead.
     */
    private final float[] embedding;
    /** The classifier {@code [VOCAB][D]}, packed (the embedding table when tied). */
    protected final PackedMatrix wcls;
    private final DecoderLayer[] layers;
    private final ThreadLocal<Scratch> scratch;
    private final ThreadLocal<Block> blocks;
    private final int decodeParts;
    /** Whether a prompt block's rows are shared out over the threads (a batch's products follow {@link #decodeParts()}). */
    private final boolean splitRows;

    /** Per-thread buffers of one token's layer: a model serves any number of threads, each with its own. */
    protected static final class Scratch {
        /** Normalised stream {@code [D]}. */
        public final float[] xb;
        /** Queries {@code [QD]} (the query width: D unless the heads are not D / HEADS wide). */
        public final float[] q;
        /** The position's key then value, {@code [2 * kvWidth]}. */
        public final float[] kv;
        /** Attention output {@code [QD]}. */
        public final float[] o;
        /** Block output {@code [D]}. */
        public final float[] delta;
        /** Gate and up {@code [2 * F]}. */
        public final float[] hh;
        /** Attention weights {@code [MAX_SEQ]}. */
        public final float[] att;

        Scratch(TransformerSpec spec) {
            xb = new float[spec.width()];
            q = new float[spec.queryWidth()];
            kv = new float[2 * spec.kvWidth()];
            o = new float[spec.queryWidth()];
            delta = new float[spec.width()];
            hh = new float[2 * spec.ffnHidden()];
            att = new float[spec.maxSeq()];
        }
    }

    /** Tokens per prefill block at most: the rows of its matrix products. */
    protected static final int PREFILL_ROWS = 128;

    /** Rows of a batch classified by one GEMM (their logits are buffered in the block, then copied out). */
    protected static final int CLASSIFY_ROWS = 8;

    /**
     * Per-thread buffers of a prefill block, row-major over its tokens; allocated on a thread's
     * first prefill.
     */
    protected static final class Block {
        /** Rows: {@code min(PREFILL_ROWS, maxSeq)}. */
        public final int rows;
        /** Residual streams {@code [rows][D]}. */
        public final float[] x;
        /** Normalised streams {@code [rows][D]}. */
        public final float[] xb;
        /** Queries {@code [rows][QD]}. */
        public final float[] q;
        /** Keys {@code [rows][KV]}. */
        public final float[] k;
        /** Values {@code [rows][KV]}. */
        public final float[] v;
        /** Attention outputs {@code [rows][QD]}. */
        public final float[] o;
        /** Block outputs {@code [rows][D]}. */
        public final float[] delta;
        /** Gates and ups {@code [rows][2F]}. */
        public final float[] hh;
        /** Attention weights {@code [rows][MAX_SEQ]}: each row its own, so threads share a block. */
        public final float[] att;
        /** The last token's stream, for the classifier {@code [D]}. */
        public final float[] last;
        /** Logits of up to {@link #CLASSIFY_ROWS} rows {@code [CLASSIFY_ROWS][VOCAB]}, for a batch's classifier. */
        public final float[] logits;

        Block(TransformerSpec spec) {
            rows = Math.min(PREFILL_ROWS, spec.maxSeq());
            long d = spec.width();
            long floats = rows * (3 * d + 2L * spec.queryWidth() + 2L * spec.kvWidth() + 2L * spec.ffnHidden() + spec.maxSeq()) + d
                    + (long) CLASSIFY_ROWS * spec.vocab();
            Limits.checkBudget("the prefill buffers of " + rows + " tokens", Limits.product("prefill buffers", floats, Float.BYTES));
            x = new float[Limits.arrayLength("prefill rows", rows, d)];
            xb = new float[x.length];
            q = new float[Limits.arrayLength("prefill query rows", rows, spec.queryWidth())];
            k = new float[rows * spec.kvWidth()];
            v = new float[k.length];
            o = new float[q.length];
            delta = new float[x.length];
            hh = new float[Limits.arrayLength("prefill gate and up rows", rows, 2L * spec.ffnHidden())];
            att = new float[Limits.arrayLength("prefill attention rows", rows, spec.maxSeq())];
            last = new float[spec.width()];
            logits = new float[Limits.arrayLength("batch logits rows", CLASSIFY_ROWS, spec.vocab())];
        }
    }

    /**
     * @param spec the descriptor
     * @param weights its weights
     * @param flavour the flavour that runs
     * @param className the generated class, for reports
     */
    protected GeneratedTransformer(TransformerSpec spec, TransformerWeights weights, Flavour flavour, String className) {
        this(spec, weights, flavour, className, WeightFormat.F32);
    }

    /**
     * @param spec the descriptor
     * @param weights its weights (F32; matrices are converted to {@code format} here)
     * @param flavour the flavour that runs
     * @param className the generated class, for reports
     * @param format how the kernels store the matrices
     */
    protected GeneratedTransformer(TransformerSpec spec, TransformerWeights weights, Flavour flavour, String className, WeightFormat format) {
        if (!Checks.notNull("weights", weights).spec().withBlock(spec.block()).equals(spec)) {
            throw new UnrollException("weights of " + weights.spec().describe() + " do not fit " + spec.describe());
        }
        this.spec = spec;
        this.weights = weights;
        this.flavour = flavour;
        this.format = format;
        this.className = className;
        // a file's blocks in this model's format are packed as they are: no F32 copy of any matrix
        boolean fileBlocks = weights.blockFormat("model.layers.0.self_attn.q_proj.weight") == format;
        if (!weights.isResident()) {
            // read tensor by tensor: what this model keeps, what is in flight, and one sequence's caches
            Limits.checkResident(className + ": the model's weights as " + format + " (read tensor by tensor" + (fileBlocks ? ", the file's " + format
                    + " blocks as they are, a chunk of rows at a time" : weights.readsRows() ? ", each matrix a chunk of rows at a time" : "")
                    + ") and the KV caches of one sequence (" + Limits.human(cacheBytes(spec)) + ")", residentBytes(spec, format, fileBlocks, weights.readsRows()));
        }
        int half = spec.headWidth() / 2;
        cos = new float[spec.maxSeq() * half];
        sin = new float[spec.maxSeq() * half];
        GenericTransformer.ropeTables(spec, cos, sin);
        finalNorm = weights.get("model.norm.weight");
        // only a tied table's codes can serve the classifier (weights read on demand read them from the file)
        if (spec.tiedClassifier() && weights.blockFormat("model.embed_tokens.weight") == format) {
            // a file's table in this model's block format: its codes serve the classifier, and a row read
            // back from them is the widened table's row exactly, so the lookups read them too
            wcls = pack("model.embed_tokens.weight", spec.vocab(), spec.width());
            embedding = null;
        } else if (spec.tiedClassifier() && format == WeightFormat.F32 && simd()) {
            // F32 panels hold the table's values exactly: lookups read them there rather than keep a second copy
            wcls = pack("model.embed_tokens.weight", spec.vocab(), spec.width());
            embedding = null;
        } else if (spec.tiedClassifier()) {
            // the table is kept for the lookups: the classifier is packed from it, not read again
            float[] table = weights.get("model.embed_tokens.weight");
            wcls = PackedMatrix.pack("model.embed_tokens.weight", table, spec.vocab(), spec.width(), format, simd());
            embedding = table;
        } else {
            embedding = weights.get("model.embed_tokens.weight");
            wcls = pack("lm_head.weight", spec.vocab(), spec.width());
        }
        layers = new DecoderLayer[spec.layers()];
        int d = spec.width();
        int qd = spec.queryWidth();
        int kv = spec.kvWidth();
        int f = spec.ffnHidden();
        for (int l = 0; l < layers.length; l++) {
            String p = "model.layers." + l + ".";
            layers[l] = new DecoderLayer(weights.get(p + "input_layernorm.weight"),
                    pack(p + "self_attn.q_proj.weight", qd, d), pack(p + "self_attn.k_proj.weight", kv, d),
                    pack(p + "self_attn.v_proj.weight", kv, d), pack(p + "self_attn.o_proj.weight", d, qd),
                    weights.get(p + "post_attention_layernorm.weight"),
                    pack(p + "mlp.gate_proj.weight", f, d), pack(p + "mlp.up_proj.weight", f, d), pack(p + "mlp.down_proj.weight", d, f),
                    new DecoderLayer.HeadExtras(optional(spec.qkvBias(), p + "self_attn.q_proj.bias"), optional(spec.qkvBias(), p + "self_attn.k_proj.bias"),
                            optional(spec.qkvBias(), p + "self_attn.v_proj.bias"), optional(spec.qkNorm(), p + "self_attn.q_norm.weight"),
                            optional(spec.qkNorm(), p + "self_attn.k_norm.weight")));
        }
        scratch = ThreadLocal.withInitial(() -> new Scratch(spec));
        blocks = ThreadLocal.withInitial(() -> new Block(spec));
        splitRows = matrixBytes(spec, format) >= splitThreshold();
        decodeParts = decodeParts(splitRows);
    }

    /**
     * Bytes of matrices one token's forward streams from which its products are split over the
     * runtime's threads: below it, the hand-offs (a few microseconds each, five per layer) cost
     * more than a second core saves. {@code -Dunroll.decodeSplitBytes=N} overrides it;
     * {@code -Dunroll.decodeParts=N} fixes the part count whatever the size.
     */
    public static final long DECODE_SPLIT_BYTES = 4L << 20;

    /** @param large whether the model has {@link #DECODE_SPLIT_BYTES} of matrices or more */
    private static int decodeParts(boolean large) {
        long fixed = Checks.longProperty("unroll.decodeParts", 0, 1, 64, "the parts one token's products are cut into");
        if (fixed > 0) {
            return (int) fixed;
        }
        return large ? Parallel.threads() : 1;
    }

    /** @return bytes of matrices one token's forward streams */
    private static double matrixBytes(TransformerSpec spec, WeightFormat format) {
        long d = spec.width();
        long perLayer = 2 * d * spec.queryWidth() + 2L * spec.kvWidth() * d + 3L * spec.ffnHidden() * d;
        double weights = (double) spec.forwardLayers().length * perLayer + (double) spec.vocab() * d;
        return weights * switch (format) {
            case F32 -> 4;
            case BF16 -> 2;
            case Q8 -> 1.125;
            case Q4 -> 0.625;
        };
    }

    private static long splitThreshold() {
        return Checks.longProperty("unroll.decodeSplitBytes", DECODE_SPLIT_BYTES, 0, Long.MAX_VALUE, "bytes of matrices from which a token's products split");
    }

    /**
     * @return how many parts one token's products are cut into: the runtime's threads for a model
     *     whose matrices are at least {@link #DECODE_SPLIT_BYTES}, else 1
     */
    public final int decodeParts() {
        return decodeParts;
    }

    /**
     * Runs parts [0, parts) of a product, one per thread (the caller runs one), and returns when
     * all are done.
     *
     * @param parts parts
     * @param part the kernel call for one part
     */
    protected static void parts(int parts, IntConsumer part) {
        Parallel.split(parts, part);
    }

    /**
     * @param l a layer
     * @return its packed weights
     * @throws UnrollException when outside the model
     */
    protected final DecoderLayer decoderLayer(int l) {
        if (l < 0 || l >= layers.length) {
            throw new UnrollException("layer " + l + " is outside [0, " + layers.length + ")");
        }
        return layers[l];
    }

    /** @return this thread's buffers */
    protected final Scratch scratch() {
        return scratch.get();
    }

    @Override
    public final TransformerSpec spec() {
        return spec;
    }

    /** @return the weights */
    public final TransformerWeights weights() {
        return weights;
    }

    /** @return the flavour that runs */
    public final Flavour flavour() {
        return flavour;
    }

    /** @return whether the SIMD flavour runs */
    protected final boolean simd() {
        return flavour == Flavour.SIMD;
    }

    /** @return how the kernels store the matrices */
    public final WeightFormat weightFormat() {
        return format;
    }

    @Override
    public String implementation() {
        return "generated " + className + " (" + flavour.describe() + ", " + format + " weights)";
    }

    /**
     * The stated need of a model read tensor by tensor from a llama2.c checkpoint
     * ({@link dev.unroll.runtime.transformer.Llama2c#open}): what its constructor checks against the
     * memory budget ({@link Limits#checkBudget}; by default the heap less a reserve,
     * {@link Limits#defaultBudget()}).
     *
     * @param spec the descriptor
     * @param format how the matrices are stored
     * @return the bytes a model of this shape keeps (its matrices in {@code format}, padded to whole
     *     64-row panels, the embedding and norms in F32), plus what is in flight while it packs a
     *     matrix (one chunk of rows: {@link PackedMatrix#CHUNK_BYTES} of F32 and their codes), plus the
     *     KV caches of one sequence ({@link #cacheBytes}), without which the model cannot decode
     */
    public static long residentBytes(TransformerSpec spec, WeightFormat format) {
        return residentBytes(Checks.notNull("spec", spec), Checks.notNull("format", format), false, true);
    }

    /**
     * @param fileBlocks whether the matrices come as a file's blocks in {@code format} (a GGUF file's
     *     Q8_0 or Q4_0): read a chunk of rows' codes at a time, and a tied table's codes serve the lookups
     * @param streamed whether a matrix read from F32 is read a chunk of rows at a time
     *     ({@link TransformerWeights#readsRows()}), not whole
     */
    private static long residentBytes(TransformerSpec spec, WeightFormat format, boolean fileBlocks, boolean streamed) {
        long d = spec.width();
        long qd = spec.queryWidth();
        long kv = spec.kvWidth();
        long f = spec.ffnHidden();
        double matrices = spec.layers() * (stored(format, qd, d) + 2 * stored(format, kv, d) + stored(format, d, qd) + 2 * stored(format, f, d)
                + stored(format, d, f)) + stored(format, spec.vocab(), d);
        // the embedding table in F32, unless a tied classifier's F32 panels (or a file's blocks) serve the lookups
        boolean tableServes = spec.tiedClassifier() && (format == WeightFormat.F32 || fileBlocks);
        double floats = (tableServes ? 0 : (double) spec.vocab() * d) + (2.0 * spec.layers() + 1) * d
                + (double) spec.layers() * ((spec.qkvBias() ? spec.queryWidth() + 2 * kv : 0) + (spec.qkNorm() ? 2L * spec.headWidth() : 0));
        double largest = Math.max(Math.max((double) spec.vocab() * d, f * d), qd * d);
        double inFlight = fileBlocks || streamed ? 2.0 * PackedMatrix.CHUNK_BYTES : 4 * largest;
        double bytes = matrices + 4 * floats + inFlight + cacheBytes(spec);
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /**
     * @param spec the descriptor
     * @return the KV caches of one sequence: a key and a value row of every position ({@code maxSeq}:
     *     the generated kernels address a cache with that constant stride) for every step of the forward
     */
    public static long cacheBytes(TransformerSpec spec) {
        Checks.notNull("spec", spec);
        return 2L * Float.BYTES * spec.forwardLayers().length * spec.maxSeq() * spec.kvWidth();
    }

    /** Bytes of a {@code [rows][cols]} matrix packed in {@code format}: whole 64-row panels, Q8 and Q4 with a float scale per block of 32. */
    private static double stored(WeightFormat format, long rows, long cols) {
        double padded = (double) PackedMatrix.panels((int) Math.min(rows, Integer.MAX_VALUE - PackedMatrix.PANEL)) * PackedMatrix.PANEL;
        double blocks = (cols + CompactFormats.Q8_BLOCK - 1) / CompactFormats.Q8_BLOCK;
        return switch (format) {
            case F32 -> padded * cols * 4;
            case BF16 -> padded * cols * 2;
            case Q8 -> padded * (cols + 4 * blocks);
            case Q4 -> padded * ((cols + 1) / 2 + 4 * blocks);
        };
    }

    /** Copies a token's embedding row to {@code x[off..off + D)}: from the table, or from the tied classifier's panels. */
    private void embedRow(int token, float[] x, int off) {
        int d = spec.width();
        if (embedding != null) {
            System.arraycopy(embedding, token * d, x, off, d);
            return;
        }
        if (wcls.format != WeightFormat.F32) {
            blockRow(token, x, off);
            return;
        }
        // panel layout (PackedMatrix.f32Panels): row r, column c at (r / 64 * D + c) * 64 + r % 64
        float[] p = wcls.f32;
        int base = token / PackedMatrix.PANEL * d * PackedMatrix.PANEL + token % PackedMatrix.PANEL;
        for (int c = 0; c < d; c++) {
            x[off + c] = p[base + c * PackedMatrix.PANEL];
        }
    }

    /** A row of the tied classifier's Q8 or Q4 panels, widened: {@code code * scale}, as {@code BlockCodes.values}. */
    private void blockRow(int token, float[] x, int off) {
        int d = spec.width();
        int blocks = BlockCodes.blocks(d);
        int panel = token / PackedMatrix.PANEL;
        int k = token % PackedMatrix.PANEL;
        for (int c = 0; c < d; c++) {
            float scale = wcls.scales[(panel * blocks + c / BlockCodes.BLOCK) * PackedMatrix.PANEL + k];
            int code;
            if (wcls.format == WeightFormat.Q8) {
                code = wcls.q8[(panel * d + c) * PackedMatrix.PANEL + k];
            } else {
                int pair = wcls.q4[(panel * ((d + 1) / 2) + c / 2) * PackedMatrix.PANEL + k];
                code = (c % 2 == 0 ? pair & 15 : pair >> 4 & 15) - 8;
            }
            x[off + c] = code * scale;
        }
    }

    /** A tensor the descriptor has, or null. */
    private float[] optional(boolean has, String name) {
        return has ? weights.get(name) : null;
    }

    /**
     * A matrix in the model's format, a chunk of rows at a time where the weights allow it: a file's
     * codes and scales as they are when it stored them in this format, else packed from its values.
     */
    private PackedMatrix pack(String name, int rows, int cols) {
        if (weights.blockFormat(name) == format) {
            return PackedMatrix.packBlocks(name, (first, count) -> weights.blockCodes(name, first, count), rows, cols, format);
        }
        if (weights.readsRows()) {
            // the matrix is never in memory whole in F32
            return PackedMatrix.pack(name, (first, count) -> weights.rows(name, first, count), rows, cols, format, simd());
        }
        return PackedMatrix.pack(name, weights.get(name), rows, cols, format, simd());
    }

    /** The generated kernels address caches with the constant stride maxSeq: every cache holds all positions. */
    @Override
    public final KvCache newCache(int positions) {
        return new KvCache(spec.maxSeq(), spec.kvWidth());
    }

    @Override
    public void embed(int token, float[] x) {
        Checks.length("embed: x", x, spec.width());
        if (token < 0 || token >= spec.vocab()) {
            throw new UnrollException("token " + token + " is outside the vocabulary [0, " + spec.vocab() + ")");
        }
        embedRow(token, x, 0);
    }

    /**
     * @param pos a position
     * @throws UnrollException when outside the cache
     */
    protected final void checkPosition(int pos) {
        if (pos < 0 || pos >= spec.maxSeq()) {
            throw new UnrollException("position " + pos + " is outside the KV cache [0, " + spec.maxSeq() + ")");
        }
    }

    /**
     * The arguments of {@link #layer}, before its kernels index them ({@link ModelArguments#layer}).
     *
     * @param l the layer
     * @param x the stream
     * @param pos the position
     * @param cache the layer's cache (of maxSeq positions)
     * @param pass the pass (from 1)
     */
    protected final void checkLayer(int l, float[] x, int pos, KvCache cache, int pass) {
        checkPosition(pos);
        ModelArguments.layer(spec, l, x, cache, pass);
        fullCache("layer: the KV cache", cache);
    }

    /** The generated kernels address a cache with the constant stride maxSeq: it must hold every position. */
    private void fullCache(String what, KvCache cache) {
        if (cache.positions != spec.maxSeq()) {
            throw new UnrollException(what + " holds " + cache.positions + " positions; this generated model's kernels address maxSeq (" + spec.maxSeq()
                    + ") (take caches from its newCache())");
        }
    }

    /**
     * The arguments of {@link #logits}.
     *
     * @param x the stream
     * @param logits receives the scores
     */
    protected final void checkLogits(float[] x, float[] logits) {
        ModelArguments.logits(spec, x, logits);
    }

    /**
     * The arguments of {@link #forwardToken}: a cache per step, streams of the model's sizes.
     *
     * @param pos the position
     * @param caches a cache per step (of maxSeq positions each)
     * @param x the stream
     * @param logits receives the scores
     */
    protected final void checkForward(int pos, KvCache[] caches, float[] x, float[] logits) {
        checkPosition(pos);
        Checks.noNulls("forwardToken: caches", caches);
        if (caches.length != forwardCaches()) {
            throw new UnrollException("forwardToken: " + caches.length + " caches; this model's forward needs " + forwardCaches());
        }
        for (int i = 0; i < caches.length; i++) {
            ModelArguments.cache(spec, "forwardToken: caches[" + i + "]", caches[i]);
            fullCache("forwardToken: caches[" + i + "]", caches[i]);
        }
        ModelArguments.logits(spec, x, logits);
    }

    @Override
    public final boolean compiledForward() {
        return true;
    }

    @Override
    public abstract void forwardToken(int token, int pos, KvCache[] caches, float[] x, float[] logits, Hooks hooks);

    /**
     * Blocks of up to {@link #PREFILL_ROWS} tokens, each through every step of the forward with
     * {@link #layerRows} (matrix products over the block), then the classifier on the last token.
     * With hooks: token by token, as the interface describes.
     */
    @Override
    public final void prefill(int[] tokens, int from, int count, int pos, KvCache[] caches, float[] logits, Hooks hooks) {
        Prefill.check(this, tokens, from, count, pos, caches, logits);
        if (hooks != null) {
            Prefill.tokenByToken(this, tokens, from, count, pos, caches, logits, hooks);
            return;
        }
        Block b = blocks.get();
        int[] schedule = spec.forwardLayers();
        int d = spec.width();
        int rows = 0;
        for (int c0 = 0; c0 < count; c0 += b.rows) {
            rows = Math.min(b.rows, count - c0);
            for (int t = 0; t < rows; t++) {
                embedRow(tokens[from + c0 + t], b.x, t * d);
            }
            for (int step = 0; step < schedule.length; step++) {
                layerRows(schedule[step], b, pos + c0, rows, caches[step]);
            }
        }
        if (logits != null) {
            System.arraycopy(b.x, (rows - 1) * d, b.last, 0, d);
            logits(b.last, pos + count - 1, logits, null);
        }
    }

    /**
     * Sequences in blocks of up to {@link #PREFILL_ROWS}, each block through every step of the
     * forward with {@link #layerBatch} (matrix products over the block's rows, one per sequence),
     * then the classifier on every row.
     */
    @Override
    public final void forwardTokens(int[] tokens, int[] positions, KvCache[][] caches, float[][] logits) {
        Prefill.checkBatch(this, tokens, positions, caches, logits);
        Block b = blocks.get();
        if (tokens.length == 1) {
            // one sequence: the token path's matrix-vector products stream the weights faster than a GEMM of one row
            forwardToken(tokens[0], positions[0], caches[0], b.last, logits[0], null);
            return;
        }
        int[] schedule = spec.forwardLayers();
        int d = spec.width();
        for (int first = 0; first < tokens.length; first += b.rows) {
            int rows = Math.min(b.rows, tokens.length - first);
            for (int t = 0; t < rows; t++) {
                embedRow(tokens[first + t], b.x, t * d);
            }
            for (int step = 0; step < schedule.length; step++) {
                layerBatch(schedule[step], step, b, positions, caches, first, rows);
            }
            int vocab = spec.vocab();
            for (int t0 = 0; t0 < rows; t0 += CLASSIFY_ROWS) {
                int t1 = Math.min(rows, t0 + CLASSIFY_ROWS);
                classifyBatch(b, t0, t1);
                for (int t = t0; t < t1; t++) {
                    System.arraycopy(b.logits, (t - t0) * vocab, logits[first + t], 0, vocab);
                }
            }
        }
    }

    /**
     * The final norm and the classifier of rows [t0, t1) of a batch block (at most
     * {@link #CLASSIFY_ROWS}): logits of row t into row {@code t - t0} of {@code b.logits}.
     *
     * @param b the block
     * @param t0 first row
     * @param t1 row bound
     */
    protected abstract void classifyBatch(Block b, int t0, int t1);

    /**
     * One decoder layer over a block of sequences, one token each: block row t is sequence
     * {@code first + t}, at {@code positions[first + t]}, with {@code caches[first + t][step]}.
     *
     * @param l the layer
     * @param step the step of the forward (which of each sequence's caches)
     * @param b the block, {@code b.x} updated in place
     * @param positions every sequence's position
     * @param caches every sequence's caches
     * @param first the block's first sequence
     * @param rows sequences in the block
     */
    protected abstract void layerBatch(int l, int step, Block b, int[] positions, KvCache[][] caches, int first, int rows);

    /** A kernel call over a range of a block's rows. */
    @FunctionalInterface
    protected interface RowTask {
        /**
         * @param r0 first row
         * @param r1 row bound
         */
        void run(int r0, int r1);
    }

    /**
     * Runs {@code task} over [0, rows) in blocks of {@code block}, in parallel.
     *
     * @param rows rows
     * @param block rows per task
     * @param task the kernel call
     */
    protected static void rows(int rows, int block, RowTask task) {
        int tasks = (rows + block - 1) / block;
        Parallel.forEach(tasks, t -> task.run(t * block, Math.min(rows, (t + 1) * block)));
    }

    /**
     * @param rows a block's rows
     * @return rows per task: {@link #rowsPerThread}'s share, or all of them on the calling thread for a
     *     model under {@link #DECODE_SPLIT_BYTES} of matrices ({@code -Dunroll.decodeSplitBytes}), whose
     *     block does a few microseconds of work per product, less than a hand-off costs (stories260K,
     *     8 sequences: 459 us a step on one thread, 1,481 to 2,255 us on two)
     */
    protected final int rowsPerPart(int rows) {
        return splitRows ? rowsPerThread(rows) : rows;
    }

    /**
     * @param rows a block's rows
     * @return rows per thread: one part per thread, a multiple of the GEMM tiles' 6 rows (models
     *     generated before {@link #rowsPerPart} call it directly)
     */
    protected static int rowsPerThread(int rows) {
        int part = (rows + Parallel.threads() - 1) / Parallel.threads();
        return Math.max(6, (part + 5) / 6 * 6);
    }

    /**
     * One decoder layer over the first {@code rows} tokens of a prefill block, row t at position
     * {@code pos0 + t}: their keys and values enter {@code cache}, each attends causally over it.
     *
     * @param l the layer
     * @param b the block, {@code b.x} updated in place
     * @param pos0 position of row 0
     * @param rows tokens in the block
     * @param cache the step's cache
     */
    protected abstract void layerRows(int l, Block b, int pos0, int rows, KvCache cache);
}
