package dev.unroll.processor.plan;

import dev.unroll.annotations.WeightFormat;

/**
 * Operations on contiguous runs of elements: the scalar flavour lowers them to counted loops in the
 * reference's order of operations, the SIMD flavour to Vector API code. Offsets are IR expressions;
 * extents are constants.
 */
public sealed interface MacroOp {
    /**
     * @param v a visitor
     * @param <R> its result
     * @return what the visitor returns for this operation
     */
    <R> R accept(Visitor<R> v);

    /**
     * One method per kind of operation: a new kind does not compile until every consumer handles it.
     *
     * @param <R> the result
     */
    interface Visitor<R> {
        /**
         * @param x the operation
         * @return the result
         */
        R matVec(MatVec x);

        /**
         * @param x the operation
         * @return the result
         */
        R dot(Dot x);

        /**
         * @param x the operation
         * @return the result
         */
        R rowUpdate(RowUpdate x);

        /**
         * @param x the operation
         * @return the result
         */
        R transposeTimes(TransposeTimes x);

        /**
         * @param x the operation
         * @return the result
         */
        R gemm(Gemm x);

        /**
         * @param x the operation
         * @return the result
         */
        R matMul(MatMul x);

        /**
         * @param x the operation
         * @return the result
         */
        R swiGlu(SwiGlu x);

        /**
         * @param x the operation
         * @return the result
         */
        R exp(Exp x);

        /**
         * @param x the operation
         * @return the result
         */
        R sigmoid(Sigmoid x);

        /**
         * @param x the operation
         * @return the result
         */
        R residualRmsNorm(ResidualRmsNorm x);

        /**
         * @param x the operation
         * @return the result
         */
        R sum(Sum x);

        /**
         * @param x the operation
         * @return the result
         */
        R softmax(Softmax x);

        /**
         * @param x the operation
         * @return the result
         */
        R vecMat(VecMat x);

        /**
         * @param x the operation
         * @return the result
         */
        R rowDots(RowDots x);
    }

    /**
     * {@code y[yOff + r] = act(sum_c W[rowStart + r][c] * x[xOff + c])} for r in [0, rows): a
     * matrix-vector product over rows of a weight matrix, with optional tanh. The scalar flavour
     * stores W row-major {@code [matrixRows][cols]} and sums in the reference's 4-lane order; the
     * SIMD flavour stores it transposed and padded, {@code [cols][pad16(matrixRows)]}.
     *
     * @param w weight array
     * @param matrixRows rows of the whole matrix (constant)
     * @param rowStart first row used
     * @param rows rows used (constant)
     * @param cols columns (constant)
     * @param x input array
     * @param xOff input offset
     * @param y output array
     * @param yOff output offset
     * @param tanh apply tanh to each result
     * @param format how W is stored: F32 as above; a compact format in the panels of
     *     {@code dev.unroll.runtime.codegen.PackedMatrix} (all rows, {@code rowStart} 0), Q8 with its
     *     block scales in the array {@link Param#scales} names
     * @param panels whether the SIMD flavour's F32 W is in 64-row panels
     *     ({@code PackedMatrix.f32Panels}: one sequential stream per panel, all rows, {@code rowStart} 0)
     *     rather than transposed and padded
     * @param partFrom with {@code partTo}, null for the whole product; else only rows [partFrom, partTo)
     *     of it, bounds on 64-row panel boundaries (or {@code rows}): a thread's part of a product split
     *     over threads, each row summed exactly as the whole product sums it
     * @param partTo the part's row bound, or null
     */
    record MatVec(String w, Expr matrixRows, Expr rowStart, Expr rows, Expr cols, String x, Expr xOff, String y, Expr yOff, boolean tanh,
            WeightFormat format, boolean panels, Expr partFrom, Expr partTo) implements MacroOp {
        /**
         * A whole product.
         *
         * @param w weight array
         * @param matrixRows rows of the whole matrix (constant)
         * @param rowStart first row used
         * @param rows rows used (constant)
         * @param cols columns (constant)
         * @param x input array
         * @param xOff input offset
         * @param y output array
         * @param yOff output offset
         * @param tanh apply tanh to each result
         * @param format how W is stored
         * @param panels whether the SIMD flavour's F32 W is in 64-row panels
         */
        public MatVec(String w, Expr matrixRows, Expr rowStart, Expr rows, Expr cols, String x, Expr xOff, String y, Expr yOff, boolean tanh,
                WeightFormat format, boolean panels) {
            this(w, matrixRows, rowStart, rows, cols, x, xOff, y, yOff, tanh, format, panels, null, null);
        }

        /** @return whether this is a part of a product */
        public boolean part() {
            return partFrom != null;
        }

        /**
         * A product whose SIMD F32 weights are transposed and padded.
         *
         * @param w weight array
         * @param matrixRows rows of the whole matrix (constant)
         * @param rowStart first row used
         * @param rows rows used (constant)
         * @param cols columns (constant)
         * @param x input array
         * @param xOff input offset
         * @param y output array
         * @param yOff output offset
         * @param tanh apply tanh to each result
         * @param format how W is stored
         */
        public MatVec(String w, Expr matrixRows, Expr rowStart, Expr rows, Expr cols, String x, Expr xOff, String y, Expr yOff, boolean tanh,
                WeightFormat format) {
            this(w, matrixRows, rowStart, rows, cols, x, xOff, y, yOff, tanh, format, false);
        }

        /**
         * An F32 product.
         *
         * @param w weight array
         * @param matrixRows rows of the whole matrix (constant)
         * @param rowStart first row used
         * @param rows rows used (constant)
         * @param cols columns (constant)
         * @param x input array
         * @param xOff input offset
         * @param y output array
         * @param yOff output offset
         * @param tanh apply tanh to each result
         */
        public MatVec(String w, Expr matrixRows, Expr rowStart, Expr rows, Expr cols, String x, Expr xOff, String y, Expr yOff, boolean tanh) {
            this(w, matrixRows, rowStart, rows, cols, x, xOff, y, yOff, tanh, WeightFormat.F32, false);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.matVec(this);
        }
    }

    /**
     * Declares the local {@code result = sum_c w[wOff + c] * x[xOff + c]} for c in [0, cols), in the
     * reference's 4-lane order (the order {@link MatVec} sums a row in). Device tasks use it for the one
     * dot product each work-item computes; the SIMD flavour has no device tasks and never sees it.
     *
     * @param result name of the local to declare
     * @param w weight array
     * @param wOff offset of the row
     * @param x input array
     * @param xOff input offset
     * @param cols columns (constant)
     */
    record Dot(String result, String w, Expr wOff, String x, Expr xOff, Expr cols) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.dot(this);
        }
    }

    /**
     * Row update of a K x V block: {@code S[i][j] = a_i * S[i][j] + c_i * u[j]}, where the scale
     * and the coefficient are per-row expressions of {@code i} (null: no scale / no add).
     *
     * @param s state array
     * @param sOff offset of the block
     * @param rows K (constant)
     * @param cols V (constant)
     * @param rowVar the name that {@code scale} and {@code coef} use for the row index
     * @param scale per-row multiplier of the old value, or null
     * @param coef per-row coefficient of {@code u}, or null
     * @param u the added row vector
     * @param uOff its offset
     */
    record RowUpdate(String s, Expr sOff, Expr rows, Expr cols, String rowVar, Expr scale, Expr coef, String u, Expr uOff) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.rowUpdate(this);
        }
    }

    /**
     * {@code out[oOff + j] (=|+=) weight * sum_i S[sOff + i*cols + j] * x[xOff + i]}, sequential in i.
     *
     * @param s state array
     * @param sOff offset of the block
     * @param rows K (constant)
     * @param cols V (constant)
     * @param x vector array
     * @param xOff vector offset
     * @param out output array
     * @param oOff output offset
     * @param weight multiplier of the sum when accumulating (null: plain store)
     */
    record TransposeTimes(String s, Expr sOff, Expr rows, Expr cols, String x, Expr xOff, String out, Expr oOff, Expr weight) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.transposeTimes(this);
        }
    }

    /**
     * {@code Y[t][r] = act(W[r,:] . X[t,:])} for t in [0, tokens) and r in [0, rows): the batched
     * form of {@link MatVec} over a sequence (a GEMM with constant inner dimensions).
     *
     * @param w weight array (layout as {@link MatVec}; all rows used)
     * @param rows rows (constant)
     * @param cols columns (constant)
     * @param x input array, {@code [tokens][xStride]}
     * @param xStride input row stride (constant)
     * @param y output array, {@code [tokens][yStride]}
     * @param yStride output row stride (constant)
     * @param tokens number of rows of X (run time)
     * @param tanh apply tanh to each result
     * @param format how W is stored (as {@link MatVec})
     */
    record Gemm(String w, Expr rows, Expr cols, String x, Expr xStride, String y, Expr yStride, Expr tokens, boolean tanh, WeightFormat format)
            implements MacroOp {
        /**
         * An F32 GEMM.
         *
         * @param w weight array
         * @param rows rows (constant)
         * @param cols columns (constant)
         * @param x input array
         * @param xStride input row stride (constant)
         * @param y output array
         * @param yStride output row stride (constant)
         * @param tokens number of rows of X (run time)
         * @param tanh apply tanh to each result
         */
        public Gemm(String w, Expr rows, Expr cols, String x, Expr xStride, String y, Expr yStride, Expr tokens, boolean tanh) {
            this(w, rows, cols, x, xStride, y, yStride, tokens, tanh, WeightFormat.F32);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.gemm(this);
        }
    }

    /** How the B operand of a {@link MatMul} is stored. */
    enum Layout {
        /** Row-major {@code [depth][ldb]} in both flavours: activations. */
        ROWS,
        /**
         * The transpose of a weight matrix {@code W [ldb][depth]}: the scalar flavour reads B row-major
         * {@code [depth][ldb]}; the SIMD flavour reads W in panels of 64 rows
         * ({@code dev.unroll.runtime.codegen.PackedMatrix#panels}: row {@code 64q + k}, column {@code p}
         * at {@code (q * depth + p) * 64 + k}), so that a register tile streams one panel with unit
         * stride. Compact formats are always in panels, in both flavours.
         */
        WEIGHTS,
        /**
         * A weight matrix {@code W [ldb][depth]} as {@link MatVec} stores it, so that a model's GEMMs and
         * matrix-vector products share its weights: the scalar flavour reads W row-major and sums each
         * element as {@code MatVec} does (its 4-lane order: equal bits); the SIMD flavour reads it
         * transposed and padded ({@code [depth][pad16(ldb)]}) as a row-major B; compact formats are in
         * their panels.
         */
        MATVEC,
        /**
         * A weight matrix {@code W [ldb][depth]} as a {@link MatVec} with {@code panels} stores it: the
         * scalar flavour as {@link #MATVEC} (row-major, the same bits as the product); the SIMD flavour
         * and compact formats in 64-row panels.
         */
        PANELS
    }

    /**
     * {@code C[i][j] = sum_p A[i][p] * B[p][j]} for rows i in [rowFrom, rowTo) and columns j in
     * [colFrom, colTo): a GEMM with constant inner dimension and strides. The SIMD flavour runs it
     * on the register-tiled GEMM engine (vectors along j); the scalar flavour sums each element in
     * order of p.
     *
     * @param a A array
     * @param aOff offset of A[0][0]
     * @param lda A row stride (constant)
     * @param b B array
     * @param bOff offset of B[0][0] (0 for weights)
     * @param ldb B row stride (constant): for weights, the rows of W
     * @param c C array
     * @param cOff offset of C[0][0]
     * @param ldc C row stride (constant)
     * @param depth the inner dimension (constant)
     * @param rowFrom first row
     * @param rowTo row bound
     * @param colFrom first column
     * @param colTo column bound
     * @param format how B is stored: F32, or a compact format that holds {@code W = B^T} in the
     *     panels of {@code PackedMatrix} (Q8 scales in the array {@link Param#scales} names)
     * @param layout B's layout ({@link Layout#WEIGHTS} for every compact format)
     */
    record MatMul(String a, Expr aOff, Expr lda, String b, Expr bOff, Expr ldb, String c, Expr cOff, Expr ldc, Expr depth,
            Expr rowFrom, Expr rowTo, Expr colFrom, Expr colTo, WeightFormat format, Layout layout) implements MacroOp {
        /**
         * A GEMM over F32 row-major operands.
         *
         * @param a A array
         * @param aOff offset of A[0][0]
         * @param lda A row stride (constant)
         * @param b B array
         * @param bOff offset of B[0][0]
         * @param ldb B row stride (constant)
         * @param c C array
         * @param cOff offset of C[0][0]
         * @param ldc C row stride (constant)
         * @param depth the inner dimension (constant)
         * @param rowFrom first row
         * @param rowTo row bound
         * @param colFrom first column
         * @param colTo column bound
         */
        public MatMul(String a, Expr aOff, Expr lda, String b, Expr bOff, Expr ldb, String c, Expr cOff, Expr ldc, Expr depth,
                Expr rowFrom, Expr rowTo, Expr colFrom, Expr colTo) {
            this(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, depth, rowFrom, rowTo, colFrom, colTo, WeightFormat.F32, Layout.ROWS);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.matMul(this);
        }
    }

    /**
     * {@code dst[dOff + i] = silu(src[gOff + i]) * src[uOff + i]} for i in [0, count): the SwiGLU gate.
     *
     * @param src gate and up values
     * @param gOff offset of the gates
     * @param uOff offset of the up projections
     * @param dst output
     * @param dOff output offset
     * @param count elements (constant)
     */
    record SwiGlu(String src, Expr gOff, Expr uOff, String dst, Expr dOff, Expr count) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.swiGlu(this);
        }
    }

    /**
     * {@code dst[dOff + e] = exp(factor * src[sOff + e])} for e below count: element-wise, so the SIMD
     * flavour uses the Vector API's exp (within an ulp of {@code Math.exp}). dst may be src, in place.
     *
     * @param src input
     * @param sOff input offset
     * @param dst output
     * @param dOff output offset
     * @param count elements (constant)
     * @param factor multiplies the argument, or null
     */
    record Exp(String src, Expr sOff, String dst, Expr dOff, Expr count, Expr factor) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.exp(this);
        }
    }

    /**
     * {@code dst[dOff + e] = shift + scale * sigmoid(src[sOff + e])} for e below count (shift and scale
     * may be null: plain sigmoid). The scalar flavour calls the reference's two-branch sigmoid; the SIMD
     * flavour computes {@code 1 / (1 + exp(-x))} with the Vector API's exp (a few ulps apart, and
     * equally free of overflow: exp(-x) = inf gives 0).
     *
     * @param src input
     * @param sOff input offset
     * @param dst output
     * @param dOff output offset
     * @param count elements (constant)
     * @param shift added after scaling, or null
     * @param scale multiplies the sigmoid, or null
     */
    record Sigmoid(String src, Expr sOff, String dst, Expr dOff, Expr count, Expr shift, Expr scale) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.sigmoid(this);
        }
    }

    /**
     * One row: {@code h = h + delta; h = h / sqrt(mean(h^2) + eps)}, the post-norm residual of a
     * TRM block (RMS norm without weight).
     *
     * @param h row array, updated
     * @param delta the block's output
     * @param off offset of the row
     * @param width row width (constant)
     * @param eps epsilon constant name
     */
    record ResidualRmsNorm(String h, String delta, Expr off, Expr width, Expr eps) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.residualRmsNorm(this);
        }
    }

    /**
     * {@code out[i] = (x[i] + y[i]) + z[i]} (z null: {@code x[i] + y[i]}) for i in [from, to).
     *
     * @param out output
     * @param x first
     * @param y second
     * @param z third, or null
     * @param from first index
     * @param to bound
     */
    record Sum(String out, String x, String y, String z, Expr from, Expr to) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.sum(this);
        }
    }

    /**
     * In-place softmax of {@code a[off, off + len)}: the maximum, then {@code a = exp(a - max)} and
     * their sum, then {@code a = a / sum} (run.c's order).
     *
     * @param a the scores, replaced by probabilities
     * @param off first index
     * @param len how many (may be a run-time value)
     */
    record Softmax(String a, Expr off, Expr len) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.softmax(this);
        }
    }

    /**
     * {@code out[oOff + t] = (sum_e x[xOff + e] * m[mOff + e * stride + t]) / divisor} for t in
     * [0, len): a vector times a matrix whose rows are {@code stride} apart, over a run-time number of
     * columns (attention scores against a position-major key cache). Per t, the sum runs over e in
     * order from zero.
     *
     * @param x the vector
     * @param xOff its offset
     * @param depth its length (constant)
     * @param m the matrix
     * @param mOff offset of its first row
     * @param stride distance between rows (constant)
     * @param len columns (may be a run-time value)
     * @param out output
     * @param oOff output offset
     * @param divisor constant the sums are divided by
     */
    record VecMat(String x, Expr xOff, Expr depth, String m, Expr mOff, Expr stride, Expr len, String out, Expr oOff, Expr divisor)
            implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.vecMat(this);
        }
    }

    /**
     * {@code out[oOff + e] = sum_t m[mOff + e * stride + t] * x[xOff + t]} for e in [0, rows), t in
     * [0, len): row dot products over a run-time length (attention's weighted sum of a position-major
     * value cache). The sum runs over t in order from zero.
     *
     * @param m the matrix
     * @param mOff offset of its first row
     * @param stride distance between rows (constant)
     * @param rows rows (constant)
     * @param len dot length (may be a run-time value)
     * @param x the vector
     * @param xOff its offset
     * @param out output
     * @param oOff output offset
     */
    record RowDots(String m, Expr mOff, Expr stride, Expr rows, Expr len, String x, Expr xOff, String out, Expr oOff) implements MacroOp {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.rowDots(this);
        }
    }
}
