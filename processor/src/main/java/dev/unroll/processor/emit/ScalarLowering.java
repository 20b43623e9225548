package dev.unroll.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.MacroOp;
import dev.unroll.processor.plan.MathFn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers macros to plain counted loops over row-major data, in the reference's order of
 * operations: dot products in four interleaved lanes combined as {@code (a0 + a2) + (a1 + a3)},
 * state reductions sequential. This flavour is TornadoVM-compatible and the f64 reference.
 */
final class ScalarLowering implements Lowering {
    private final ExprWriter w;
    private final int unrollLimit;
    private final boolean tornado;
    private final Map<String, MethodSpec> methods = new LinkedHashMap<>();
    private final CompactMatVec compact;
    private boolean task;

    /**
     * @param w expression writer
     * @param unrollLimit loops with at most this many iterations are unrolled
     * @param tornado whether to annotate the parallel loops of device tasks with {@code @Parallel}
     */
    ScalarLowering(ExprWriter w, int unrollLimit, boolean tornado) {
        this.w = w;
        this.unrollLimit = unrollLimit;
        this.tornado = tornado;
        this.compact = new CompactMatVec(w, methods);
    }

    @Override
    public List<MethodSpec> methods() {
        return List.copyOf(methods.values());
    }

    @Override
    public void inTask(boolean task) {
        this.task = task;
    }

    /** {@code @Parallel } before an independent loop's variable, in device tasks when TornadoVM is visible. */
    private CodeBlock parallel() {
        return tornado && task ? CodeBlock.of("@$T ", StmtWriter.PARALLEL) : CodeBlock.of("");
    }

    @Override
    public void lower(MacroOp op, CodeBlock.Builder code, Scope scope) {
        op.accept(new MacroOp.Visitor<Void>() {
            @Override
            public Void matVec(MacroOp.MatVec x) {
                ScalarLowering.this.matVec(x, code, scope);
                return null;
            }

            @Override
            public Void dot(MacroOp.Dot x) {
                ScalarLowering.this.dotInto(x, code, scope);
                return null;
            }

            @Override
            public Void rowUpdate(MacroOp.RowUpdate x) {
                ScalarLowering.this.rowUpdate(x, code, scope);
                return null;
            }

            @Override
            public Void transposeTimes(MacroOp.TransposeTimes x) {
                ScalarLowering.this.transposeTimes(x, code, scope);
                return null;
            }

            @Override
            public Void gemm(MacroOp.Gemm x) {
                ScalarLowering.this.gemm(x, code, scope);
                return null;
            }

            @Override
            public Void matMul(MacroOp.MatMul x) {
                ScalarLowering.this.matMul(x, code, scope);
                return null;
            }

            @Override
            public Void swiGlu(MacroOp.SwiGlu x) {
                ScalarLowering.this.swiGlu(x, code, scope);
                return null;
            }

            @Override
            public Void exp(MacroOp.Exp x) {
                ScalarLowering.this.exp(x, code, scope);
                return null;
            }

            @Override
            public Void sigmoid(MacroOp.Sigmoid x) {
                ScalarLowering.this.sigmoid(x, code, scope);
                return null;
            }

            @Override
            public Void residualRmsNorm(MacroOp.ResidualRmsNorm x) {
                ScalarLowering.this.residualRmsNorm(x, code, scope);
                return null;
            }

            @Override
            public Void sum(MacroOp.Sum x) {
                ScalarLowering.this.sum(x, code, scope);
                return null;
            }

            @Override
            public Void softmax(MacroOp.Softmax x) {
                ScalarLowering.this.softmax(x, code, scope);
                return null;
            }

            @Override
            public Void vecMat(MacroOp.VecMat x) {
                ScalarLowering.this.vecMat(x, code, scope);
                return null;
            }

            @Override
            public Void rowDots(MacroOp.RowDots x) {
                ScalarLowering.this.rowDots(x, code, scope);
                return null;
            }
        });
    }

    private void matVec(MacroOp.MatVec mv, CodeBlock.Builder code, Scope scope) {
        if (mv.format() != WeightFormat.F32) {
            compact.matVec(mv, code, scope, false);
            return;
        }
        String cols = w.write(mv.cols(), scope);
        String start = w.write(mv.rowStart(), scope);
        String rowBase = start.equals("0") ? "r * " + cols : "(" + start + " + r) * " + cols;
        if (mv.part()) {
            code.add("// $L[$L..+$L], rows [$L, $L) = $L . $L (4-lane dot products)\n", mv.y(), w.write(mv.yOff(), scope), w.write(mv.rows(), scope),
                    w.write(mv.partFrom(), scope), w.write(mv.partTo(), scope), mv.w(), mv.x());
            code.beginControlFlow("for ($Lint r = $L; r < $L; r++)", parallel(), w.write(mv.partFrom(), scope), w.write(mv.partTo(), scope));
        } else {
            code.add("// $L[$L..+$L] = $L . $L (4-lane dot products)\n", mv.y(), w.write(mv.yOff(), scope), w.write(mv.rows(), scope), mv.w(), mv.x());
            code.beginControlFlow("for ($Lint r = 0; r < $L; r++)", parallel(), w.write(mv.rows(), scope));
        }
        dot(code, mv.w(), rowBase, mv.x(), w.write(mv.xOff(), scope), w.intValue(mv.cols(), scope, "MatVec cols"), cols);
        code.addStatement("$L[$L] = $L", mv.y(), offset(w.write(mv.yOff(), scope), "r"), mv.tanh() ? w.math(MathFn.TANH, "acc") : "acc");
        code.endControlFlow();
    }

    private void gemm(MacroOp.Gemm g, CodeBlock.Builder code, Scope scope) {
        if (g.format() != WeightFormat.F32) {
            compact.gemm(g, code, scope, false);
            return;
        }
        String cols = w.write(g.cols(), scope);
        code.add("// $L[t][r] = $L . $L[t] for every token (4-lane dot products)\n", g.y(), g.w(), g.x());
        // perfectly nested: tokens x rows is a 2D ND-range under TornadoVM
        code.beginControlFlow("for ($Lint t = 0; t < $L; t++)", parallel(), w.write(g.tokens(), scope));
        code.beginControlFlow("for ($Lint r = 0; r < $L; r++)", parallel(), w.write(g.rows(), scope));
        code.addStatement("final int xt = t * $L", w.write(g.xStride(), scope));
        dot(code, g.w(), "r * " + cols, g.x(), "xt", w.intValue(g.cols(), scope, "Gemm cols"), cols);
        code.addStatement("$L[t * $L + r] = $L", g.y(), w.write(g.yStride(), scope), g.tanh() ? w.math(MathFn.TANH, "acc") : "acc");
        code.endControlFlow();
        code.endControlFlow();
    }

    /** Declares {@code d.result()} as one 4-lane dot product, its partial sums scoped in a block. */
    private void dotInto(MacroOp.Dot d, CodeBlock.Builder code, Scope scope) {
        String cols = w.write(d.cols(), scope);
        code.addStatement("final $L $L", w.realType(), d.result());
        StmtWriter.open(code);
        dot(code, d.w(), w.write(d.wOff(), scope), d.x(), w.write(d.xOff(), scope), w.intValue(d.cols(), scope, "Dot cols"), cols);
        code.addStatement("$L = acc", d.result());
        StmtWriter.close(code);
    }

    /** Declares {@code acc} = the reference's 4-lane dot of w[wRow..] and x[xOff..] over n columns. */
    private void dot(CodeBlock.Builder code, String wArr, String wRow, String x, String xOff, int n, String nName) {
        String t = w.realType();
        String zero = w.real(0);
        code.addStatement("final int wr = $L", wRow);
        code.addStatement("$L a0 = $L, a1 = $L, a2 = $L, a3 = $L", t, zero, zero, zero, zero);
        int n4 = n / 4 * 4;
        if (n4 > 0) {
            code.beginControlFlow("for (int col = 0; col < $L; col += 4)", n4 == n ? nName : Integer.toString(n4));
            for (int lane = 0; lane < 4; lane++) {
                code.addStatement("a$L += $L[wr + col$L] * $L[$L]", lane, wArr, lane == 0 ? "" : " + " + lane, x,
                        offset(xOff, lane == 0 ? "col" : "col + " + lane));
            }
            code.endControlFlow();
        }
        code.addStatement("$L acc = (a0 + a2) + (a1 + a3)", t);
        for (int c = n4; c < n; c++) {
            code.addStatement("acc += $L[wr + $L] * $L[$L]", wArr, c, x, offset(xOff, Integer.toString(c)));
        }
    }

    private void rowUpdate(MacroOp.RowUpdate ru, CodeBlock.Builder code, Scope scope) {
        int rows = w.intValue(ru.rows(), scope, "RowUpdate rows");
        int cols = w.intValue(ru.cols(), scope, "RowUpdate cols");
        String sOff = w.write(ru.sOff(), scope);
        if (rows <= unrollLimit) {
            for (int i = 0; i < rows; i++) {
                rowUpdateRow(ru, code, scope.with(ru.rowVar(), i), sOff, cols, true);
            }
        } else {
            code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", ru.rowVar(), ru.rowVar(), w.write(ru.rows(), scope), ru.rowVar());
            rowUpdateRow(ru, code, scope, sOff, cols, false);
            code.endControlFlow();
        }
    }

    private void rowUpdateRow(MacroOp.RowUpdate ru, CodeBlock.Builder code, Scope scope, String sOff, int cols, boolean block) {
        if (block) {
            StmtWriter.open(code);
        }
        String t = w.realType();
        if (ru.scale() != null) {
            code.addStatement("final $L scale = $L", t, w.write(ru.scale(), scope));
        }
        if (ru.coef() != null) {
            code.addStatement("final $L coef = $L", t, w.write(ru.coef(), scope));
        }
        code.addStatement("final int row = $L", offset(sOff, w.write(Expr.mul(Expr.n(ru.rowVar()), ru.cols()), scope)));
        String uOff = ru.u() == null ? null : w.write(ru.uOff(), scope);
        if (cols <= unrollLimit) {
            for (int j = 0; j < cols; j++) {
                rowElement(ru, code, offset("row", Integer.toString(j)), uOff == null ? null : offset(uOff, Integer.toString(j)));
            }
        } else {
            code.beginControlFlow("for (int j = 0; j < $L; j++)", w.write(ru.cols(), scope));
            rowElement(ru, code, "row + j", uOff == null ? null : offset(uOff, "j"));
            code.endControlFlow();
        }
        if (block) {
            StmtWriter.close(code);
        }
    }

    private void rowElement(MacroOp.RowUpdate ru, CodeBlock.Builder code, String at, String uAt) {
        String s = ru.s();
        if (ru.scale() != null && ru.coef() != null) {
            code.addStatement("$L[$L] = scale * $L[$L] + coef * $L[$L]", s, at, s, at, ru.u(), uAt);
        } else if (ru.scale() != null) {
            code.addStatement("$L[$L] = scale * $L[$L]", s, at, s, at);
        } else {
            code.addStatement("$L[$L] += coef * $L[$L]", s, at, ru.u(), uAt);
        }
    }

    private void transposeTimes(MacroOp.TransposeTimes tt, CodeBlock.Builder code, Scope scope) {
        int rows = w.intValue(tt.rows(), scope, "TransposeTimes rows");
        int cols = w.intValue(tt.cols(), scope, "TransposeTimes cols");
        String sOff = w.write(tt.sOff(), scope);
        String xOff = w.write(tt.xOff(), scope);
        String oOff = w.write(tt.oOff(), scope);
        String colsName = w.write(tt.cols(), scope);
        String rowsName = w.write(tt.rows(), scope);
        code.add("// $L[$L..] $L S^T $L (sequential over the key index)\n", tt.out(), oOff, tt.weight() == null ? "=" : "+= weight *", tt.x());
        StmtWriter.open(code);
        if (tt.weight() != null) {
            code.addStatement("final $L weight = $L", w.realType(), w.write(tt.weight(), scope));
        }
        if (cols <= unrollLimit) {
            for (int j = 0; j < cols; j++) {
                column(tt, code, rows, cols, rowsName, colsName, sOff, xOff, oOff, Integer.toString(j), true);
            }
        } else {
            code.beginControlFlow("for (int j = 0; j < $L; j++)", colsName);
            column(tt, code, rows, cols, rowsName, colsName, sOff, xOff, oOff, "j", false);
            code.endControlFlow();
        }
        StmtWriter.close(code);
    }

    private void column(MacroOp.TransposeTimes tt, CodeBlock.Builder code, int rows, int cols, String rowsName, String colsName, String sOff, String xOff,
            String oOff, String j, boolean block) {
        if (block) {
            StmtWriter.open(code);
        }
        code.addStatement("$L acc = $L", w.realType(), w.real(0));
        if (rows <= unrollLimit) {
            for (int i = 0; i < rows; i++) {
                code.addStatement("acc += $L[$L] * $L[$L]", tt.s(), offset(offset(sOff, rowOffset(i, colsName)), j), tt.x(),
                        offset(xOff, Integer.toString(i)));
            }
        } else {
            code.beginControlFlow("for (int i = 0; i < $L; i++)", rowsName);
            code.addStatement("acc += $L[$L] * $L[$L]", tt.s(), offset(sOff, "i * " + colsName + " + " + j), tt.x(), offset(xOff, "i"));
            code.endControlFlow();
        }
        if (tt.weight() == null) {
            code.addStatement("$L[$L] = acc", tt.out(), offset(oOff, j));
        } else {
            code.addStatement("$L[$L] += weight * acc", tt.out(), offset(oOff, j));
        }
        if (block) {
            StmtWriter.close(code);
        }
    }

    /**
     * Row by row, accumulating {@code a[i][p] * b[p][:]} into the output row: B is read along its
     * rows (contiguous), each output still sums over p in order, and C2 can vectorise the inner
     * loop (it has no reduction).
     */
    private void matMul(MacroOp.MatMul mm, CodeBlock.Builder code, Scope scope) {
        if (mm.format() != WeightFormat.F32) {
            compact.matMul(mm, code, scope, false);
            return;
        }
        if (mm.layout() == MacroOp.Layout.MATVEC || mm.layout() == MacroOp.Layout.PANELS) {
            matMulRows(mm, code, scope);
            return;
        }
        String c0 = w.write(mm.colFrom(), scope);
        String c1 = w.write(mm.colTo(), scope);
        String cRow = offset(w.write(mm.cOff(), scope), "i * " + w.write(mm.ldc(), scope));
        code.add("// $L[i][j] = $L[i][:] . $L[:][j] for rows [$L, $L), columns [$L, $L)\n", mm.c(), mm.a(), mm.b(),
                w.write(mm.rowFrom(), scope), w.write(mm.rowTo(), scope), c0, c1);
        code.beginControlFlow("for (int i = $L; i < $L; i++)", w.write(mm.rowFrom(), scope), w.write(mm.rowTo(), scope));
        code.addStatement("final int ci = $L", cRow);
        code.beginControlFlow("for (int j = $L; j < $L; j++)", c0, c1);
        code.addStatement("$L[ci + j] = $L", mm.c(), w.real(0));
        code.endControlFlow();
        code.beginControlFlow("for (int p = 0; p < $L; p++)", w.write(mm.depth(), scope));
        code.addStatement("final $L a = $L[$L]", w.realType(), mm.a(), offset(w.write(mm.aOff(), scope), "i * " + w.write(mm.lda(), scope) + " + p"));
        code.addStatement("final int bp = $L", offset(w.write(mm.bOff(), scope), "p * " + w.write(mm.ldb(), scope)));
        code.beginControlFlow("for (int j = $L; j < $L; j++)", c0, c1);
        code.addStatement("$L[ci + j] += a * $L[bp + j]", mm.c(), mm.b());
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
    }

    /**
     * A GEMM over a matrix-vector weight ({@code W [ldb][depth]} row-major): each element is the dot
     * product {@link #matVec} computes, in its 4-lane order, so a block of tokens gets the bits one
     * token at a time gets.
     */
    private void matMulRows(MacroOp.MatMul mm, CodeBlock.Builder code, Scope scope) {
        String depth = w.write(mm.depth(), scope);
        code.add("// $L[i][n] = $L[i][:] . $L[n][:] for rows [$L, $L), columns [$L, $L) (4-lane dot products)\n", mm.c(), mm.a(), mm.b(),
                w.write(mm.rowFrom(), scope), w.write(mm.rowTo(), scope), w.write(mm.colFrom(), scope), w.write(mm.colTo(), scope));
        code.beginControlFlow("for (int i = $L; i < $L; i++)", w.write(mm.rowFrom(), scope), w.write(mm.rowTo(), scope));
        code.addStatement("final int ai = $L", offset(w.write(mm.aOff(), scope), "i * " + w.write(mm.lda(), scope)));
        code.addStatement("final int ci = $L", offset(w.write(mm.cOff(), scope), "i * " + w.write(mm.ldc(), scope)));
        code.beginControlFlow("for (int n = $L; n < $L; n++)", w.write(mm.colFrom(), scope), w.write(mm.colTo(), scope));
        dot(code, mm.b(), "n * " + depth, mm.a(), "ai", w.intValue(mm.depth(), scope, "MatMul depth"), depth);
        code.addStatement("$L[ci + n] = acc", mm.c());
        code.endControlFlow();
        code.endControlFlow();
    }

    private void sigmoid(MacroOp.Sigmoid sg, CodeBlock.Builder code, Scope scope) {
        code.beginControlFlow("for (int e = 0; e < $L; e++)", w.write(sg.count(), scope));
        String call = "sigmoid(" + sg.src() + "[" + offset(w.write(sg.sOff(), scope), "e") + "])";
        String value = sg.scale() == null ? call : w.write(sg.shift(), scope) + " + " + w.write(sg.scale(), scope) + " * " + call;
        code.addStatement("$L[$L] = $L", sg.dst(), offset(w.write(sg.dOff(), scope), "e"), value);
        code.endControlFlow();
    }

    private void exp(MacroOp.Exp ex, CodeBlock.Builder code, Scope scope) {
        code.beginControlFlow("for (int e = 0; e < $L; e++)", w.write(ex.count(), scope));
        String arg = ex.src() + "[" + offset(w.write(ex.sOff(), scope), "e") + "]";
        code.addStatement("$L[$L] = $L", ex.dst(), offset(w.write(ex.dOff(), scope), "e"),
                w.math(MathFn.EXP, ex.factor() == null ? arg : w.write(ex.factor(), scope) + " * " + arg));
        code.endControlFlow();
    }

    private void swiGlu(MacroOp.SwiGlu sg, CodeBlock.Builder code, Scope scope) {
        code.add("// $L = silu(gate) * up\n", sg.dst());
        code.beginControlFlow("for (int e = 0; e < $L; e++)", w.write(sg.count(), scope));
        code.addStatement("final $L g = $L[$L]", w.realType(), sg.src(), offset(w.write(sg.gOff(), scope), "e"));
        code.addStatement("$L[$L] = g / ($L + $L) * $L[$L]", sg.dst(), offset(w.write(sg.dOff(), scope), "e"), w.real(1), w.math(MathFn.EXP, "-g"),
                sg.src(), offset(w.write(sg.uOff(), scope), "e"));
        code.endControlFlow();
    }

    private void residualRmsNorm(MacroOp.ResidualRmsNorm rn, CodeBlock.Builder code, Scope scope) {
        String t = w.realType();
        String off = w.write(rn.off(), scope);
        String width = w.write(rn.width(), scope);
        code.add("// $L = rms_norm($L + $L) over one row\n", rn.h(), rn.h(), rn.delta());
        StmtWriter.open(code);
        code.addStatement("$L ss = $L", t, w.real(0));
        code.beginControlFlow("for (int e = 0; e < $L; e++)", width);
        code.addStatement("final $L v = $L[$L] + $L[$L]", t, rn.h(), offset(off, "e"), rn.delta(), offset(off, "e"));
        code.addStatement("$L[$L] = v", rn.h(), offset(off, "e"));
        code.addStatement("ss += v * v");
        code.endControlFlow();
        code.addStatement("final $L inv = ($L) (1.0 / Math.sqrt(ss / $L + $L))", t, t, width, w.write(rn.eps(), scope));
        code.beginControlFlow("for (int e = 0; e < $L; e++)", width);
        code.addStatement("$L[$L] *= inv", rn.h(), offset(off, "e"));
        code.endControlFlow();
        StmtWriter.close(code);
    }

    private void sum(MacroOp.Sum sum, CodeBlock.Builder code, Scope scope) {
        code.beginControlFlow("for (int e = $L; e < $L; e++)", w.write(sum.from(), scope), w.write(sum.to(), scope));
        if (sum.z() == null) {
            code.addStatement("$L[e] = $L[e] + $L[e]", sum.out(), sum.x(), sum.y());
        } else {
            code.addStatement("$L[e] = ($L[e] + $L[e]) + $L[e]", sum.out(), sum.x(), sum.y(), sum.z());
        }
        code.endControlFlow();
    }

    private void softmax(MacroOp.Softmax sm, CodeBlock.Builder code, Scope scope) {
        String t = w.realType();
        String at = offset(w.write(sm.off(), scope), "t");
        code.add("// $L = softmax($L)\n", sm.a(), sm.a());
        StmtWriter.open(code);
        code.addStatement("final int len = $L", w.write(sm.len(), scope));
        code.addStatement("$L max = $L.NEGATIVE_INFINITY", t, boxed(t));
        code.beginControlFlow("for (int t = 0; t < len; t++)");
        code.addStatement("max = Math.max(max, $L[$L])", sm.a(), at);
        code.endControlFlow();
        code.addStatement("$L sum = $L", t, w.real(0));
        code.beginControlFlow("for (int t = 0; t < len; t++)");
        code.addStatement("$L[$L] = $L", sm.a(), at, w.math(MathFn.EXP, sm.a() + "[" + at + "] - max"));
        code.addStatement("sum += $L[$L]", sm.a(), at);
        code.endControlFlow();
        code.beginControlFlow("for (int t = 0; t < len; t++)");
        code.addStatement("$L[$L] = $L[$L] / sum", sm.a(), at, sm.a(), at);
        code.endControlFlow();
        StmtWriter.close(code);
    }

    /** Column-wise accumulation: the inner loop runs along a row (contiguous; C2 vectorises it). */
    private void vecMat(MacroOp.VecMat vm, CodeBlock.Builder code, Scope scope) {
        String ot = offset(w.write(vm.oOff(), scope), "t");
        String stride = w.write(vm.stride(), scope);
        code.add("// $L[$L..] = $L^T $L / $L\n", vm.out(), w.write(vm.oOff(), scope), vm.m(), vm.x(), w.write(vm.divisor(), scope));
        StmtWriter.open(code);
        code.addStatement("final int len = $L", w.write(vm.len(), scope));
        code.beginControlFlow("for (int t = 0; t < len; t++)");
        code.addStatement("$L[$L] = $L", vm.out(), ot, w.real(0));
        code.endControlFlow();
        code.beginControlFlow("for (int e = 0; e < $L; e++)", w.write(vm.depth(), scope));
        code.addStatement("final $L xe = $L[$L]", w.realType(), vm.x(), offset(w.write(vm.xOff(), scope), "e"));
        code.addStatement("final int row = $L", offset(w.write(vm.mOff(), scope), "e * " + stride));
        code.beginControlFlow("for (int t = 0; t < len; t++)");
        code.addStatement("$L[$L] += xe * $L[row + t]", vm.out(), ot, vm.m());
        code.endControlFlow();
        code.endControlFlow();
        code.beginControlFlow("for (int t = 0; t < len; t++)");
        code.addStatement("$L[$L] = $L[$L] / $L", vm.out(), ot, vm.out(), ot, w.write(vm.divisor(), scope));
        code.endControlFlow();
        StmtWriter.close(code);
    }

    private void rowDots(MacroOp.RowDots rd, CodeBlock.Builder code, Scope scope) {
        String stride = w.write(rd.stride(), scope);
        code.add("// $L[$L..] = $L $L\n", rd.out(), w.write(rd.oOff(), scope), rd.m(), rd.x());
        StmtWriter.open(code);
        code.addStatement("final int len = $L", w.write(rd.len(), scope));
        code.beginControlFlow("for (int e = 0; e < $L; e++)", w.write(rd.rows(), scope));
        code.addStatement("final int row = $L", offset(w.write(rd.mOff(), scope), "e * " + stride));
        code.addStatement("$L acc = $L", w.realType(), w.real(0));
        code.beginControlFlow("for (int t = 0; t < len; t++)");
        code.addStatement("acc += $L[row + t] * $L[$L]", rd.m(), rd.x(), offset(w.write(rd.xOff(), scope), "t"));
        code.endControlFlow();
        code.addStatement("$L[$L] = acc", rd.out(), offset(w.write(rd.oOff(), scope), "e"));
        code.endControlFlow();
        StmtWriter.close(code);
    }

    static String boxed(String realType) {
        return realType.equals("float") ? "Float" : "Double";
    }

    /** @return the offset of row i: {@code 0}, {@code V}, {@code 2 * V}, ... */
    static String rowOffset(int i, String colsName) {
        return i == 0 ? "0" : i == 1 ? colsName : i + " * " + colsName;
    }

    /** {@code base + rest}, dropping a zero base or a zero rest. */
    static String offset(String base, String rest) {
        if (base.equals("0")) {
            return rest;
        }
        if (rest.equals("0")) {
            return base;
        }
        return base + " + " + rest;
    }
}
