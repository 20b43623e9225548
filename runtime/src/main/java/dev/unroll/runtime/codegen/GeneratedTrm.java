package dev.unroll.runtime.codegen;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.Parallel;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;

/**
 * Base of the generated {@code FooModel} classes: flavour, the weights of every layer as the kernels
 * read them, per-thread buffers, argument checks and the splitting of each kernel operation into
 * tasks over rows and column blocks. Thread-safe: a model is immutable after construction and each
 * calling thread computes in its own buffers (each call is itself parallel over a shared pool).
 */
public abstract class GeneratedTrm implements TrmModel {
    /** Rows per task of a row-parallel operation: 16 GEMM tiles of 6 rows. */
    protected static final int ROW_BLOCK = 96;
    /** Columns per task of a column-split GEMM at most: 8 weight panels of 64. */
    protected static final int COL_BLOCK = 512;

    private final TrmSpec spec;
    private final TrmWeights weights;
    private final Flavour flavour;
    private final String className;
    private final WeightFormat format;
    /** Token embeddings {@code [VOCAB][H]}. */
    protected final float[] emb;
    /** The learned prefix positions {@code [PREFIX][H]}. */
    protected final float[] prefix;
    /** Output head {@code [VOCAB][H]}. */
    protected final float[] outW;
    /** Halting head weights {@code [HALT][H]}. */
    protected final float[] qW;
    /** Halting head bias {@code [HALT]}. */
    protected final float[] qB;
    /** RoPE table of the attention mixer (empty for the MLP mixer). */
    protected final float[] rope;
    private final TrmBlock[] blocks;
    private final ThreadLocal<Buffers> buffers = new ThreadLocal<>();

    /**
     * @param spec the descriptor
     * @param weights the weights
     * @param flavour the flavour that runs
     * @param className the generated class, for reports
     */
    protected GeneratedTrm(TrmSpec spec, TrmWeights weights, Flavour flavour, String className) {
        this(spec, weights, flavour, className, WeightFormat.F32);
    }

    /**
     * @param spec the descriptor
     * @param weights its weights (F32; the row projections are converted to {@code format} here)
     * @param flavour the flavour that runs
     * @param className the generated class, for reports
     * @param format how the kernels store the row projections
     */
    protected GeneratedTrm(TrmSpec spec, TrmWeights weights, Flavour flavour, String className, WeightFormat format) {
        if (!Checks.notNull("weights", weights).spec().equals(spec)) {
            throw new UnrollException("weights of " + weights.spec().describe() + " do not fit " + spec.describe());
        }
        this.spec = spec;
        this.weights = weights;
        this.flavour = flavour;
        this.className = className;
        this.format = format;
        this.emb = weights.get("input_embedding.token_embedding.weight");
        this.prefix = weights.get("input_embedding.summary_token");
        this.outW = weights.get("output_head.proj.weight");
        this.qW = weights.get("q_head.proj.weight");
        this.qB = weights.get("q_head.proj.bias");
        boolean attention = spec.mixer() == TokenMixer.ATTENTION;
        this.rope = attention ? ropeTable(spec) : new float[0];
        int h = spec.hidden();
        int mlp = spec.mlpIntermediate();
        blocks = new TrmBlock[spec.layers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new TrmBlock(
                    attention ? null : weights.layer(l, "mixer.swiglu.gate_up_proj.weight"),
                    attention ? null : weights.layer(l, "mixer.swiglu.down_proj.weight"),
                    attention ? project(weights.layer(l, "self_attn.qkv_proj.weight"), 3 * h, h, l + ".self_attn.qkv_proj") : null,
                    attention ? project(weights.layer(l, "self_attn.o_proj.weight"), h, h, l + ".self_attn.o_proj") : null,
                    project(weights.layer(l, "mlp.gate_up_proj.weight"), 2 * mlp, h, l + ".mlp.gate_up_proj"),
                    project(weights.layer(l, "mlp.down_proj.weight"), h, mlp, l + ".mlp.down_proj"));
        }
    }

    /**
     * @param l a layer of the network
     * @return its weights
     */
    protected final TrmBlock block(int l) {
        return blocks[l];
    }

    @Override
    public final TrmSpec spec() {
        return spec;
    }

    /** @return the weights */
    public final TrmWeights weights() {
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

    @Override
    public String implementation() {
        return "generated " + className + " (" + flavour.describe() + ", " + (format == WeightFormat.F32 ? "F32" : format + " projections")
                + ", " + Parallel.threads() + " threads)";
    }

    /** @return how the kernels store the row projections */
    public final WeightFormat weightFormat() {
        return format;
    }

    /**
     * A row projection {@code [out][in]}: for F32, transposed ({@code [in][out]}, the scalar GEMMs' B)
     * or in panels of 64 rows (the SIMD GEMM engine's); else in its compact panels.
     */
    private PackedMatrix project(float[] w, int out, int in, String name) {
        return format == WeightFormat.F32 ? PackedMatrix.of(simd() ? PackedMatrix.f32Panels(w, out, in) : transpose(w, out, in))
                : PackedMatrix.pack("layers." + name + ".weight", w, out, in, format, false);
    }

    @Override
    public TrmCarry initialCarry(int batch) {
        return TrmCarry.initial(weights, batch);
    }

    /** Activation buffers for one batch size. */
    protected static final class Buffers {
        /** Batch size they fit. */
        public final int batch;
        /** Network input / scratch state [B][L][H]. */
        public final float[] in;
        /** Block output [B][L][H]. */
        public final float[] delta;
        /** Gate and up projections (mixer or MLP, the larger). */
        public final float[] gu;
        /** SwiGLU activations. */
        public final float[] act;
        /** Attention: q, k, v [B][L][3H] (empty for the MLP mixer). */
        public final float[] qkv;
        /** Attention: head outputs [B][L][H]. */
        public final float[] o;
        /** Attention: softmax scratch [B][HEADS][L]. */
        public final float[] scores;

        Buffers(TrmSpec s, int batch) {
            this.batch = batch;
            int h = s.hidden();
            boolean att = s.mixer() == TokenMixer.ATTENTION;
            long mlpGu = Limits.product("channel MLP activations of batch " + batch, batch, s.sequence(), 2, s.mlpIntermediate());
            long mixGu = s.mixer() == TokenMixer.MLP ? Limits.product("token mixer activations of batch " + batch, batch, 2, s.mixerIntermediate(), h) : 0;
            long state = Limits.product("states of batch " + batch, batch, s.sequence(), h);
            long floats = 2 * state + Math.max(mlpGu, mixGu) * 3 / 2 + (att ? 4 * state + (long) batch * s.heads() * s.sequence() : 0);
            Limits.checkBudget("the activations of a batch of " + batch + " puzzles", Limits.product("activations", floats, Float.BYTES));
            int rows = batch * s.sequence();
            this.in = new float[Limits.arrayLength("states of batch " + batch, state)];
            this.delta = new float[in.length];
            this.gu = new float[Limits.arrayLength("gate and up activations", Math.max(mlpGu, mixGu))];
            this.act = new float[gu.length / 2];
            this.qkv = new float[att ? Limits.arrayLength("q, k, v of batch " + batch, rows, 3L * h) : 0];
            this.o = new float[att ? rows * h : 0];
            this.scores = new float[att ? batch * s.heads() * s.sequence() : 0];
        }
    }

    /**
     * @param batch puzzles
     * @return this thread's buffers for that batch size (reused while it does not change)
     */
    protected final Buffers buffers(int batch) {
        Buffers b = buffers.get();
        if (b == null || b.batch != batch) {
            b = new Buffers(spec, batch);
            buffers.set(b);
        }
        return b;
    }

    /** A kernel call over a range of rows. */
    @FunctionalInterface
    protected interface RowTask {
        /**
         * @param r0 first row
         * @param r1 row bound
         */
        void run(int r0, int r1);
    }

    /** A kernel call over a block of rows and columns. */
    @FunctionalInterface
    protected interface TileTask {
        /**
         * @param r0 first row
         * @param r1 row bound
         * @param n0 first column
         * @param n1 column bound
         */
        void run(int r0, int r1, int n0, int n1);
    }

    /**
     * Runs {@code task} over [0, rows) in blocks of {@code block}, in parallel.
     *
     * @param rows row count
     * @param block rows per task
     * @param task the kernel call
     */
    protected static void rows(int rows, int block, RowTask task) {
        int tasks = (rows + block - 1) / block;
        Parallel.forEach(tasks, t -> task.run(t * block, Math.min(rows, (t + 1) * block)));
    }

    /** A kernel call over a block of one puzzle's rows. */
    @FunctionalInterface
    protected interface PuzzleTask {
        /**
         * @param b the puzzle
         * @param r0 first row
         * @param r1 row bound
         */
        void run(int b, int r0, int r1);
    }

    /**
     * Runs {@code task} for every puzzle over its [0, rows) in blocks of 128 rows, in parallel.
     *
     * @param batch puzzles
     * @param rows rows per puzzle
     * @param task the kernel call
     */
    protected static void perPuzzle(int batch, int rows, PuzzleTask task) {
        int block = 128;
        int blocks = (rows + block - 1) / block;
        Parallel.forEach(batch * blocks, t -> {
            int b = t / blocks;
            int k = t % blocks;
            task.run(b, k * block, Math.min(rows, (k + 1) * block));
        });
    }

    /**
     * Runs {@code task} over a grid of row blocks and column blocks, in parallel; column blocks start
     * at multiples of 64 (whole weight panels).
     *
     * @param rows rows
     * @param cols columns
     * @param task the kernel call
     */
    protected static void tiles(int rows, int cols, TileTask task) {
        int rb = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        int block = COL_BLOCK;
        // narrower column blocks (whole panels still) until every thread has two tasks
        while (block > PackedMatrix.PANEL && (long) rb * ((cols + block - 1) / block) < 2L * Parallel.threads()) {
            block /= 2;
        }
        int width = block;
        int cb = (cols + width - 1) / width;
        Parallel.forEach(rb * cb, t -> {
            int r = t / cb;
            int c = t % cb;
            task.run(r * ROW_BLOCK, Math.min(rows, (r + 1) * ROW_BLOCK), c * width, Math.min(cols, (c + 1) * width));
        });
    }

    /**
     * @param tokens tokens [B][context]
     * @param batch B
     */
    protected final void checkTokens(int[] tokens, int batch) {
        Checks.positive("batch", batch);
        int ctx = spec.context();
        Limits.checkBudget("the states of a batch of " + batch + " puzzles",
                Limits.product("states of batch " + batch, batch, spec.sequence(), spec.hidden(), 3L * Float.BYTES));
        if (Checks.notNull("tokens", tokens).length != (long) batch * ctx) {
            throw new ShapeMismatchException("tokens", new long[] {batch, ctx}, new long[] {tokens.length});
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= spec.vocab()) {
                throw new UnrollException("tokens[" + i / ctx + "][" + i % ctx + "] = " + tokens[i] + " is outside the vocabulary [0, " + spec.vocab() + ")");
            }
        }
    }

    /**
     * @param carry a carry
     * @return its batch, after checking its arrays
     */
    protected final int checkCarry(TrmCarry carry) {
        int n = Checks.notNull("carry", carry).batch() * spec.sequence() * spec.hidden();
        Checks.length("carry.y", carry.y(), n);
        Checks.length("carry.z", carry.z(), n);
        return carry.batch();
    }

    /**
     * @param w row-major [rows][cols]
     * @param rows rows
     * @param cols columns
     * @return the transpose, [cols][rows]
     */
    public static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w[r * cols + c];
            }
        }
        return t;
    }

    /**
     * @param spec the model
     * @return RoPE table [L][HEAD_DIM/2][2]: cos and sin of position * theta^(-2i/d)
     */
    public static float[] ropeTable(TrmSpec spec) {
        int l = spec.sequence();
        int half = spec.headWidth() / 2;
        float[] t = new float[l * half * 2];
        for (int p = 0; p < l; p++) {
            for (int i = 0; i < half; i++) {
                double ang = p * Math.pow(spec.ropeTheta(), -2.0 * i / spec.headWidth());
                t[(p * half + i) * 2] = (float) Math.cos(ang);
                t[(p * half + i) * 2 + 1] = (float) Math.sin(ang);
            }
        }
        return t;
    }
}
