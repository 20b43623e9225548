package dev.unroll.processor.plan;

/**
 * Operations on contiguous runs of elements: the scalar flavour lowers them to counted loops in the
 * reference's order of operations, the SIMD flavour to Vector API code. Offsets are IR expressions;
 * extents are constants.
 */
public sealed interface MacroOp {
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
     */
    record MatVec(String w, Expr matrixRows, Expr rowStart, Expr rows, Expr cols, String x, Expr xOff, String y, Expr yOff, boolean tanh) implements MacroOp {}

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
    record RowUpdate(String s, Expr sOff, Expr rows, Expr cols, String rowVar, Expr scale, Expr coef, String u, Expr uOff) implements MacroOp {}

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
    record TransposeTimes(String s, Expr sOff, Expr rows, Expr cols, String x, Expr xOff, String out, Expr oOff, Expr weight) implements MacroOp {}

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
     */
    record Gemm(String w, Expr rows, Expr cols, String x, Expr xStride, String y, Expr yStride, Expr tokens, boolean tanh) implements MacroOp {}
}
