package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.processor.plan.MathFn;
import dev.unroll.processor.plan.Param;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Matrix-vector products over compact weights, in the panel layout of
 * {@code dev.unroll.runtime.codegen.PackedMatrix} (64 rows per panel, columns one after another).
 * Both flavours share one layout: the scalar flavour runs the row method, the SIMD flavour a
 * panel method (BF16: one int vector feeds two accumulators, {@code v << 16} and
 * {@code v & 0xFFFF0000}; Q8: byte vectors widened to floats, one partial sum per block of 32
 * columns, scaled once per block; Q4: as Q8, each byte vector holding two columns' codes, its low
 * and high nibbles) that falls back to the row method for rows no whole vector covers. Each method is private and per shape, named after it.
 */
final class CompactMatVec {
    private static final ClassName FLOAT_VECTOR = ClassName.get(SimdLowering.PACKAGE, "FloatVector");
    private static final ClassName INT_VECTOR = ClassName.get(SimdLowering.PACKAGE, "IntVector");
    private static final ClassName BYTE_VECTOR = ClassName.get(SimdLowering.PACKAGE, "ByteVector");
    private static final ClassName OPERATORS = ClassName.get(SimdLowering.PACKAGE, "VectorOperators");
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    /** Rows per panel. */
    static final int PANEL = 64;
    /** Columns per Q8 block. */
    static final int BLOCK = 32;

    private final ExprWriter w;
    private final Map<String, MethodSpec> methods;

    /**
     * @param w the expression writer
     * @param methods where the per-shape methods go (first use wins)
     */
    CompactMatVec(ExprWriter w, Map<String, MethodSpec> methods) {
        this.w = w;
        this.methods = methods;
    }

    /** The shape of one product: names as the code writes them, values as planned. */
    record Shape(WeightFormat format, String rows, int rowsValue, String cols, int colsValue) {
        String key() {
            return rowsValue + "x" + colsValue;
        }

        /** {@code Bf16_64x64}: the format and shape, as method names end. */
        private String suffix() {
            return (format == WeightFormat.BF16 ? "Bf16_" : format == WeightFormat.Q4 ? "Q4_" : "Q8_") + key();
        }

        /** Q4's bytes per row of a panel: column pairs, the last one half used when the columns are odd. */
        int pairs() {
            return (colsValue + 1) / 2;
        }

        boolean oddColumns() {
            return colsValue % 2 != 0;
        }

        String rowsMethod() {
            return "rows" + suffix();
        }

        String panelMethod() {
            return "matVec" + suffix();
        }

        String vectorMethod() {
            return "vector" + suffix();
        }

        /** The method a whole-range call goes to: the panel method for SIMD, the row method for scalar. */
        String method(boolean simd) {
            return simd ? panelMethod() : rowsMethod();
        }

        int blocks() {
            return (colsValue + BLOCK - 1) / BLOCK;
        }

        /** The end of block b's columns, as code. */
        String blockEnd() {
            return colsValue % BLOCK == 0 ? "b * " + BLOCK + " + " + BLOCK : "Math.min(" + cols + ", b * " + BLOCK + " + " + BLOCK + ")";
        }
    }

    /**
     * @param mv a compact product
     * @param scope bound names
     * @return its shape
     */
    Shape shape(MacroOp.MatVec mv, Scope scope) {
        return new Shape(mv.format(), w.write(mv.matrixRows(), scope), w.intValue(mv.matrixRows(), scope, "MatVec matrixRows"),
                w.write(mv.cols(), scope), w.intValue(mv.cols(), scope, "MatVec cols"));
    }

    /** Whether a product uses only some rows of its matrix (a head's slice): those run row by row. */
    private boolean slice(MacroOp.MatVec mv, Scope scope) {
        return !w.write(mv.rowStart(), scope).equals("0") || w.intValue(mv.rows(), scope, "MatVec rows") != w.intValue(mv.matrixRows(), scope, "MatVec matrixRows");
    }

    /** A slice: rows [rowStart, rowStart + rows) of the row method, their results at yOff. */
    private void sliceCall(MacroOp.MatVec mv, Shape s, CodeBlock.Builder code, Scope scope) {
        if (mv.tanh()) {
            throw new IllegalArgumentException("tanh over a slice of a compact product: " + mv);
        }
        register(s, false);
        String start = w.write(mv.rowStart(), scope);
        String yOff = w.write(mv.yOff(), scope);
        code.addStatement("$L($L, $L, $L, $L, $L - ($L), $L, $L + $L)", s.rowsMethod(), arguments(mv.w(), mv.format()), mv.x(), w.write(mv.xOff(), scope),
                mv.y(), yOff, start, start, start, w.write(mv.rows(), scope));
    }

    /**
     * A compact GEMM over tokens: the product per token (the matrix stays in cache at the widths
     * attention layers have), then tanh if asked.
     */
    void gemm(MacroOp.Gemm g, CodeBlock.Builder code, Scope scope, boolean simd) {
        gemm(g, code, scope, simd, true);
    }

    /**
     * @param g the product
     * @param code where it goes
     * @param scope names in scope
     * @param simd the flavour
     * @param withTanh whether to apply the product's tanh here (else the caller does, in vectors)
     */
    void gemm(MacroOp.Gemm g, CodeBlock.Builder code, Scope scope, boolean simd, boolean withTanh) {
        Shape s = new Shape(g.format(), w.write(g.rows(), scope), w.intValue(g.rows(), scope, "Gemm rows"), w.write(g.cols(), scope),
                w.intValue(g.cols(), scope, "Gemm cols"));
        register(s, simd);
        String xs = w.write(g.xStride(), scope);
        String ys = w.write(g.yStride(), scope);
        code.beginControlFlow("for (int t = 0; t < $L; t++)", w.write(g.tokens(), scope));
        code.addStatement("$L($L, $L, t * $L, $L, t * $L, 0, $L)", s.method(simd), arguments(g.w(), g.format()), g.x(), xs, g.y(), ys, s.rows());
        if (g.tanh() && withTanh) {
            code.beginControlFlow("for (int r = 0; r < $L; r++)", s.rows());
            code.addStatement("$L[t * $L + r] = $L", g.y(), ys, w.math(MathFn.TANH, g.y() + "[t * " + ys + " + r]"));
            code.endControlFlow();
        }
        code.endControlFlow();
    }

    /** Adds a shape's methods to the class once: the row method, and for SIMD the vector and panel methods. */
    private void register(Shape s, boolean simd) {
        methods.computeIfAbsent(s.rowsMethod(), k -> rowsMethod(s));
        if (simd) {
            methods.computeIfAbsent(s.vectorMethod(), k -> switch (s.format()) {
                case BF16 -> bf16Vector(s);
                case Q4 -> q4Vector(s);
                default -> q8Vector(s);
            });
            methods.computeIfAbsent(s.panelMethod(), k -> switch (s.format()) {
                case BF16 -> bf16Panels(s);
                case Q4 -> q4Panels(s);
                default -> q8Panels(s);
            });
        }
    }

    /** The weight arguments of a kernel's call: the codes, and for Q8 and Q4 the scales. */
    private static String arguments(String w, WeightFormat format) {
        return format == WeightFormat.Q8 || format == WeightFormat.Q4 ? w + ", " + Param.scales(w) : w;
    }

    /**
     * A GEMM whose B operand is compact ({@code W = B^T} in panels): one product per row of A over
     * the output columns [colFrom, colTo). Each row re-reads the columns' panels, which a tile of
     * 512 columns keeps in L2.
     */
    void matMul(MacroOp.MatMul mm, CodeBlock.Builder code, Scope scope, boolean simd) {
        Shape s = new Shape(mm.format(), w.write(mm.ldb(), scope), w.intValue(mm.ldb(), scope, "MatMul ldb"), w.write(mm.depth(), scope),
                w.intValue(mm.depth(), scope, "MatMul depth"));
        register(s, simd);
        code.add("// $L[i][n] = $L[i][:] . W[n][:] for rows [$L, $L), columns [$L, $L): W = $L^T as $L panels, one product per row\n", mm.c(), mm.a(),
                w.write(mm.rowFrom(), scope), w.write(mm.rowTo(), scope), w.write(mm.colFrom(), scope), w.write(mm.colTo(), scope), mm.b(),
                mm.format());
        code.beginControlFlow("for (int i = $L; i < $L; i++)", w.write(mm.rowFrom(), scope), w.write(mm.rowTo(), scope));
        code.addStatement("$L($L, $L, $L, $L, $L, $L, $L)", s.method(simd), arguments(mm.b(), mm.format()), mm.a(),
                ScalarLowering.offset(w.write(mm.aOff(), scope), "i * " + w.write(mm.lda(), scope)), mm.c(),
                ScalarLowering.offset(w.write(mm.cOff(), scope), "i * " + w.write(mm.ldc(), scope)), w.write(mm.colFrom(), scope),
                w.write(mm.colTo(), scope));
        code.endControlFlow();
    }

    /** A product in either flavour: the row method (scalar, then tanh if asked) or the panel method (SIMD, tanh left to the caller). */
    void matVec(MacroOp.MatVec mv, CodeBlock.Builder code, Scope scope, boolean simd) {
        Shape s = shape(mv, scope);
        if (slice(mv, scope)) {
            if (mv.part()) {
                throw new IllegalArgumentException("a part of a slice of a compact product: " + mv);
            }
            sliceCall(mv, s, code, scope);
            return;
        }
        register(s, simd);
        String yOff = w.write(mv.yOff(), scope);
        code.addStatement("$L($L, $L, $L, $L, $L, $L, $L)", s.method(simd), arguments(mv.w(), mv.format()), mv.x(), w.write(mv.xOff(), scope), mv.y(),
                yOff, mv.part() ? w.write(mv.partFrom(), scope) : "0", mv.part() ? w.write(mv.partTo(), scope) : s.rows());
        if (!simd) { // the SIMD flavour applies tanh in vectors
            tanh(mv, s, yOff, code);
        }
    }

    private void tanh(MacroOp.MatVec mv, Shape s, String yOff, CodeBlock.Builder code) {
        if (mv.tanh()) {
            String at = yOff.equals("0") ? "r" : yOff + " + r";
            code.beginControlFlow("for (int r = 0; r < $L; r++)", s.rows());
            code.addStatement("$L[$L] = $L", mv.y(), at, w.math(MathFn.TANH, mv.y() + "[" + at + "]"));
            code.endControlFlow();
        }
    }

    private MethodSpec.Builder signature(String name, Shape s, boolean range) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC);
        if (s.format() == WeightFormat.BF16) {
            b.addParameter(ArrayTypeName.of(TypeName.INT), "w");
        } else {
            b.addParameter(ArrayTypeName.of(TypeName.BYTE), "w").addParameter(FLOATS, "s");
        }
        b.addParameter(FLOATS, "x").addParameter(TypeName.INT, "xOff").addParameter(FLOATS, "y").addParameter(TypeName.INT, "yOff");
        if (range) {
            b.addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "to");
        }
        return b;
    }

    /** One row at a time: the reference of the compact layouts, and the rows no whole vector covers. */
    private MethodSpec rowsMethod(Shape s) {
        CodeBlock.Builder c = CodeBlock.builder();
        c.beginControlFlow("for (int r = from; r < to; r++)");
        if (s.format() == WeightFormat.BF16) {
            c.add("// row r: int r % 32 of each column of panel r / 64, in the low half for its first 32 rows\n");
            c.addStatement("final int wr = r / $L * $L * $L + r % $L", PANEL, s.cols(), PANEL / 2, PANEL / 2);
            c.addStatement("float acc = 0.0f");
            c.beginControlFlow("if (r % $L < $L)", PANEL, PANEL / 2);
            bf16Loop(c, s, "w[wr + c * " + PANEL / 2 + "] << 16");
            c.nextControlFlow("else");
            bf16Loop(c, s, "w[wr + c * " + PANEL / 2 + "] & 0xFFFF0000");
            c.endControlFlow();
        } else if (s.format() == WeightFormat.Q4) {
            c.add("// row r: byte r % 64 of each column pair of panel r / 64 (low nibble: the even column); one scale per block of $L columns\n", BLOCK);
            blockRow(c, s, s.pairs(), () -> {
                c.add("// pair j holds columns 2j (low nibble) and 2j + 1\n");
                c.addStatement("final int pairEnd = end / 2");
                c.beginControlFlow("for (int j = b * $L; j < pairEnd; j++)", BLOCK / 2);
                c.addStatement("final int v = w[wr + j * $L]", PANEL);
                c.addStatement("part += ((v & 15) - 8) * x[xOff + 2 * j] + ((v >> 4 & 15) - 8) * x[xOff + 2 * j + 1]");
                c.endControlFlow();
                if (s.oddColumns()) {
                    c.add("// an odd last column: the low nibble of its pair's byte\n");
                    c.beginControlFlow("if (end % 2 != 0)");
                    c.addStatement("part += ((w[wr + pairEnd * $L] & 15) - 8) * x[xOff + end - 1]", PANEL);
                    c.endControlFlow();
                }
            });
        } else {
            c.add("// row r: byte r % 64 of each column of panel r / 64; one scale per block of $L columns\n", BLOCK);
            blockRow(c, s, s.cols(), () -> {
                c.beginControlFlow("for (int c = b * $L; c < end; c++)", BLOCK);
                c.addStatement("part += w[wr + c * $L] * x[xOff + c]", PANEL);
                c.endControlFlow();
            });
        }
        c.addStatement("y[yOff + r] = acc");
        c.endControlFlow();
        return signature(s.rowsMethod(), s, true)
                .addJavadoc("{@code y[yOff + r] = sum_c W[r][c] * x[xOff + c]} for r in [from, to), c in [0, $L): W is $L in panels of $L rows.\n",
                        s.cols(), s.format(), PANEL)
                .addCode(c.build()).build();
    }

    /**
     * Row r of a block format: a partial sum per block of columns ({@code columns} adds to {@code part},
     * with {@code wr}, {@code b} and {@code end} in scope), scaled by the row's scale of that block.
     *
     * @param perRow bytes of one panel row (the codes of all its columns)
     */
    private static void blockRow(CodeBlock.Builder c, Shape s, Object perRow, Runnable columns) {
        c.addStatement("final int wr = r / $L * $L * $L + r % $L", PANEL, perRow, PANEL, PANEL);
        c.addStatement("final int sr = r / $L * $L * $L + r % $L", PANEL, s.blocks(), PANEL, PANEL);
        c.addStatement("float acc = 0.0f");
        c.beginControlFlow("for (int b = 0; b < $L; b++)", s.blocks());
        c.addStatement("float part = 0.0f");
        c.addStatement("final int end = $L", s.blockEnd());
        columns.run();
        c.addStatement("acc += part * s[sr + b * $L]", PANEL);
        c.endControlFlow();
    }

    private void bf16Loop(CodeBlock.Builder c, Shape s, String bits) {
        c.beginControlFlow("for (int c = 0; c < $L; c++)", s.cols());
        c.addStatement("acc += Float.intBitsToFloat($L) * x[xOff + c]", bits);
        c.endControlFlow();
    }

    private static String plus(String base, String term) {
        return term.isEmpty() ? base : base + " + " + term;
    }

    /** Whole panels: 2 int vectors, 4 accumulators per step; then single vectors; then rows. */
    private MethodSpec bf16Panels(Shape s) {
        CodeBlock.Builder c = CodeBlock.builder();
        alignedStart(c, s, "w");
        c.beginControlFlow("for (; r0 + $L <= to; r0 += $L)", PANEL, PANEL);
        c.addStatement("final int base = r0 / $L * $L * $L", PANEL, s.cols(), PANEL / 2);
        c.addStatement("int k0 = 0");
        c.beginControlFlow("for (; k0 + 2 * LANES <= $L; k0 += 2 * LANES)", PANEL / 2);
        for (int a = 0; a < 4; a++) {
            c.addStatement("$T acc$L = $T.zero(S)", FLOAT_VECTOR, a, FLOAT_VECTOR);
        }
        c.beginControlFlow("for (int c = 0; c < $L; c += STREAM)", s.cols());
        c.addStatement("final $T xc = $T.broadcast(S, x[xOff + c])", FLOAT_VECTOR, FLOAT_VECTOR);
        c.addStatement("final int wc = base + c * $L + k0", PANEL / 2);
        c.addStatement("final $T v0 = $T.fromArray(I, w, wc)", INT_VECTOR, INT_VECTOR);
        c.addStatement("final $T v1 = $T.fromArray(I, w, wc + LANES)", INT_VECTOR, INT_VECTOR);
        c.addStatement("acc0 = v0.lanewise($T.LSHL, 16).reinterpretAsFloats().fma(xc, acc0)", OPERATORS);
        c.addStatement("acc1 = v1.lanewise($T.LSHL, 16).reinterpretAsFloats().fma(xc, acc1)", OPERATORS);
        c.addStatement("acc2 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(xc, acc2)");
        c.addStatement("acc3 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(xc, acc3)");
        c.endControlFlow();
        c.addStatement("acc0.intoArray(y, yOff + r0 + k0)");
        c.addStatement("acc1.intoArray(y, yOff + r0 + k0 + LANES)");
        c.addStatement("acc2.intoArray(y, yOff + r0 + $L + k0)", PANEL / 2);
        c.addStatement("acc3.intoArray(y, yOff + r0 + $L + k0 + LANES)", PANEL / 2);
        c.endControlFlow();
        c.beginControlFlow("for (; k0 + LANES <= $L; k0 += LANES)", PANEL / 2);
        c.addStatement("$L(w, x, xOff, y, yOff, r0 + k0)", s.vectorMethod());
        c.addStatement("$L(w, x, xOff, y, yOff, r0 + $L + k0)", s.vectorMethod(), PANEL / 2);
        c.endControlFlow();
        c.addStatement("$L(w, x, xOff, y, yOff, r0 + k0, r0 + $L)", s.rowsMethod(), PANEL / 2);
        c.addStatement("$L(w, x, xOff, y, yOff, r0 + $L + k0, r0 + $L)", s.rowsMethod(), PANEL / 2, PANEL);
        c.endControlFlow();
        tail(c, s, "w");
        return signature(s.panelMethod(), s, true)
                .addJavadoc("{@code y[yOff + r] = sum_c W[r][c] * x[xOff + c]} for r in [from, to) (of $L), c in [0, $L): W in BF16 panels of $L\n"
                        + "rows, two rows per int (low half: rows 0..31 of the panel, high half: rows 32..63).\n", s.rows(), s.cols(), PANEL)
                .addCode(c.build()).build();
    }

    /** Rows before the first panel boundary at or after {@code from}: one at a time. */
    private void alignedStart(CodeBlock.Builder c, Shape s, String weights) {
        c.addStatement("int r0 = from");
        c.beginControlFlow("if (r0 % $L != 0)", PANEL);
        c.addStatement("final int edge = Math.min(to, (r0 / $L + 1) * $L)", PANEL, PANEL);
        c.addStatement("$L($L, x, xOff, y, yOff, r0, edge)", s.rowsMethod(), weights);
        c.addStatement("r0 = edge");
        c.endControlFlow();
    }

    /** The last, partial panel: single vectors where they fit (lanes divide 32: none straddles a half), then rows. */
    private void tail(CodeBlock.Builder c, Shape s, String weights) {
        c.add("// the rest of the last panel: single vectors, then one row at a time\n");
        c.beginControlFlow("for (; r0 + LANES <= to && LANES <= $L; r0 += LANES)", PANEL / 2);
        c.addStatement("$L($L, x, xOff, y, yOff, r0)", s.vectorMethod(), weights);
        c.endControlFlow();
        c.addStatement("$L($L, x, xOff, y, yOff, r0, to)", s.rowsMethod(), weights);
    }

    /** LANES rows from r, all in one half of one panel. */
    private MethodSpec bf16Vector(Shape s) {
        CodeBlock.Builder c = CodeBlock.builder();
        c.addStatement("final int wr = r / $L * $L * $L + r % $L", PANEL, s.cols(), PANEL / 2, PANEL / 2);
        c.addStatement("$T acc = $T.zero(S)", FLOAT_VECTOR, FLOAT_VECTOR);
        c.beginControlFlow("if (r % $L < $L)", PANEL, PANEL / 2);
        c.beginControlFlow("for (int c = 0; c < $L; c++)", s.cols());
        c.addStatement("acc = $T.fromArray(I, w, wr + c * $L).lanewise($T.LSHL, 16).reinterpretAsFloats().fma($T.broadcast(S, x[xOff + c]), acc)",
                INT_VECTOR, PANEL / 2, OPERATORS, FLOAT_VECTOR);
        c.endControlFlow();
        c.nextControlFlow("else");
        c.beginControlFlow("for (int c = 0; c < $L; c++)", s.cols());
        c.addStatement("acc = $T.fromArray(I, w, wr + c * $L).and(0xFFFF0000).reinterpretAsFloats().fma($T.broadcast(S, x[xOff + c]), acc)",
                INT_VECTOR, PANEL / 2, FLOAT_VECTOR);
        c.endControlFlow();
        c.endControlFlow();
        c.addStatement("acc.intoArray(y, yOff + r)");
        return signature(s.vectorMethod(), s, false).addParameter(TypeName.INT, "r")
                .addJavadoc("Rows {@code r .. r + LANES - 1} of {@link #$L}, in one half of one panel.\n", s.panelMethod())
                .addCode(c.build()).build();
    }

    /** Whole panels: 4 byte vectors widened to floats per column, partial sums per block; then single vectors; then rows. */
    private MethodSpec q8Panels(Shape s) {
        CodeBlock body = blockPanels(s, s.cols(), c -> {
            c.beginControlFlow("for (int c = b * $L; c < $L; c += STREAM)", BLOCK, s.blockEnd());
            c.addStatement("final $T xc = $T.broadcast(S, x[xOff + c])", FLOAT_VECTOR, FLOAT_VECTOR);
            c.addStatement("final int wc = base + c * $L + k0", PANEL);
            for (int a = 0; a < 4; a++) {
                c.addStatement("part$L = (($T) $T.fromArray(B, w, $L).convertShape($T.B2F, S, 0)).fma(xc, part$L)", a, FLOAT_VECTOR, BYTE_VECTOR,
                        plus("wc", a == 0 ? "" : a + " * LANES"), OPERATORS, a);
            }
            c.endControlFlow();
        }, false);
        return signature(s.panelMethod(), s, true)
                .addJavadoc("{@code y[yOff + r] = sum_c W[r][c] * x[xOff + c]} for r in [from, to) (of $L), c in [0, $L): W in Q8 panels of $L\n"
                        + "rows, one scale per row and block of $L columns.\n", s.rows(), s.cols(), PANEL, BLOCK)
                .addCode(body).build();
    }

    /**
     * The panel method of a block format: rows one at a time up to a panel's edge; then per whole
     * panel, 4 vectors of rows, each with a partial sum per block of columns ({@code columns} adds to
     * {@code part0..3}, with {@code b}, {@code base} and {@code k0} in scope), scaled once per block
     * (less the block's offset when {@code offset}); then single vectors; then rows.
     *
     * @param perRow bytes of one panel row (the codes of all its columns)
     */
    private CodeBlock blockPanels(Shape s, Object perRow, java.util.function.Consumer<CodeBlock.Builder> columns, boolean offset) {
        CodeBlock.Builder c = CodeBlock.builder();
        c.beginControlFlow("if (B == null)");
        c.add("// vectors narrower than 256 bits have no byte species of LANES lanes\n");
        c.addStatement("$L(w, s, x, xOff, y, yOff, from, to)", s.rowsMethod());
        c.addStatement("return");
        c.endControlFlow();
        alignedStart(c, s, "w, s");
        c.beginControlFlow("for (; r0 + $L <= to; r0 += $L)", PANEL, PANEL);
        c.addStatement("final int base = r0 * $L", perRow);
        c.addStatement("final int sBase = r0 * $L", s.blocks());
        c.addStatement("int k0 = 0");
        c.beginControlFlow("for (; k0 + 4 * LANES <= $L; k0 += 4 * LANES)", PANEL);
        for (int a = 0; a < 4; a++) {
            c.addStatement("$T acc$L = $T.zero(S)", FLOAT_VECTOR, a, FLOAT_VECTOR);
        }
        c.beginControlFlow("for (int b = 0; b < $L; b++)", s.blocks());
        for (int a = 0; a < 4; a++) {
            c.addStatement("$T part$L = $T.zero(S)", FLOAT_VECTOR, a, FLOAT_VECTOR);
        }
        columns.accept(c);
        if (offset) {
            blockOffset(c);
        }
        c.addStatement("final int sc = sBase + b * $L + k0", PANEL);
        for (int a = 0; a < 4; a++) {
            c.addStatement("acc$L = part$L$L.fma($T.fromArray(S, s, $L), acc$L)", a, a, offset ? ".add(offset)" : "", FLOAT_VECTOR,
                    plus("sc", a == 0 ? "" : a + " * LANES"), a);
        }
        c.endControlFlow();
        for (int a = 0; a < 4; a++) {
            c.addStatement("acc$L.intoArray(y, $L)", a, plus("yOff + r0 + k0", a == 0 ? "" : a + " * LANES"));
        }
        c.endControlFlow();
        c.beginControlFlow("for (; k0 + LANES <= $L; k0 += LANES)", PANEL);
        c.addStatement("$L(w, s, x, xOff, y, yOff, r0 + k0)", s.vectorMethod());
        c.endControlFlow();
        c.addStatement("$L(w, s, x, xOff, y, yOff, r0 + k0, r0 + $L)", s.rowsMethod(), PANEL);
        c.endControlFlow();
        tail(c, s, "w, s");
        return c.build();
    }

    /** LANES rows from r, all in one panel. */
    private MethodSpec q8Vector(Shape s) {
        CodeBlock.Builder c = CodeBlock.builder();
        c.addStatement("final int wr = r / $L * $L * $L + r % $L", PANEL, s.cols(), PANEL, PANEL);
        c.addStatement("final int sr = r / $L * $L * $L + r % $L", PANEL, s.blocks(), PANEL, PANEL);
        c.addStatement("$T acc = $T.zero(S)", FLOAT_VECTOR, FLOAT_VECTOR);
        c.beginControlFlow("for (int b = 0; b < $L; b++)", s.blocks());
        c.addStatement("$T part = $T.zero(S)", FLOAT_VECTOR, FLOAT_VECTOR);
        c.beginControlFlow("for (int c = b * $L; c < $L; c++)", BLOCK, s.blockEnd());
        c.addStatement("part = (($T) $T.fromArray(B, w, wr + c * $L).convertShape($T.B2F, S, 0)).fma($T.broadcast(S, x[xOff + c]), part)",
                FLOAT_VECTOR, BYTE_VECTOR, PANEL, OPERATORS, FLOAT_VECTOR);
        c.endControlFlow();
        c.addStatement("acc = part.fma($T.fromArray(S, s, sr + b * $L), acc)", FLOAT_VECTOR, PANEL);
        c.endControlFlow();
        c.addStatement("acc.intoArray(y, yOff + r)");
        return signature(s.vectorMethod(), s, false).addParameter(TypeName.INT, "r")
                .addJavadoc("Rows {@code r .. r + LANES - 1} of {@link #$L}, in one panel.\n", s.panelMethod())
                .addCode(c.build()).build();
    }

    /**
     * A Q4 vector of code pairs, widened to ints (one byte per lane, sign-extended: the masks below
     * clear the extension): x86 has no byte shift, so the nibbles are split in int lanes.
     */
    private static CodeBlock pairs(CodeBlock bytes) {
        return CodeBlock.of("(($T) $L.convertShape($T.B2I, I, 0))", INT_VECTOR, bytes, OPERATORS);
    }

    /**
     * The low or high nibbles of code pairs in int lanes as floats {@code code} in [0, 15]: the panel
     * kernels subtract the 8 once per block ({@code -8 * sum x}), not per weight.
     */
    private static CodeBlock codes(String ints, boolean hi) {
        CodeBlock lanes = hi ? CodeBlock.of("$L.lanewise($T.LSHR, 4).and(15)", ints, OPERATORS) : CodeBlock.of("$L.and(15)", ints);
        return CodeBlock.of("(($T) $L.convert($T.I2F, 0))", FLOAT_VECTOR, lanes, OPERATORS);
    }

    /** The block's columns' sum of x times -8, broadcast: what the codes' offset of 8 contributes to each row's partial sum. */
    private static void blockOffset(CodeBlock.Builder c) {
        c.addStatement("float sum = 0.0f");
        c.beginControlFlow("for (int i = b * $L; i < end; i++)", BLOCK);
        c.addStatement("sum += x[xOff + i]");
        c.endControlFlow();
        c.addStatement("final $T offset = $T.broadcast(S, -8.0f * sum)", FLOAT_VECTOR, FLOAT_VECTOR);
    }

    /** The byte vector at {@code at} of {@code w}. */
    private static CodeBlock bytesAt(String at) {
        return CodeBlock.of("$T.fromArray(B, w, $L)", BYTE_VECTOR, at);
    }

    /**
     * Whole panels: 4 byte vectors per column pair, each widened twice (low and high nibbles, codes
     * in [0, 15]); partial sums per block, less 8 times the block's sum of x; then single vectors;
     * then rows.
     */
    private MethodSpec q4Panels(Shape s) {
        CodeBlock body = blockPanels(s, s.pairs(), c -> {
            c.addStatement("final int end = $L", s.blockEnd());
            c.addStatement("int c = b * $L", BLOCK);
            c.beginControlFlow("for (; c + 1 < end; c += 2 * STREAM)");
            c.addStatement("final $T x0 = $T.broadcast(S, x[xOff + c])", FLOAT_VECTOR, FLOAT_VECTOR);
            c.addStatement("final $T x1 = $T.broadcast(S, x[xOff + c + 1])", FLOAT_VECTOR, FLOAT_VECTOR);
            c.addStatement("final int wc = base + c / 2 * $L + k0", PANEL);
            for (int a = 0; a < 4; a++) {
                c.addStatement("final $T v$L = $L", INT_VECTOR, a, pairs(bytesAt(plus("wc", a == 0 ? "" : a + " * LANES"))));
                c.addStatement("part$L = $L.fma(x0, $L.fma(x1, part$L))", a, codes("v" + a, false), codes("v" + a, true), a);
            }
            c.endControlFlow();
            if (s.oddColumns()) {
                c.beginControlFlow("if (c < end)");
                c.addStatement("final $T x0 = $T.broadcast(S, x[xOff + c])", FLOAT_VECTOR, FLOAT_VECTOR);
                c.addStatement("final int wc = base + c / 2 * $L + k0", PANEL);
                for (int a = 0; a < 4; a++) {
                    c.addStatement("final $T v$L = $L", INT_VECTOR, a, pairs(bytesAt(plus("wc", a == 0 ? "" : a + " * LANES"))));
                    c.addStatement("part$L = $L.fma(x0, part$L)", a, codes("v" + a, false), a);
                }
                c.endControlFlow();
            }
        }, true);
        return signature(s.panelMethod(), s, true)
                .addJavadoc("{@code y[yOff + r] = sum_c W[r][c] * x[xOff + c]} for r in [from, to) (of $L), c in [0, $L): W in Q4 panels of $L\n"
                        + "rows, two columns per byte, one scale per row and block of $L columns.\n", s.rows(), s.cols(), PANEL, BLOCK)
                .addCode(body).build();
    }

    /** LANES rows from r, all in one panel. */
    private MethodSpec q4Vector(Shape s) {
        CodeBlock.Builder c = CodeBlock.builder();
        c.addStatement("final int wr = r / $L * $L * $L + r % $L", PANEL, s.pairs(), PANEL, PANEL);
        c.addStatement("final int sr = r / $L * $L * $L + r % $L", PANEL, s.blocks(), PANEL, PANEL);
        c.addStatement("$T acc = $T.zero(S)", FLOAT_VECTOR, FLOAT_VECTOR);
        c.beginControlFlow("for (int b = 0; b < $L; b++)", s.blocks());
        c.addStatement("$T part = $T.zero(S)", FLOAT_VECTOR, FLOAT_VECTOR);
        c.addStatement("final int end = $L", s.blockEnd());
        c.addStatement("int c = b * $L", BLOCK);
        c.beginControlFlow("for (; c + 1 < end; c += 2)");
        c.addStatement("final $T v = $L", INT_VECTOR, pairs(bytesAt("wr + c / 2 * " + PANEL)));
        c.addStatement("part = $L.fma($T.broadcast(S, x[xOff + c]), $L.fma($T.broadcast(S, x[xOff + c + 1]), part))", codes("v", false),
                FLOAT_VECTOR, codes("v", true), FLOAT_VECTOR);
        c.endControlFlow();
        if (s.oddColumns()) {
            c.beginControlFlow("if (c < end)");
            c.addStatement("final $T v = $L", INT_VECTOR, pairs(bytesAt("wr + c / 2 * " + PANEL)));
            c.addStatement("part = $L.fma($T.broadcast(S, x[xOff + c]), part)", codes("v", false), FLOAT_VECTOR);
            c.endControlFlow();
        }
        blockOffset(c);
        c.addStatement("acc = part.add(offset).fma($T.fromArray(S, s, sr + b * $L), acc)", FLOAT_VECTOR, PANEL);
        c.endControlFlow();
        c.addStatement("acc.intoArray(y, yOff + r)");
        return signature(s.vectorMethod(), s, false).addParameter(TypeName.INT, "r")
                .addJavadoc("Rows {@code r .. r + LANES - 1} of {@link #$L}, in one panel.\n", s.panelMethod())
                .addCode(c.build()).build();
    }
}
