package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.MacroOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * Lowers macros to the Vector API ({@code jdk.incubator.vector}) with register blocking. Matrices
 * are stored transposed and padded ({@code [cols][pad16(rows)]}), so a matrix-vector product is a
 * sequence of broadcast-FMAs into up to eight accumulators and needs no horizontal reductions;
 * GEMMs run on the register-tiled engine of {@link SimdGemm}. Every operation uses one species, the platform's preferred
 * one, read once at class initialisation, so the code is portable and the JIT sees every bound as a
 * constant; state rows run whole vectors of it, then a scalar tail ({@code ROW<width>_BOUND}).
 */
final class SimdLowering implements Lowering {
    static final String PACKAGE = "jdk.incubator.vector";

    private final ExprWriter w;
    private final int unrollLimit;
    private final ClassName vector;
    private final Set<Integer> rowWidths = new TreeSet<>();
    private final Map<String, MethodSpec> tiles = new LinkedHashMap<>();
    private final Set<WeightFormat> compactFormats = new TreeSet<>();
    private boolean streams;
    private final CompactMatVec compact;
    private final SimdGemm engine;

    SimdLowering(ExprWriter w, int unrollLimit) {
        this.w = w;
        this.unrollLimit = unrollLimit;
        this.compact = new CompactMatVec(w, tiles);
        this.vector = ClassName.get(PACKAGE, w.realType().equals("float") ? "FloatVector" : "DoubleVector");
        this.engine = new SimdGemm(w, tiles, vector);
    }

    /** @return the state-row widths that need a {@code ROW<width>_BOUND} constant */
    /** @return whether a lowered product streams panels, F32 or compact (their loops step by the class's {@code STREAM}) */
    boolean streams() {
        return streams || !compactFormats.isEmpty();
    }

    Set<Integer> rowWidths() {
        return rowWidths;
    }

    @Override
    public List<MethodSpec> methods() {
        return List.copyOf(tiles.values());
    }

    /** @return the compact weight formats the lowered products read (their species are class fields) */
    Set<WeightFormat> compactFormats() {
        return compactFormats;
    }

    /** @return the GEMM engine (whether it ran, and the per-thread panel it needs) */
    SimdGemm engine() {
        return engine;
    }

    ClassName vector() {
        return vector;
    }

    static int pad16(int n) {
        return (n + 15) / 16 * 16;
    }

    @Override
    public void lower(MacroOp op, CodeBlock.Builder code, Scope scope) {
        op.accept(new MacroOp.Visitor<Void>() {
            @Override
            public Void matVec(MacroOp.MatVec x) {
                SimdLowering.this.matVec(x, code, scope);
                return null;
            }

            @Override
            public Void dot(MacroOp.Dot x) {
                throw new IllegalStateException("Dot is a TornadoVM-only operation: the plan check keeps it out of JVM kernels");
            }

            @Override
            public Void rowUpdate(MacroOp.RowUpdate x) {
                SimdLowering.this.rowUpdate(x, code, scope);
                return null;
            }

            @Override
            public Void transposeTimes(MacroOp.TransposeTimes x) {
                SimdLowering.this.transposeTimes(x, code, scope);
                return null;
            }

            @Override
            public Void gemm(MacroOp.Gemm x) {
                SimdLowering.this.gemm(x, code, scope);
                return null;
            }

            @Override
            public Void matMul(MacroOp.MatMul x) {
                SimdLowering.this.matMul(x, code, scope);
                return null;
            }

            @Override
            public Void swiGlu(MacroOp.SwiGlu x) {
                SimdLowering.this.swiGlu(x, code, scope);
                return null;
            }

            @Override
            public Void exp(MacroOp.Exp x) {
                SimdLowering.this.exp(x, code, scope);
                return null;
            }

            @Override
            public Void sigmoid(MacroOp.Sigmoid x) {
                SimdLowering.this.sigmoid(x, code, scope);
                return null;
            }

            @Override
            public Void residualRmsNorm(MacroOp.ResidualRmsNorm x) {
                SimdLowering.this.residualRmsNorm(x, code, scope);
                return null;
            }

            @Override
            public Void sum(MacroOp.Sum x) {
                SimdLowering.this.sum(x, code, scope);
                return null;
            }

            @Override
            public Void softmax(MacroOp.Softmax x) {
                SimdLowering.this.softmax(x, code, scope);
                return null;
            }

            @Override
            public Void vecMat(MacroOp.VecMat x) {
                SimdLowering.this.vecMat(x, code, scope);
                return null;
            }

            @Override
            public Void rowDots(MacroOp.RowDots x) {
                SimdLowering.this.rowDots(x, code, scope);
                return null;
            }
        });
    }

    // ------------------------------------------------------------------ matrix-vector

    /**
     * A matrix-vector product is a call to a private method per shape (shared by every product of
     * that shape). Inline, several of them made methods that C1 could not compile ("out of virtual
     * registers"); HotSpot 17 then sometimes left the method at tier 2, where every Vector API call
     * runs its Java fallback: 4x slower runs, one JVM in five, in our measurements.
     */
    private void matVec(MacroOp.MatVec mv, CodeBlock.Builder code, Scope scope) {
        if (mv.format() != WeightFormat.F32) {
            compactFormats.add(mv.format());
            compact.matVec(mv, code, scope, true);
            if (mv.tanh()) {
                // tanh in vectors: Math.tanh element by element cost as much as the whole product
                StmtWriter.open(code);
                tanhRun(code, mv.y(), ScalarLowering.offset(w.write(mv.yOff(), scope), "r"), w.write(mv.rows(), scope));
                StmtWriter.close(code);
            }
            return;
        }
        if (mv.panels()) {
            panelMatVec(mv, code, scope);
            return;
        }
        if (mv.part()) {
            throw new IllegalArgumentException("a part of a transposed, padded product: " + mv);
        }
        int matrixRows = w.intValue(mv.matrixRows(), scope, "MatVec matrixRows");
        int rowsValue = w.intValue(mv.rows(), scope, "MatVec rows");
        int colsValue = w.intValue(mv.cols(), scope, "MatVec cols");
        int stride = pad16(matrixRows);
        String name = "matVec" + rowsValue + "x" + colsValue + (stride == pad16(rowsValue) ? "" : "s" + stride) + (mv.tanh() ? "Tanh" : "");
        if (!tiles.containsKey(name)) {
            tiles.put(name, matVecMethod(name, w.write(mv.rows(), scope), w.write(mv.cols(), scope), strideText(mv.matrixRows(), stride), mv.tanh()));
        }
        code.addStatement("$L($L, $L, $L, $L, $L, $L)", name, mv.w(), w.write(mv.rowStart(), scope), mv.x(), w.write(mv.xOff(), scope), mv.y(),
                w.write(mv.yOff(), scope));
    }

    /** A product over F32 panels: a private method per shape ({@code matVecPanels<rows>x<cols>}). */
    private void panelMatVec(MacroOp.MatVec mv, CodeBlock.Builder code, Scope scope) {
        if (!w.write(mv.rowStart(), scope).equals("0") || w.intValue(mv.rows(), scope, "MatVec rows") != w.intValue(mv.matrixRows(), scope, "MatVec matrixRows")
                || mv.tanh()) {
            throw new IllegalArgumentException("a panel product covers all rows, without tanh: " + mv);
        }
        streams = true;
        String name = "matVecPanels" + w.intValue(mv.rows(), scope, "MatVec rows") + "x" + w.intValue(mv.cols(), scope, "MatVec cols");
        tiles.computeIfAbsent(name, k -> panelMatVecMethod(k, w.write(mv.rows(), scope), w.write(mv.cols(), scope)));
        code.addStatement("$L($L, $L, $L, $L, $L, $L, $L)", name, mv.w(), mv.x(), w.write(mv.xOff(), scope), mv.y(), w.write(mv.yOff(), scope),
                mv.part() ? w.write(mv.partFrom(), scope) : "0", mv.part() ? w.write(mv.partTo(), scope) : w.write(mv.rows(), scope));
    }

    /**
     * Rows [from, to), from on a panel boundary: two panels at a time (8 accumulators, two
     * sequential streams), then one, then the last partial panel: whole vectors, then rows. Each row
     * sums its columns in order, whichever part of the product it falls in.
     */
    private MethodSpec panelMatVecMethod(String name, String rows, String cols) {
        TypeName arr = ArrayTypeName.of(TypeName.FLOAT);
        CodeBlock.Builder c = CodeBlock.builder();
        c.addStatement("int r0 = from");
        for (int panels : new int[] {2, 1}) {
            c.beginControlFlow("for (; r0 + $L <= to; r0 += $L)", panels * 64, panels * 64);
            c.addStatement("final int base = r0 * $L", cols);
            c.add("// 4 vectors of each panel per pass: one pass where vectors are 512 bits wide\n");
            c.beginControlFlow("for (int k0 = 0; k0 + 4 * LANES <= 64; k0 += 4 * LANES)");
            for (int a = 0; a < 4 * panels; a++) {
                c.addStatement("$T acc$L = $T.zero(S)", vector, a, vector);
            }
            c.beginControlFlow("for (int col = 0; col < $L; col += STREAM)", cols);
            c.addStatement("final $T xc = $T.broadcast(S, x[xOff + col])", vector, vector);
            c.addStatement("final int wc = base + col * 64 + k0");
            for (int a = 0; a < 4 * panels; a++) {
                String at = "wc" + (a >= 4 ? " + 64 * " + cols : "") + (a % 4 == 0 ? "" : " + " + (a % 4 == 1 ? "" : a % 4 + " * ") + "LANES");
                c.addStatement("acc$L = $T.fromArray(S, w, $L).fma(xc, acc$L)", a, vector, at, a);
            }
            c.endControlFlow();
            for (int a = 0; a < 4 * panels; a++) {
                c.addStatement("acc$L.intoArray(y, yOff + r0 + k0$L$L)", a, a >= 4 ? " + 64" : "", a % 4 == 0 ? "" : " + " + (a % 4 == 1 ? "" : a % 4 + " * ") + "LANES");
            }
            c.endControlFlow();
            c.endControlFlow();
        }
        c.add("// the last, partial panel (stored 64 wide, zero-padded): whole vectors, then rows\n");
        c.addStatement("final int base = r0 * $L", cols);
        c.addStatement("int k = 0");
        c.beginControlFlow("for (; r0 + k + LANES <= to; k += LANES)");
        c.addStatement("$T acc = $T.zero(S)", vector, vector);
        c.beginControlFlow("for (int col = 0; col < $L; col++)", cols);
        c.addStatement("acc = $T.fromArray(S, w, base + col * 64 + k).fma($T.broadcast(S, x[xOff + col]), acc)", vector, vector);
        c.endControlFlow();
        c.addStatement("acc.intoArray(y, yOff + r0 + k)");
        c.endControlFlow();
        c.beginControlFlow("for (; r0 + k < to; k++)");
        c.addStatement("float acc = 0.0f");
        c.beginControlFlow("for (int col = 0; col < $L; col++)", cols);
        c.addStatement("acc += w[base + col * 64 + k] * x[xOff + col]");
        c.endControlFlow();
        c.addStatement("y[yOff + r0 + k] = acc");
        c.endControlFlow();
        return MethodSpec.methodBuilder(name)
                .addJavadoc("{@code y[yOff + r] = sum_col W[r][col] * x[xOff + col]} for r in [from, to) of [0, $L), col in [0, $L): W in F32\n"
                        + "panels of 64 rows ({@code PackedMatrix.f32Panels}), row {@code 64p + k} at {@code (p * $L + col) * 64 + k}; {@code from} on a\n"
                        + "panel boundary.\n", rows, cols, cols)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(arr, "w").addParameter(arr, "x").addParameter(TypeName.INT, "xOff").addParameter(arr, "y").addParameter(TypeName.INT, "yOff")
                .addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "to")
                .addCode(c.build())
                .build();
    }

    /**
     * The row stride of a transposed, padded matrix as the code names it: {@code P_PAD} for a
     * matrix of {@code P} rows when that constant exists, {@code D} when {@code D} is already a
     * multiple of 16, else the number.
     */
    private String strideText(Expr matrixRows, int stride) {
        return matrixRows instanceof Expr.Name n ? w.named(stride, n.name() + "_PAD", n.name()) : Integer.toString(stride);
    }

    /** Rows in blocks of 8 and 4 vectors (that many accumulators), then single vectors, then scalar rows. */
    private MethodSpec matVecMethod(String name, String rows, String cols, String stride, boolean tanh) {
        TypeName arr = ArrayTypeName.of(w.realType().equals("float") ? TypeName.FLOAT : TypeName.DOUBLE);
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("int r0 = 0");
        for (int block : new int[] {8, 4}) {
            code.beginControlFlow("for (; r0 + $L * LANES <= $L; r0 += $L * LANES)", block, rows, block);
            for (int a = 0; a < block; a++) {
                code.addStatement("$T acc$L = $T.zero(S)", vector, a, vector);
            }
            code.beginControlFlow("for (int col = 0; col < $L; col++)", cols);
            code.addStatement("final $T xc = $T.broadcast(S, x[xOff + col])", vector, vector);
            code.addStatement("final int wc = col * $L + start + r0", stride);
            for (int a = 0; a < block; a++) {
                code.addStatement("acc$L = $T.fromArray(S, w, wc$L).fma(xc, acc$L)", a, vector, a == 0 ? "" : " + " + a + " * LANES", a);
            }
            code.endControlFlow();
            for (int a = 0; a < block; a++) {
                code.addStatement("acc$L.intoArray(y, yOff + r0$L)", a, a == 0 ? "" : " + " + a + " * LANES");
            }
            code.endControlFlow();
        }
        code.beginControlFlow("for (; r0 + LANES <= $L; r0 += LANES)", rows);
        code.addStatement("$T acc = $T.zero(S)", vector, vector);
        code.beginControlFlow("for (int col = 0; col < $L; col++)", cols);
        code.addStatement("acc = $T.fromArray(S, w, col * $L + start + r0).fma($T.broadcast(S, x[xOff + col]), acc)", vector, stride, vector);
        code.endControlFlow();
        code.addStatement("acc.intoArray(y, yOff + r0)");
        code.endControlFlow();
        if (tanh) {
            code.add("// tanh of the rows the vectors wrote, in one pass, out of the accumulation loops\n");
            code.beginControlFlow("for (int r = 0; r < r0; r += LANES)");
            code.addStatement("$L($T.fromArray(S, y, yOff + r)).intoArray(y, yOff + r)", tanhFunction(), vector);
            code.endControlFlow();
        }
        // rows past the last whole vector: scalar, so that no masked vector op enters the method
        // (on JDK 17 one masked store can stop C2 from keeping the accumulators in registers)
        code.beginControlFlow("for (int r = r0; r < $L; r++)", rows);
        code.addStatement("$L acc = $L", w.realType(), w.real(0));
        code.beginControlFlow("for (int col = 0; col < $L; col++)", cols);
        code.addStatement("acc += w[col * $L + start + r] * x[xOff + col]", stride);
        code.endControlFlow();
        code.addStatement("y[yOff + r] = $L", tanh ? w.math(dev.unroll.processor.plan.MathFn.TANH, "acc") : "acc");
        code.endControlFlow();
        return MethodSpec.methodBuilder(name)
                .addJavadoc("{@code y[yOff + r] = $L(sum_col w[col * $L + start + r] * x[xOff + col])} for r in [0, $L), col in [0, $L):\n"
                        + "a matrix-vector product, the matrix stored transposed (row stride $L).\n", tanh ? "tanh" : "", stride, rows, cols, stride)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(arr, "w").addParameter(TypeName.INT, "start").addParameter(arr, "x").addParameter(TypeName.INT, "xOff")
                .addParameter(arr, "y").addParameter(TypeName.INT, "yOff")
                .addCode(code.build())
                .build();
    }

    // ------------------------------------------------------------------ GEMM

    /**
     * A GEMM over tokens is a call of the GEMM engine ({@link SimdGemm}) with the tokens as A's rows
     * and W's transposed, padded layout as a row-major B, then tanh over what it wrote.
     */
    /**
     * Below this many tokens a GEMM over compact weights runs one matrix-vector product per token:
     * widening every panel to F32 costs about what 12 tokens save (BF16, width 256, measured with
     * {@code StreamsBenchmark}: 1 stream 38 us per token through the engine, 10 us by product).
     */
    static final int COMPACT_GEMM_MIN_ROWS = 12;

    private void gemm(MacroOp.Gemm g, CodeBlock.Builder code, Scope scope) {
        int rowsValue = w.intValue(g.rows(), scope, "Gemm rows");
        String rows = w.write(g.rows(), scope);
        String ys = w.write(g.yStride(), scope);
        String tokens = w.write(g.tokens(), scope);
        if (g.format() != WeightFormat.F32) {
            // compact panels are widened one at a time into F32 and shared by every token's row
            compactFormats.add(g.format());
            String driver = engine.driver(new SimdGemm.Shape(w.write(g.cols(), scope), w.intValue(g.cols(), scope, "Gemm cols"),
                    w.write(g.xStride(), scope), null, ys, g.format()));
            code.add("// widening a whole matrix costs about $L tokens' products: fewer tokens run one product each\n", COMPACT_GEMM_MIN_ROWS);
            code.beginControlFlow("if ($L < $L)", tokens, COMPACT_GEMM_MIN_ROWS);
            compact.gemm(g, code, scope, true, false);
            code.nextControlFlow("else");
            code.add("// $L[t][r] = $L . $L[t] for t in [0, $L), r in [0, $L): the GEMM engine, W in $L panels\n", g.y(), g.w(), g.x(), tokens, rows,
                    g.format());
            code.addStatement("$L($L, 0, $L, $L, 0, 0, $L, 0, $L)", driver, g.x(),
                    g.format() == WeightFormat.BF16 ? g.w() : g.w() + ", " + dev.unroll.processor.plan.Param.scales(g.w()), g.y(), tokens, rows);
            code.endControlFlow();
        } else {
            String driver = engine.driver(new SimdGemm.Shape(w.write(g.cols(), scope), w.intValue(g.cols(), scope, "Gemm cols"),
                    w.write(g.xStride(), scope), strideText(g.rows(), pad16(rowsValue)), ys, WeightFormat.F32));
            code.add("// $L[t][r] = $L . $L[t] for t in [0, $L), r in [0, $L): the GEMM engine, W^T as a row-major B\n", g.y(), g.w(), g.x(), tokens, rows);
            code.addStatement("$L($L, 0, $L, 0, $L, 0, 0, $L, 0, $L)", driver, g.x(), g.w(), g.y(), tokens, rows);
        }
        if (g.tanh()) {
            code.add("// tanh of every result, in one pass after the products\n");
            code.beginControlFlow("for (int t = 0; t < $L; t++)", tokens);
            tanhRun(code, g.y(), "t * " + ys + " + r", rows);
            code.endControlFlow();
        }
    }

    /**
     * tanh in place over {@code count} elements: whole vectors, then scalar. Declares {@code r}, the
     * element counter {@code index} is written in.
     *
     * @param code where it goes
     * @param y the array
     * @param index an element's index in terms of {@code r}
     * @param count elements
     */
    private void tanhRun(CodeBlock.Builder code, String y, String index, String count) {
        code.addStatement("int r = 0");
        code.beginControlFlow("for (; r + LANES <= $L; r += LANES)", count);
        code.addStatement("$L($T.fromArray(S, $L, $L)).intoArray($L, $L)", tanhFunction(), vector, y, index, y, index);
        code.endControlFlow();
        code.beginControlFlow("for (; r < $L; r++)", count);
        code.addStatement("$L[$L] = $L", y, index, w.math(dev.unroll.processor.plan.MathFn.TANH, y + "[" + index + "]"));
        code.endControlFlow();
    }

    /** A GEMM {@code C = A B}: one call of the GEMM engine's driver for its shape, F32 or compact weights. */
    private void matMul(MacroOp.MatMul mm, CodeBlock.Builder code, Scope scope) {
        if (mm.format() != WeightFormat.F32) {
            compactFormats.add(mm.format());
        }
        // B's row stride: none for panels; a matrix-vector weight is transposed and padded in F32
        String ldb = mm.format() != WeightFormat.F32 || mm.layout() == MacroOp.Layout.WEIGHTS || mm.layout() == MacroOp.Layout.PANELS ? null
                : mm.layout() == MacroOp.Layout.MATVEC ? strideText(mm.ldb(), pad16(w.intValue(mm.ldb(), scope, "MatMul ldb")))
                : w.write(mm.ldb(), scope);
        String driver = engine.driver(new SimdGemm.Shape(w.write(mm.depth(), scope), w.intValue(mm.depth(), scope, "MatMul depth"),
                w.write(mm.lda(), scope), ldb, w.write(mm.ldc(), scope), mm.format()));
        String b = switch (mm.format()) {
            case F32 -> mm.b() + ", " + w.write(mm.bOff(), scope);
            case BF16 -> mm.b();
            case Q8, Q4 -> mm.b() + ", " + dev.unroll.processor.plan.Param.scales(mm.b());
        };
        code.addStatement("$L($L, $L, $L, $L, $L, $L, $L, $L, $L)", driver, mm.a(), w.write(mm.aOff(), scope), b, mm.c(), w.write(mm.cOff(), scope),
                w.write(mm.rowFrom(), scope), w.write(mm.rowTo(), scope), w.write(mm.colFrom(), scope), w.write(mm.colTo(), scope));
    }

    private void sigmoid(MacroOp.Sigmoid sg, CodeBlock.Builder code, Scope scope) {
        String count = w.write(sg.count(), scope);
        String s = w.write(sg.sOff(), scope);
        String d = w.write(sg.dOff(), scope);
        StmtWriter.open(code);
        code.addStatement("int e = 0");
        if (f32()) {
            code.beginControlFlow("for (; e + LANES <= $L; e += LANES)", count);
            code.addStatement("final $T xv = $T.fromArray(S, $L, $L)", vector, vector, sg.src(), ScalarLowering.offset(s, "e"));
            code.addStatement("final $T sv = $T.broadcast(S, $L).div($L(xv.neg()).add($L))", vector, vector, w.real(1), expVec(), w.real(1));
            if (sg.scale() == null) {
                code.addStatement("sv.intoArray($L, $L)", sg.dst(), ScalarLowering.offset(d, "e"));
            } else {
                code.addStatement("sv.fma($T.broadcast(S, $L), $T.broadcast(S, $L)).intoArray($L, $L)", vector, w.write(sg.scale(), scope), vector,
                        w.write(sg.shift(), scope), sg.dst(), ScalarLowering.offset(d, "e"));
            }
            code.endControlFlow();
        }
        code.beginControlFlow("for (; e < $L; e++)", count);
        String call = "sigmoid(" + sg.src() + "[" + ScalarLowering.offset(s, "e") + "])";
        code.addStatement("$L[$L] = $L", sg.dst(), ScalarLowering.offset(d, "e"),
                sg.scale() == null ? call : w.write(sg.shift(), scope) + " + " + w.write(sg.scale(), scope) + " * " + call);
        code.endControlFlow();
        StmtWriter.close(code);
    }

    private void exp(MacroOp.Exp ex, CodeBlock.Builder code, Scope scope) {
        String count = w.write(ex.count(), scope);
        String s = w.write(ex.sOff(), scope);
        String d = w.write(ex.dOff(), scope);
        StmtWriter.open(code);
        code.addStatement("int e = 0");
        if (f32()) {
            code.beginControlFlow("for (; e + LANES <= $L; e += LANES)", count);
            code.addStatement("$L($T.fromArray(S, $L, $L)$L).intoArray($L, $L)", expVec(), vector, ex.src(), ScalarLowering.offset(s, "e"),
                    ex.factor() == null ? "" : ".mul(" + w.write(ex.factor(), scope) + ")", ex.dst(), ScalarLowering.offset(d, "e"));
            code.endControlFlow();
        }
        code.beginControlFlow("for (; e < $L; e++)", count);
        String arg = ex.src() + "[" + ScalarLowering.offset(s, "e") + "]";
        code.addStatement("$L[$L] = $L", ex.dst(), ScalarLowering.offset(d, "e"),
                w.math(dev.unroll.processor.plan.MathFn.EXP, ex.factor() == null ? arg : w.write(ex.factor(), scope) + " * " + arg));
        code.endControlFlow();
        StmtWriter.close(code);
    }

    private void swiGlu(MacroOp.SwiGlu sg, CodeBlock.Builder code, Scope scope) {
        String count = w.write(sg.count(), scope);
        String g = w.write(sg.gOff(), scope);
        String u = w.write(sg.uOff(), scope);
        String d = w.write(sg.dOff(), scope);
        code.add("// $L = silu(gate) * up\n", sg.dst());
        StmtWriter.open(code);
        code.addStatement("int e = 0");
        // f64 stays scalar: a vector exp would be VectorOperators.EXP, whose bits depend on the JIT tier
        if (f32()) {
            code.beginControlFlow("for (; e + LANES <= $L; e += LANES)", count);
            code.addStatement("final $T gv = $T.fromArray(S, $L, $L)", vector, vector, sg.src(), ScalarLowering.offset(g, "e"));
            code.addStatement("final $T uv = $T.fromArray(S, $L, $L)", vector, vector, sg.src(), ScalarLowering.offset(u, "e"));
            code.addStatement("gv.div($L(gv.neg()).add($L)).mul(uv).intoArray($L, $L)", expVec(), w.real(1), sg.dst(), ScalarLowering.offset(d, "e"));
            code.endControlFlow();
        }
        code.beginControlFlow("for (; e < $L; e++)", count);
        code.addStatement("final $L gs = $L[$L]", w.realType(), sg.src(), ScalarLowering.offset(g, "e"));
        code.addStatement("$L[$L] = gs / ($L + $L) * $L[$L]", sg.dst(), ScalarLowering.offset(d, "e"), w.real(1), w.math(dev.unroll.processor.plan.MathFn.EXP, "-gs"),
                sg.src(), ScalarLowering.offset(u, "e"));
        code.endControlFlow();
        StmtWriter.close(code);
    }

    private void residualRmsNorm(MacroOp.ResidualRmsNorm rn, CodeBlock.Builder code, Scope scope) {
        String t = w.realType();
        String off = w.write(rn.off(), scope);
        String width = w.write(rn.width(), scope);
        code.add("// $L = rms_norm($L + $L) over one row\n", rn.h(), rn.h(), rn.delta());
        StmtWriter.open(code);
        code.addStatement("$T ssv = $T.zero(S)", vector, vector);
        code.addStatement("int e = 0");
        code.beginControlFlow("for (; e + LANES <= $L; e += LANES)", width);
        code.addStatement("final $T v = $T.fromArray(S, $L, $L).add($T.fromArray(S, $L, $L))", vector, vector, rn.h(), ScalarLowering.offset(off, "e"),
                vector, rn.delta(), ScalarLowering.offset(off, "e"));
        code.addStatement("v.intoArray($L, $L)", rn.h(), ScalarLowering.offset(off, "e"));
        code.addStatement("ssv = v.fma(v, ssv)");
        code.endControlFlow();
        code.addStatement("$L ss = ssv.reduceLanes($T.ADD)", t, OPERATORS);
        code.beginControlFlow("for (; e < $L; e++)", width);
        code.addStatement("final $L v = $L[$L] + $L[$L]", t, rn.h(), ScalarLowering.offset(off, "e"), rn.delta(), ScalarLowering.offset(off, "e"));
        code.addStatement("$L[$L] = v", rn.h(), ScalarLowering.offset(off, "e"));
        code.addStatement("ss += v * v");
        code.endControlFlow();
        code.addStatement("final $L inv = ($L) (1.0 / Math.sqrt(ss / $L + $L))", t, t, width, w.write(rn.eps(), scope));
        code.addStatement("e = 0");
        code.beginControlFlow("for (; e + LANES <= $L; e += LANES)", width);
        code.addStatement("$T.fromArray(S, $L, $L).mul(inv).intoArray($L, $L)", vector, rn.h(), ScalarLowering.offset(off, "e"), rn.h(), ScalarLowering.offset(off, "e"));
        code.endControlFlow();
        code.beginControlFlow("for (; e < $L; e++)", width);
        code.addStatement("$L[$L] *= inv", rn.h(), ScalarLowering.offset(off, "e"));
        code.endControlFlow();
        StmtWriter.close(code);
    }

    private void sum(MacroOp.Sum sum, CodeBlock.Builder code, Scope scope) {
        String from = w.write(sum.from(), scope);
        String to = w.write(sum.to(), scope);
        StmtWriter.open(code);
        code.addStatement("int e = $L", from);
        code.beginControlFlow("for (; e + LANES <= $L; e += LANES)", to);
        if (sum.z() == null) {
            code.addStatement("$T.fromArray(S, $L, e).add($T.fromArray(S, $L, e)).intoArray($L, e)", vector, sum.x(), vector, sum.y(), sum.out());
        } else {
            code.addStatement("$T.fromArray(S, $L, e).add($T.fromArray(S, $L, e)).add($T.fromArray(S, $L, e)).intoArray($L, e)", vector, sum.x(), vector,
                    sum.y(), vector, sum.z(), sum.out());
        }
        code.endControlFlow();
        code.beginControlFlow("for (; e < $L; e++)", to);
        if (sum.z() == null) {
            code.addStatement("$L[e] = $L[e] + $L[e]", sum.out(), sum.x(), sum.y());
        } else {
            code.addStatement("$L[e] = ($L[e] + $L[e]) + $L[e]", sum.out(), sum.x(), sum.y(), sum.z());
        }
        code.endControlFlow();
        StmtWriter.close(code);
    }

    /** Whole vectors (EXP is an SVML intrinsic on x86), then a scalar tail; sums in lane order. */
    private void softmax(MacroOp.Softmax sm, CodeBlock.Builder code, Scope scope) {
        String t = w.realType();
        String a = sm.a();
        String at = ScalarLowering.offset(w.write(sm.off(), scope), "t");
        code.add("// $L = softmax($L)\n", a, a);
        StmtWriter.open(code);
        code.addStatement("final int len = $L", w.write(sm.len(), scope));
        code.addStatement("final int bound = S.loopBound(len)");
        code.addStatement("$T mv = $T.broadcast(S, $L.NEGATIVE_INFINITY)", vector, vector, boxed());
        code.beginControlFlow("for (int t = 0; t < bound; t += LANES)");
        code.addStatement("mv = mv.max($T.fromArray(S, $L, $L))", vector, a, at);
        code.endControlFlow();
        code.addStatement("$L max = mv.reduceLanes($T.MAX)", t, OPERATORS);
        code.beginControlFlow("for (int t = bound; t < len; t++)");
        code.addStatement("max = Math.max(max, $L[$L])", a, at);
        code.endControlFlow();
        code.addStatement("$T sv = $T.zero(S)", vector, vector);
        code.beginControlFlow("for (int t = 0; t < bound; t += LANES)");
        if (f32()) {
            code.addStatement("final $T ev = $L($T.fromArray(S, $L, $L).sub(max))", vector, expVec(), vector, a, at);
            code.addStatement("ev.intoArray($L, $L)", a, at);
        } else {
            // f64: Math.exp lane by lane, bit-identical at every JIT tier (VectorOperators.EXP is not)
            String al = ScalarLowering.offset(w.write(sm.off(), scope), "l");
            code.beginControlFlow("for (int l = t; l < t + LANES; l++)")
                    .addStatement("$L[$L] = $L", a, al, w.math(dev.unroll.processor.plan.MathFn.EXP, a + "[" + al + "] - max"))
                    .endControlFlow();
            code.addStatement("final $T ev = $T.fromArray(S, $L, $L)", vector, vector, a, at);
        }
        code.addStatement("sv = sv.add(ev)");
        code.endControlFlow();
        code.addStatement("$L sum = sv.reduceLanes($T.ADD)", t, OPERATORS);
        code.beginControlFlow("for (int t = bound; t < len; t++)");
        code.addStatement("$L[$L] = $L", a, at, w.math(dev.unroll.processor.plan.MathFn.EXP, a + "[" + at + "] - max"));
        code.addStatement("sum += $L[$L]", a, at);
        code.endControlFlow();
        code.beginControlFlow("for (int t = 0; t < bound; t += LANES)");
        code.addStatement("$T.fromArray(S, $L, $L).div(sum).intoArray($L, $L)", vector, a, at, a, at);
        code.endControlFlow();
        code.beginControlFlow("for (int t = bound; t < len; t++)");
        code.addStatement("$L[$L] = $L[$L] / sum", a, at, a, at);
        code.endControlFlow();
        StmtWriter.close(code);
    }

    /** Whole vectors of columns, one fused multiply-add per row (rows written out up to the unroll limit). */
    private void vecMat(MacroOp.VecMat vm, CodeBlock.Builder code, Scope scope) {
        int depth = w.intValue(vm.depth(), scope, "VecMat depth");
        String stride = w.write(vm.stride(), scope);
        String mOff = w.write(vm.mOff(), scope);
        String xOff = w.write(vm.xOff(), scope);
        String ot = ScalarLowering.offset(w.write(vm.oOff(), scope), "t");
        String divisor = w.write(vm.divisor(), scope);
        code.add("// $L[$L..] = $L^T $L / $L\n", vm.out(), w.write(vm.oOff(), scope), vm.m(), vm.x(), divisor);
        StmtWriter.open(code);
        code.addStatement("final int len = $L", w.write(vm.len(), scope));
        code.addStatement("final int bound = S.loopBound(len)");
        code.beginControlFlow("for (int t = 0; t < bound; t += LANES)");
        code.addStatement("$T acc = $T.zero(S)", vector, vector);
        if (depth <= unrollLimit) {
            for (int e = 0; e < depth; e++) {
                String row = ScalarLowering.offset(mOff, e == 0 ? "0" : e == 1 ? stride : e + " * " + stride);
                code.addStatement("acc = $T.fromArray(S, $L, $L).fma($T.broadcast(S, $L[$L]), acc)", vector, vm.m(), ScalarLowering.offset(row, "t"),
                        vector, vm.x(), ScalarLowering.offset(xOff, Integer.toString(e)));
            }
        } else {
            code.beginControlFlow("for (int e = 0; e < $L; e++)", w.write(vm.depth(), scope));
            code.addStatement("acc = $T.fromArray(S, $L, $L).fma($T.broadcast(S, $L[$L]), acc)", vector, vm.m(),
                    ScalarLowering.offset(mOff, "e * " + stride + " + t"), vector, vm.x(), ScalarLowering.offset(xOff, "e"));
            code.endControlFlow();
        }
        code.addStatement("acc.div($L).intoArray($L, $L)", divisor, vm.out(), ot);
        code.endControlFlow();
        code.beginControlFlow("for (int t = bound; t < len; t++)");
        code.addStatement("$L acc = $L", w.realType(), w.real(0));
        code.beginControlFlow("for (int e = 0; e < $L; e++)", w.write(vm.depth(), scope));
        code.addStatement("acc += $L[$L] * $L[$L]", vm.x(), ScalarLowering.offset(xOff, "e"), vm.m(), ScalarLowering.offset(mOff, "e * " + stride + " + t"));
        code.endControlFlow();
        code.addStatement("$L[$L] = acc / $L", vm.out(), ot, divisor);
        code.endControlFlow();
        StmtWriter.close(code);
    }

    /** One vector accumulator per row over whole vectors of the length, then a scalar tail. */
    private void rowDots(MacroOp.RowDots rd, CodeBlock.Builder code, Scope scope) {
        String stride = w.write(rd.stride(), scope);
        String xt = ScalarLowering.offset(w.write(rd.xOff(), scope), "t");
        code.add("// $L[$L..] = $L $L\n", rd.out(), w.write(rd.oOff(), scope), rd.m(), rd.x());
        StmtWriter.open(code);
        code.addStatement("final int len = $L", w.write(rd.len(), scope));
        code.addStatement("final int bound = S.loopBound(len)");
        code.beginControlFlow("for (int e = 0; e < $L; e++)", w.write(rd.rows(), scope));
        code.addStatement("final int row = $L", ScalarLowering.offset(w.write(rd.mOff(), scope), "e * " + stride));
        code.addStatement("$T acc = $T.zero(S)", vector, vector);
        code.beginControlFlow("for (int t = 0; t < bound; t += LANES)");
        code.addStatement("acc = $T.fromArray(S, $L, row + t).fma($T.fromArray(S, $L, $L), acc)", vector, rd.m(), vector, rd.x(), xt);
        code.endControlFlow();
        code.addStatement("$L sum = acc.reduceLanes($T.ADD)", w.realType(), OPERATORS);
        code.beginControlFlow("for (int t = bound; t < len; t++)");
        code.addStatement("sum += $L[row + t] * $L[$L]", rd.m(), rd.x(), xt);
        code.endControlFlow();
        code.addStatement("$L[$L] = sum", rd.out(), ScalarLowering.offset(w.write(rd.oOff(), scope), "e"));
        code.endControlFlow();
        StmtWriter.close(code);
    }

    // ------------------------------------------------------------------ state rows

    /**
     * State rows use the preferred species only (whole vectors, then a scalar tail; narrower rows
     * run scalar). Mixing vector shapes in one JVM pollutes the type profiles inside the Vector API
     * and made unrelated kernels 10x slower in our measurements.
     */
    private String rowBound(int width) {
        rowWidths.add(width);
        return "ROW" + width;
    }

    /**
     * A row update is a call per row to a private method per shape and kind ({@code scaleRow8},
     * {@code addRow8}, {@code scaleAddRow8}), as matrix-vector products are: a head step with every
     * row's vector loop inline (8 rows, several updates) was a method C1 could not compile ("out of
     * virtual registers"), and HotSpot 17 then left it at tier 2, where every Vector API call runs
     * its Java fallback. That happened in most JVMs whose compile queue was busy when the kernel got
     * hot, as after a Flink restore: about 4x slower until the JVM ended.
     */
    private void rowUpdate(MacroOp.RowUpdate ru, CodeBlock.Builder code, Scope scope) {
        int rows = w.intValue(ru.rows(), scope, "RowUpdate rows");
        int cols = w.intValue(ru.cols(), scope, "RowUpdate cols");
        String name = (ru.scale() == null ? "addRow" : ru.coef() == null ? "scaleRow" : "scaleAddRow") + cols;
        if (!tiles.containsKey(name)) {
            tiles.put(name, rowUpdateMethod(name, ru, cols));
        }
        if (rows <= unrollLimit) {
            for (int i = 0; i < rows; i++) {
                code.addStatement("$L($L)", name, rowUpdateArguments(ru, scope.with(ru.rowVar(), i)));
            }
        } else {
            code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", ru.rowVar(), ru.rowVar(), w.write(ru.rows(), scope), ru.rowVar());
            code.addStatement("$L($L)", name, rowUpdateArguments(ru, scope));
            code.endControlFlow();
        }
    }

    /** {@code s, row[, scale][, coef, u, uOff]} of one row's call. */
    private String rowUpdateArguments(MacroOp.RowUpdate ru, Scope scope) {
        String row = ScalarLowering.offset(w.write(ru.sOff(), scope), w.write(Expr.mul(Expr.n(ru.rowVar()), ru.cols()), scope));
        StringBuilder a = new StringBuilder(ru.s()).append(", ").append(row);
        if (ru.scale() != null) {
            a.append(", ").append(w.write(ru.scale(), scope));
        }
        if (ru.coef() != null) {
            a.append(", ").append(w.write(ru.coef(), scope)).append(", ").append(ru.u()).append(", ").append(w.write(ru.uOff(), scope));
        }
        return a.toString();
    }

    /** One state row: whole vectors of the preferred species, then a scalar tail. */
    private MethodSpec rowUpdateMethod(String name, MacroOp.RowUpdate ru, int cols) {
        TypeName real = f32() ? TypeName.FLOAT : TypeName.DOUBLE;
        TypeName arr = ArrayTypeName.of(real);
        String sv = rowBound(cols);
        boolean scale = ru.scale() != null;
        boolean coef = ru.coef() != null;
        String vectorResult = scale && coef ? "$T.fromArray(S, u, uOff + j).fma($T.broadcast(S, coef), sv.mul(scale))"
                : scale ? "sv.mul(scale)" : "$T.fromArray(S, u, uOff + j).fma($T.broadcast(S, coef), sv)";
        String scalarResult = scale && coef ? "scale * s[row + j] + coef * u[uOff + j]" : scale ? "scale * s[row + j]" : "s[row + j] + coef * u[uOff + j]";
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int j = 0; j < $L_BOUND; j += LANES)", sv);
        code.addStatement("final $T sv = $T.fromArray(S, s, row + j)", vector, vector);
        code.addStatement("$L.intoArray(s, row + j)", coef ? CodeBlock.of(vectorResult, vector, vector) : CodeBlock.of(vectorResult));
        code.endControlFlow();
        code.beginControlFlow("for (int j = $L_BOUND; j < $L; j++)", sv, cols);
        code.addStatement("s[row + j] = $L", scalarResult);
        code.endControlFlow();
        MethodSpec.Builder m = MethodSpec.methodBuilder(name)
                .addJavadoc("{@code s[row + j] = $L} for j in [0, $L): one state row, whole vectors, then scalar.\n", scalarResult, cols)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(arr, "s").addParameter(TypeName.INT, "row");
        if (scale) {
            m.addParameter(real, "scale");
        }
        if (coef) {
            m.addParameter(real, "coef").addParameter(arr, "u").addParameter(TypeName.INT, "uOff");
        }
        return m.addCode(code.build()).build();
    }

    /** {@code out = S^T x} (or {@code out += weight * S^T x}): a call to a private method per shape, as row updates are. */
    private void transposeTimes(MacroOp.TransposeTimes tt, CodeBlock.Builder code, Scope scope) {
        int rows = w.intValue(tt.rows(), scope, "TransposeTimes rows");
        int cols = w.intValue(tt.cols(), scope, "TransposeTimes cols");
        String name = (tt.weight() == null ? "transposeTimes" : "addTransposeTimes") + rows + "x" + cols;
        if (!tiles.containsKey(name)) {
            tiles.put(name, transposeTimesMethod(name, tt, rows, cols, w.write(tt.rows(), scope), w.write(tt.cols(), scope)));
        }
        code.add("// $L[$L..] $L S^T $L\n", tt.out(), w.write(tt.oOff(), scope), tt.weight() == null ? "=" : "+= weight *", tt.x());
        code.addStatement("$L($L, $L, $L, $L, $L, $L$L)", name, tt.s(), w.write(tt.sOff(), scope), tt.x(), w.write(tt.xOff(), scope), tt.out(),
                w.write(tt.oOff(), scope), tt.weight() == null ? "" : ", " + w.write(tt.weight(), scope));
    }

    private MethodSpec transposeTimesMethod(String name, MacroOp.TransposeTimes tt, int rows, int cols, String rowsName, String colsName) {
        TypeName real = f32() ? TypeName.FLOAT : TypeName.DOUBLE;
        TypeName arr = ArrayTypeName.of(real);
        String sv = rowBound(cols);
        boolean weighted = tt.weight() != null;
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int j = 0; j < $L_BOUND; j += LANES)", sv);
        code.addStatement("$T acc = $T.zero(S)", vector, vector);
        if (rows <= unrollLimit) {
            for (int i = 0; i < rows; i++) {
                code.addStatement("acc = $T.fromArray(S, s, $L).fma($T.broadcast(S, x[$L]), acc)", vector,
                        ScalarLowering.offset(ScalarLowering.offset("sOff", ScalarLowering.rowOffset(i, colsName)), "j"), vector,
                        ScalarLowering.offset("xOff", Integer.toString(i)));
            }
        } else {
            code.beginControlFlow("for (int i = 0; i < $L; i++)", rowsName);
            code.addStatement("acc = $T.fromArray(S, s, sOff + i * $L + j).fma($T.broadcast(S, x[xOff + i]), acc)", vector, colsName, vector);
            code.endControlFlow();
        }
        if (weighted) {
            code.addStatement("$T.fromArray(S, out, oOff + j).add(acc.mul(weight)).intoArray(out, oOff + j)", vector);
        } else {
            code.addStatement("acc.intoArray(out, oOff + j)");
        }
        code.endControlFlow();
        code.beginControlFlow("for (int j = $L_BOUND; j < $L; j++)", sv, cols);
        code.addStatement("$L acc = $L", w.realType(), w.real(0));
        code.beginControlFlow("for (int i = 0; i < $L; i++)", rowsName);
        code.addStatement("acc += s[sOff + i * $L + j] * x[xOff + i]", colsName);
        code.endControlFlow();
        code.addStatement(weighted ? "out[oOff + j] += weight * acc" : "out[oOff + j] = acc");
        code.endControlFlow();
        MethodSpec.Builder m = MethodSpec.methodBuilder(name)
                .addJavadoc("{@code out[oOff + j] $L sum_i s[sOff + i * $L + j] * x[xOff + i]} for i in [0, $L), j in [0, $L):\n"
                        + "a state block's transpose times a vector, whole vectors of columns, then scalar.\n", weighted ? "+= weight *" : "=", colsName,
                        rowsName, cols)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(arr, "s").addParameter(TypeName.INT, "sOff").addParameter(arr, "x").addParameter(TypeName.INT, "xOff")
                .addParameter(arr, "out").addParameter(TypeName.INT, "oOff");
        if (weighted) {
            m.addParameter(real, "weight");
        }
        return m.addCode(code.build()).build();
    }

    private static final ClassName OPERATORS = ClassName.get(PACKAGE, "VectorOperators");

    /** @return the name of the tier-deterministic vector tanh for this precision */
    private String tanhFunction() {
        return f32() ? tanhVec() : tanhLanes();
    }

    /**
     * Registers and names {@code tanhLanes} for f64: {@code Math.tanh} lane by lane (StrictMath's, the
     * reference precision's function), since {@code VectorOperators.TANH} is tier-dependent.
     */
    private String tanhLanes() {
        if (!tiles.containsKey("tanhLanes")) {
            tiles.put("tanhLanes", MethodSpec.methodBuilder("tanhLanes")
                    .addJavadoc("{@code Math.tanh} of every lane: f64 keeps the scalar function, bit-identical at every JIT tier.\n\n"
                            + "@param x arguments\n@return tanh(x)\n")
                    .addModifiers(javax.lang.model.element.Modifier.PRIVATE, javax.lang.model.element.Modifier.STATIC)
                    .returns(vector).addParameter(vector, "x")
                    .addStatement("final double[] a = x.toArray()")
                    .beginControlFlow("for (int i = 0; i < a.length; i++)")
                    .addStatement("a[i] = Math.tanh(a[i])")
                    .endControlFlow()
                    .addStatement("return $T.fromArray(S, a, 0)", vector)
                    .build());
        }
        return "tanhLanes";
    }

    /**
     * Registers and names {@code tanhVec}: {@code tanh|x| = -m / (2 + m)} with {@code m = e^(-2|x|) - 1}
     * from expVec's reduction ({@code 2^n (1 + q) - 1} written as {@code 2^n q + (2^n - 1)}, exact in
     * its small-|x| limit), then x's sign copied in. A few ulps from {@code Math.tanh} and, like
     * {@link #expVec}, bit-identical at every JIT tier (unlike {@code VectorOperators.TANH}); no masks,
     * which slowed whole methods down.
     */
    private String tanhVec() {
        if (!tiles.containsKey("tanhVec")) {
            CodeBlock body = CodeBlock.builder()
                    .addStatement("final $T u = x.abs().mul(-2.0f).max(-87.0f)", vector)
                    .add(expReduction("u"))
                    .addStatement("final $T m = scale.fma(q, scale.sub(1.0f))", vector)
                    .addStatement("final $T th = m.neg().div(m.add(2.0f))", vector)
                    .addStatement("return th.reinterpretAsInts().lanewise($T.OR, x.reinterpretAsInts().lanewise($T.AND, 0x80000000)).reinterpretAsFloats()",
                            OPERATORS, OPERATORS)
                    .build();
            tiles.put("tanhVec", MethodSpec.methodBuilder("tanhVec")
                    .addJavadoc("tanh lane by lane, a few ulps from {@code Math.tanh}, bit-identical at every JIT tier (unlike\n"
                            + "{@code VectorOperators.TANH}).\n\n@param x arguments\n@return tanh(x)\n")
                    .addModifiers(javax.lang.model.element.Modifier.PRIVATE, javax.lang.model.element.Modifier.STATIC)
                    .returns(vector).addParameter(vector, "x").addCode(body).build());
        }
        return "tanhVec";
    }

    /**
     * Cephes' expf reduction of the f32 vector {@code arg}, shared by expVec and tanhVec: declares
     * {@code t} (arg / ln 2 + 1.5 * 2^23, whose low bits are n), {@code n}, {@code r = arg - n ln 2}
     * (Cody-Waite), {@code q = e^r - 1} (degree-6 polynomial) and {@code scale = 2^n} (exponent bits),
     * so that {@code e^arg = scale * (1 + q)}. Exact IEEE operations only.
     */
    private CodeBlock expReduction(String arg) {
        return CodeBlock.builder()
                .add("// round $L / ln 2 to the nearest integer n with the 1.5 * 2^23 trick; its low bits are n\n", arg)
                .addStatement("final $T t = $L.fma($T.broadcast(S, 1.44269504088896341f), $T.broadcast(S, 12582912.0f))", vector, arg, vector, vector)
                .addStatement("final $T n = t.sub(12582912.0f)", vector)
                .addStatement("final $T r = n.fma($T.broadcast(S, -0.693359375f), $L).add(n.mul(2.12194440e-4f))", vector, vector, arg)
                .addStatement("$T p = $T.broadcast(S, 1.9875691500e-4f)", vector, vector)
                .addStatement("p = p.fma(r, $T.broadcast(S, 1.3981999507e-3f))", vector)
                .addStatement("p = p.fma(r, $T.broadcast(S, 8.3334519073e-3f))", vector)
                .addStatement("p = p.fma(r, $T.broadcast(S, 4.1665795894e-2f))", vector)
                .addStatement("p = p.fma(r, $T.broadcast(S, 1.6666665459e-1f))", vector)
                .addStatement("p = p.fma(r, $T.broadcast(S, 5.0000001201e-1f))", vector)
                .add("// q = e^r - 1\n")
                .addStatement("final $T q = p.mul(r.mul(r)).add(r)", vector)
                .addStatement("final $T scale = t.reinterpretAsInts().sub(0x4B400000 - 127).lanewise($T.LSHL, 23).reinterpretAsFloats()",
                        ClassName.get(PACKAGE, "FloatVector"), OPERATORS)
                .build();
    }

    private boolean f32() {
        return w.realType().equals("float");
    }

    /**
     * Registers and names {@code expVec}: e^x in lane arithmetic only (Cephes' expf: round to nearest
     * n, Cody-Waite reduction, degree-6 polynomial, 2^n through the exponent bits), about 1 ulp from
     * {@code Math.exp}. {@code VectorOperators.EXP} is an SVML call once C2 compiles it and
     * {@code Math.exp} per lane before: its bits depend on the JIT tier, which made a stream's output
     * depend on what ran before. Arguments are clamped to [-87, 88] (no overflow, no subnormals).
     */
    private String expVec() {
        tiles.computeIfAbsent("expVec", k -> {
            CodeBlock body = CodeBlock.builder()
                    .addStatement("final $T xc = x.max(-87.0f).min(88.0f)", vector)
                    .add(expReduction("xc"))
                    .addStatement("final $T y = q.add(1.0f)", vector)
                    .addStatement("return y.mul(scale)")
                    .build();
            return MethodSpec.methodBuilder("expVec")
                    .addJavadoc("e^x lane by lane, about 1 ulp from {@code Math.exp}, bit-identical at every JIT tier (unlike\n"
                            + "{@code VectorOperators.EXP}); x is clamped to [-87, 88].\n\n@param x exponents\n@return e^x\n")
                    .addModifiers(javax.lang.model.element.Modifier.PRIVATE, javax.lang.model.element.Modifier.STATIC)
                    .returns(vector).addParameter(vector, "x").addCode(body).build();
        });
        return "expVec";
    }

    String boxed() {
        return w.realType().equals("float") ? "Float" : "Double";
    }
}
