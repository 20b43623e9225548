package dev.unroll.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unroll.annotations.WeightFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The SIMD flavour's GEMM engine, {@code C = A B} with register tiles in the manner of BLIS: a tile
 * of {@code MR x NV} vector accumulators ({@code 6 x 4} when vectors are 512 bits wide and there
 * are 32 vector registers, else {@code 6 x 2}) streams the whole reduction, one vector load of B
 * per column vector and one broadcast of A per row each step, so the FMA units rather than the
 * loads set the pace. Per GEMM shape (depth, strides, B's layout) it emits, as private static
 * methods:
 * <ul>
 *   <li>a driver {@code gemmN(a, aOff, b, bOff, c, cOff, r0, r1, n0, n1)} that walks the columns in
 *       blocks of 64 (one weight panel), each block in whole tiles, then single vectors, then
 *       scalar columns;</li>
 *   <li>row walkers {@code gemmNRows4|2|1}: tiles of 6 rows, then single rows;</li>
 *   <li>the tiles {@code gemmNTile6x4 .. gemmNTile1x1}, each a short method over the whole depth
 *       (HotSpot compiles many short calls well; a long inline loop got stuck in on-stack code).</li>
 * </ul>
 * B is either row-major activations or weights in 64-row panels of {@code W = B^T}, so that a tile
 * reads its B vectors at unit stride from one contiguous panel; panels of compact weights are
 * first widened into a per-thread F32 panel (once per 64 columns, shared by every row of A). A
 * needs no packing: a tile's six rows stay in L1 while it streams.
 */
final class SimdGemm {
    /** Columns per weight panel (as {@code PackedMatrix.PANEL}). */
    static final int PANEL = 64;
    /** Rows of A per full tile. */
    private static final int MR = 6;
    private static final ClassName FLOAT_VECTOR = ClassName.get(SimdLowering.PACKAGE, "FloatVector");
    private static final ClassName INT_VECTOR = ClassName.get(SimdLowering.PACKAGE, "IntVector");
    private static final ClassName BYTE_VECTOR = ClassName.get(SimdLowering.PACKAGE, "ByteVector");
    private static final ClassName OPERATORS = ClassName.get(SimdLowering.PACKAGE, "VectorOperators");

    private final ExprWriter w;
    private final Map<String, MethodSpec> methods;
    private final ClassName vector;
    private final Map<String, String> ids = new LinkedHashMap<>();
    private int scratchFloats;

    /**
     * @param w the expression writer
     * @param methods where the generated methods go (first use wins)
     * @param vector the vector class of the plan's precision
     */
    SimdGemm(ExprWriter w, Map<String, MethodSpec> methods, ClassName vector) {
        this.w = w;
        this.methods = methods;
        this.vector = vector;
    }

    /**
     * One GEMM shape, as the code writes its constants.
     *
     * @param depth the reduction length
     * @param depthValue its value
     * @param lda A's row stride
     * @param ldb B's row stride (row-major B), or null for panels
     * @param ldc C's row stride
     * @param format B's format (compact formats are panels)
     */
    record Shape(String depth, int depthValue, String lda, String ldb, String ldc, WeightFormat format) {
        boolean panels() {
            return ldb == null;
        }

        /** The distance between B's consecutive rows as the tiles step through the depth. */
        String bStep() {
            return panels() ? Integer.toString(PANEL) : ldb;
        }

        String key() {
            return String.join(",", depth, lda, panels() ? "panels" : ldb, ldc, format.name());
        }

        /** The key of the tiles: compact panels share the F32 panel tiles once widened. */
        String tileKey() {
            return String.join(",", depth, lda, panels() ? "panels" : ldb, ldc);
        }
    }

    /** @return whether any GEMM was emitted (the class then needs {@code WIDE}) */
    boolean used() {
        return !ids.isEmpty();
    }

    /** @return floats of the largest per-thread widened panel, 0 when no compact GEMM runs */
    int scratchFloats() {
        return scratchFloats;
    }

    /**
     * Registers a shape's methods and returns the driver's name.
     *
     * @param s the shape
     * @return the driver, {@code gemmN}
     */
    String driver(Shape s) {
        String existing = ids.get(s.key());
        if (existing != null) {
            return existing;
        }
        String id = "gemm" + (ids.size() + 1);
        ids.put(s.key(), id);
        String tileId = tileId(s, id);
        if (s.format() != WeightFormat.F32) {
            scratchFloats = Math.max(scratchFloats, s.depthValue() * PANEL);
            methods.put(id + "Widen", widen(id, s));
        }
        methods.put(id, driverMethod(id, tileId, s));
        return id;
    }

    private final Map<String, String> tileIds = new LinkedHashMap<>();

    /**
     * The tiles of a shape, emitted once and named after the first driver that needs them (F32 and
     * compact shapes of one geometry share them).
     */
    private String tileId(Shape s, String driver) {
        String id = tileIds.get(s.tileKey());
        if (id != null) {
            return id;
        }
        id = driver;
        tileIds.put(s.tileKey(), id);
        for (int nv : new int[] {4, 2, 1}) {
            methods.put(id + "Rows" + nv, rowsMethod(id, s, nv));
            methods.put(id + "Tile" + MR + "x" + nv, tileMethod(id, s, MR, nv));
            for (int mr = 1; mr < (nv > 1 ? MR : 2); mr++) {
                methods.put(id + "Tile" + mr + "x" + nv, tileMethod(id, s, mr, nv));
            }
        }
        methods.put(id + "Column", columnMethod(id, s));
        return id;
    }

    private TypeName realArray() {
        return ArrayTypeName.of(w.realType().equals("float") ? TypeName.FLOAT : TypeName.DOUBLE);
    }

    /** {@code k * x}, parenthesising a compound x. */
    private static String times(int k, String x) {
        String px = x.matches("[A-Za-z0-9_]+|\\d+ \\* [A-Za-z0-9_]+") ? x : "(" + x + ")";
        return k == 0 ? "0" : k == 1 ? px : k + " * " + px;
    }

    private static String plus(String base, String term) {
        return term.equals("0") ? base : base + " + " + term;
    }

    /** {@code v * LANES} as an offset. */
    private static String lanes(int v) {
        return v == 0 ? "0" : v == 1 ? "LANES" : v + " * LANES";
    }

    private MethodSpec.Builder operands(String name) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(realArray(), "a").addParameter(TypeName.INT, "aOff")
                .addParameter(realArray(), "b").addParameter(TypeName.INT, "bOff")
                .addParameter(realArray(), "c").addParameter(TypeName.INT, "cOff");
    }

    /** {@code MR x NV} accumulators over the whole depth; A's rows {@code lda} apart from aOff, C's {@code ldc} apart from cOff. */
    private MethodSpec tileMethod(String id, Shape s, int mr, int nv) {
        CodeBlock.Builder b = CodeBlock.builder();
        for (int r = 0; r < mr; r++) {
            for (int v = 0; v < nv; v++) {
                b.addStatement("$T c$L$L = $T.zero(S)", vector, r, v, vector);
            }
        }
        b.beginControlFlow("for (int p = 0; p < $L; p++)", s.depth());
        b.addStatement("final int bp = bOff + p * $L", times(1, s.bStep()));
        for (int v = 0; v < nv; v++) {
            b.addStatement("final $T b$L = $T.fromArray(S, b, $L)", vector, v, vector, plus("bp", lanes(v)));
        }
        for (int r = 0; r < mr; r++) {
            b.addStatement("final $T a$L = $T.broadcast(S, a[$L])", vector, r, vector, plus("aOff", times(r, s.lda())) + " + p");
            for (int v = 0; v < nv; v++) {
                b.addStatement("c$L$L = b$L.fma(a$L, c$L$L)", r, v, v, r, r, v);
            }
        }
        b.endControlFlow();
        for (int r = 0; r < mr; r++) {
            for (int v = 0; v < nv; v++) {
                b.addStatement("c$L$L.intoArray(c, $L)", r, v, plus(plus("cOff", times(r, s.ldc())), lanes(v)));
            }
        }
        return operands(id + "Tile" + mr + "x" + nv)
                .addJavadoc("Register tile: $L row$L of A times $L vector$L of B's columns, over the whole depth ($L).\n", mr, mr > 1 ? "s" : "", nv,
                        nv > 1 ? "s" : "", s.depth())
                .addCode(b.build()).build();
    }

    /**
     * Rows [r0, r1) against NV vectors of columns: tiles of MR rows, then one tile of the rows left
     * (several vectors) or single rows (one vector). One tile of the rest reads B once where single
     * rows read it once each, and keeps more FMA chains in flight; every output is still one chain
     * over the depth, so the bits do not depend on the tile.
     */
    private MethodSpec rowsMethod(String id, Shape s, int nv) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("int i = r0");
        b.beginControlFlow("for (; i + $L <= r1; i += $L)", MR, MR);
        b.addStatement("$LTile$Lx$L(a, aOff + i * $L, b, bOff, c, cOff + i * $L)", id, MR, nv, times(1, s.lda()), times(1, s.ldc()));
        b.endControlFlow();
        if (nv > 1) {
            b.addStatement("final int rest = r1 - i");
            for (int mr = MR - 1; mr >= 1; mr--) {
                if (mr == MR - 1) {
                    b.beginControlFlow("if (rest == $L)", mr);
                } else {
                    b.nextControlFlow("else if (rest == $L)", mr);
                }
                b.addStatement("$LTile$Lx$L(a, aOff + i * $L, b, bOff, c, cOff + i * $L)", id, mr, nv, times(1, s.lda()), times(1, s.ldc()));
            }
            b.endControlFlow();
        } else {
            b.beginControlFlow("for (; i < r1; i++)");
            b.addStatement("$LTile1x$L(a, aOff + i * $L, b, bOff, c, cOff + i * $L)", id, nv, times(1, s.lda()), times(1, s.ldc()));
            b.endControlFlow();
        }
        return operands(id + "Rows" + nv).addParameter(TypeName.INT, "r0").addParameter(TypeName.INT, "r1")
                .addJavadoc("Rows [r0, r1) of C against $L vector$L of columns from bOff / cOff: tiles of $L rows, then $L.\n", nv,
                        nv > 1 ? "s" : "", MR, nv > 1 ? "one tile of the rows left" : "single rows")
                .addCode(b.build()).build();
    }

    /** One column of C over rows [r0, r1), scalar: the columns no whole vector covers. */
    private MethodSpec columnMethod(String id, Shape s) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int i = r0; i < r1; i++)");
        b.addStatement("final int ai = aOff + i * $L", times(1, s.lda()));
        b.addStatement("$L acc = $L", w.realType(), w.real(0));
        b.beginControlFlow("for (int p = 0; p < $L; p++)", s.depth());
        b.addStatement("acc += a[ai + p] * b[bOff + p * $L]", times(1, s.bStep()));
        b.endControlFlow();
        b.addStatement("c[cOff + i * $L] = acc", times(1, s.ldc()));
        b.endControlFlow();
        return operands(id + "Column").addParameter(TypeName.INT, "r0").addParameter(TypeName.INT, "r1")
                .addJavadoc("One column of C (B's at bOff, C's at cOff) over rows [r0, r1), scalar.\n")
                .addCode(b.build()).build();
    }

    /**
     * The driver: columns [n0, n1) in blocks that end at multiples of 64 (a panel's edge), each in
     * whole tiles ({@code WIDE}: 4 vectors, else 2), single vectors, then scalar columns.
     */
    private MethodSpec driverMethod(String id, String tiles, Shape s) {
        boolean compact = s.format() != WeightFormat.F32;
        CodeBlock.Builder b = CodeBlock.builder();
        if (compact) {
            b.addStatement("final $L[] panel = GEMM_PANEL.get()", w.realType());
        }
        b.beginControlFlow("for (int j = n0; j < n1;)");
        b.addStatement("final int end = Math.min(n1, (j / $L + 1) * $L)", PANEL, PANEL);
        String bArray = "b";
        if (compact) {
            b.addStatement("$LWiden($L, j / $L, panel)", id, s.format() == WeightFormat.BF16 ? "w" : "w, scales", PANEL);
            b.addStatement("final int bj = j % $L", PANEL);
            bArray = "panel";
        } else if (s.panels()) {
            b.add("// column j of B is row j of W: panel j / $L, lane j % $L\n", PANEL, PANEL);
            b.addStatement("final int bj = bOff + j / $L * ($L * $L) + j % $L", PANEL, PANEL, times(1, s.depth()), PANEL);
        } else {
            b.addStatement("final int bj = bOff + j");
        }
        b.addStatement("int jj = j");
        b.beginControlFlow("if (WIDE)");
        walk(b, tiles, bArray, 4);
        b.nextControlFlow("else");
        walk(b, tiles, bArray, 2);
        b.endControlFlow();
        walk(b, tiles, bArray, 1);
        b.beginControlFlow("for (; jj < end; jj++)");
        b.addStatement("$LColumn(a, aOff, $L, bj + jj - j, c, cOff + jj, r0, r1)", tiles, bArray);
        b.endControlFlow();
        b.addStatement("j = end");
        b.endControlFlow();
        MethodSpec.Builder m = MethodSpec.methodBuilder(id).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(realArray(), "a").addParameter(TypeName.INT, "aOff");
        if (s.format() == WeightFormat.BF16) {
            m.addParameter(ArrayTypeName.of(TypeName.INT), "w");
        } else if (s.format() == WeightFormat.Q8 || s.format() == WeightFormat.Q4) {
            m.addParameter(ArrayTypeName.of(TypeName.BYTE), "w").addParameter(realArray(), "scales");
        } else {
            m.addParameter(realArray(), "b").addParameter(TypeName.INT, "bOff");
        }
        String layout = compact ? "W = B^T in " + s.format() + " panels of 64 rows, widened one panel at a time"
                : s.panels() ? "W = B^T in F32 panels of 64 rows" : "B row-major, row stride " + s.ldb();
        return m.addParameter(realArray(), "c").addParameter(TypeName.INT, "cOff")
                .addParameter(TypeName.INT, "r0").addParameter(TypeName.INT, "r1").addParameter(TypeName.INT, "n0").addParameter(TypeName.INT, "n1")
                .addJavadoc("{@code C[i][n] = sum_p A[i][p] * B[p][n]} for i in [r0, r1), n in [n0, n1), p in [0, $L): A row-major (stride $L),\n"
                        + "$L, C row-major (stride $L). Register tiles of 6 rows x $L columns.\n",
                        s.depth(), s.lda(), layout, s.ldc(), "(WIDE ? 4 : 2) * LANES")
                .addCode(b.build()).build();
    }

    /** The driver's loop over one tile width: whole groups of {@code nv} vectors within the block. */
    private static void walk(CodeBlock.Builder b, String tiles, String bArray, int nv) {
        b.beginControlFlow("for (; jj + $L <= end; jj += $L)", lanes(nv), lanes(nv));
        b.addStatement("$LRows$L(a, aOff, $L, bj + jj - j, c, cOff + jj, r0, r1)", tiles, nv, bArray);
        b.endControlFlow();
    }

    /** Widens panel {@code q} of compact weights into {@code panel [depth][64]} F32. */
    private MethodSpec widen(String id, Shape s) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (s.format() == WeightFormat.BF16) {
            b.add("// int (q * $L + p) * 32 + k holds rows 64q + k (low half) and 64q + 32 + k (high half) at column p\n", s.depth());
            b.addStatement("final int base = q * $L * $L", times(1, s.depth()), PANEL / 2);
            b.beginControlFlow("for (int p = 0; p < $L; p++)", s.depth());
            b.addStatement("int k = 0");
            b.beginControlFlow("for (; k + LANES <= $L && LANES <= $L; k += LANES)", PANEL / 2, PANEL / 2);
            b.addStatement("final $T v = $T.fromArray(I, w, base + p * $L + k)", INT_VECTOR, INT_VECTOR, PANEL / 2);
            b.addStatement("v.lanewise($T.LSHL, 16).reinterpretAsFloats().intoArray(panel, p * $L + k)", OPERATORS, PANEL);
            b.addStatement("v.and(0xFFFF0000).reinterpretAsFloats().intoArray(panel, p * $L + $L + k)", PANEL, PANEL / 2);
            b.endControlFlow();
            b.beginControlFlow("for (; k < $L; k++)", PANEL / 2);
            b.addStatement("final int v = w[base + p * $L + k]", PANEL / 2);
            b.addStatement("panel[p * $L + k] = Float.intBitsToFloat(v << 16)", PANEL);
            b.addStatement("panel[p * $L + $L + k] = Float.intBitsToFloat(v & 0xFFFF0000)", PANEL, PANEL / 2);
            b.endControlFlow();
            b.endControlFlow();
        } else if (s.format() == WeightFormat.Q4) {
            q4Widen(b, s);
        } else {
            int blocks = (s.depthValue() + 31) / 32;
            b.add("// byte (q * $L + p) * 64 + k is row 64q + k's code at column p; its scale is that of block p / 32\n", s.depth());
            b.addStatement("final int base = q * $L * $L", times(1, s.depth()), PANEL);
            b.addStatement("final int sBase = q * $L * $L", blocks, PANEL);
            b.beginControlFlow("for (int p = 0; p < $L; p++)", s.depth());
            b.addStatement("final int sp = sBase + p / 32 * $L", PANEL);
            b.addStatement("int k = 0");
            b.beginControlFlow("if (B != null)");
            b.beginControlFlow("for (; k + LANES <= $L; k += LANES)", PANEL);
            b.addStatement("final $T codes = ($T) $T.fromArray(B, w, base + p * $L + k).convertShape($T.B2F, S, 0)", FLOAT_VECTOR, FLOAT_VECTOR,
                    BYTE_VECTOR, PANEL, OPERATORS);
            b.addStatement("codes.mul($T.fromArray(S, scales, sp + k)).intoArray(panel, p * $L + k)", FLOAT_VECTOR, PANEL);
            b.endControlFlow();
            b.endControlFlow();
            b.beginControlFlow("for (; k < $L; k++)", PANEL);
            b.addStatement("panel[p * $L + k] = w[base + p * $L + k] * scales[sp + k]", PANEL, PANEL);
            b.endControlFlow();
            b.endControlFlow();
        }
        MethodSpec.Builder m = MethodSpec.methodBuilder(id + "Widen").addModifiers(Modifier.PRIVATE, Modifier.STATIC);
        if (s.format() == WeightFormat.BF16) {
            m.addParameter(ArrayTypeName.of(TypeName.INT), "w");
        } else {
            m.addParameter(ArrayTypeName.of(TypeName.BYTE), "w").addParameter(realArray(), "scales");
        }
        return m.addParameter(TypeName.INT, "q").addParameter(realArray(), "panel")
                .addJavadoc("Widens panel {@code q} of $L weights (64 rows, $L columns) to F32 {@code panel[p * 64 + k]}$L.\n", s.format(), s.depth(),
                        s.format() == WeightFormat.BF16 ? " (exact)" : ", each code times its block's scale")
                .addCode(b.build()).build();
    }

    /** Q4: each byte holds two columns' codes; both nibbles widen with the one scale of their block (32 is even: a pair never straddles blocks). */
    private void q4Widen(CodeBlock.Builder b, Shape s) {
        int blocks = (s.depthValue() + 31) / 32;
        int pairs = (s.depthValue() + 1) / 2;
        b.add("// byte (q * $L + p / 2) * 64 + k holds row 64q + k's codes at columns p (low nibble) and p + 1, p even\n", pairs);
        b.addStatement("final int base = q * $L * $L", pairs, PANEL);
        b.addStatement("final int sBase = q * $L * $L", blocks, PANEL);
        b.beginControlFlow("for (int p = 0; p < $L; p += 2)", s.depth());
        b.addStatement("final int sp = sBase + p / 32 * $L", PANEL);
        b.addStatement("final int wp = base + p / 2 * $L", PANEL);
        b.addStatement("final boolean pair = p + 1 < $L", s.depth());
        b.addStatement("int k = 0");
        b.beginControlFlow("if (B != null)");
        b.beginControlFlow("for (; k + LANES <= $L; k += LANES)", PANEL);
        b.addStatement("final $T v = $T.fromArray(B, w, wp + k)", BYTE_VECTOR, BYTE_VECTOR);
        b.addStatement("final $T scale = $T.fromArray(S, scales, sp + k)", FLOAT_VECTOR, FLOAT_VECTOR);
        b.addStatement("(($T) v.and((byte) 15).sub((byte) 8).convertShape($T.B2F, S, 0)).mul(scale).intoArray(panel, p * $L + k)", FLOAT_VECTOR,
                OPERATORS, PANEL);
        b.beginControlFlow("if (pair)");
        b.addStatement("(($T) v.lanewise($T.LSHR, 4).and((byte) 15).sub((byte) 8).convertShape($T.B2F, S, 0)).mul(scale).intoArray(panel, (p + 1) * $L + k)",
                FLOAT_VECTOR, OPERATORS, OPERATORS, PANEL);
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.beginControlFlow("for (; k < $L; k++)", PANEL);
        b.addStatement("final int v = w[wp + k]");
        b.addStatement("panel[p * $L + k] = ((v & 15) - 8) * scales[sp + k]", PANEL);
        b.beginControlFlow("if (pair)");
        b.addStatement("panel[(p + 1) * $L + k] = ((v >> 4 & 15) - 8) * scales[sp + k]", PANEL);
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
    }
}
