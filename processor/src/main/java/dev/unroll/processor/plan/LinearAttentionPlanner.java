package dev.unroll.processor.plan;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.call;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.invoke;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.set;
import static dev.unroll.processor.plan.Ir.store;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.model.LinearAttentionDescriptor;
import dev.unroll.processor.plan.mode.HeadPlanner;
import dev.unroll.processor.plan.mode.ModePlan;
import dev.unroll.processor.plan.mode.ModePlans;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.definition.HeadTensors;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import dev.unroll.runtime.attention.definition.Modes;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the kernels of a {@code @LinearAttention} layer.
 *
 * <p>One token is three stages: a fused input projection (every head's q/k/v and gate rows in one
 * {@code [P][D]} matrix, only the rows the mode reads), the per-head recurrence
 * ({@code headStep}: gates, normalisation, state update, post-update readout), and the output
 * projection (with tanh for the delta family). A sequence batches the two projections into GEMMs
 * around a per-head scan. Heads are unrolled in {@code step} when there are few of them; loops of at
 * most {@link #UNROLL_LIMIT} iterations inside state operations are unrolled; everything longer
 * stays a counted loop with a constant bound.
 */
public final class LinearAttentionPlanner {
    /** Inner loops this short are unrolled. */
    public static final int UNROLL_LIMIT = HeadPlanner.UNROLL_LIMIT;
    /** Heads are unrolled in {@code step} up to this count. */
    public static final int HEAD_UNROLL_LIMIT = 16;

    private final AttentionSpec spec;
    private final ModeDefinition mode;
    private final ModePlan plan;
    private final WeightFormat format;
    private final List<Constant> constants = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    private final List<Segment> auxSegments = new ArrayList<>();
    private final List<String> decisions = new ArrayList<>();
    private int headRows;
    private int auxPerHead;
    private int scratchPerHead;

    private LinearAttentionPlanner(AttentionSpec spec, WeightFormat format) {
        this.spec = spec;
        this.format = format;
        this.mode = Modes.of(spec.mode());
        this.plan = ModePlans.of(spec.mode());
    }

    /**
     * @param d a validated descriptor
     * @return its plan
     */
    public static LinearAttentionPlan plan(LinearAttentionDescriptor d) {
        return new LinearAttentionPlanner(d.spec(), d.weights()).build(d);
    }

    private LinearAttentionPlan build(LinearAttentionDescriptor desc) {
        int dModel = spec.width();
        int h = spec.heads();
        int k = spec.keyWidth();
        int v = spec.valueWidth();
        intConst("D", dModel, "Model width: the length of every input and output vector.");
        intConst("H", h, "Heads.");
        intConst("K", k, "Key width per head.");
        intConst("V", v, "Value width per head.");
        intConst("HV", h * v, "Width of the concatenated head outputs (H * V).");
        layout();
        intConst("HEAD_ROWS", headRows, "Rows of one head's block in the fused input projection.");
        intConst("P", h * headRows, "Rows of the fused input projection (H * HEAD_ROWS).");
        intConst("P_PAD", pad16(h * headRows), "P rounded up to 16: the row stride of projections in a sequence.");
        int perHead = spec.stateSizePerHead();
        intConst("STATE_PER_HEAD", perHead, mode.vectorState() ? "State per head: a vector of V."
                : perHead == k * v ? "State per head: one K x V matrix." : "State per head: " + perHead / (k * v) + " matrices of K x V.");
        intConst("STATE_SIZE", h * perHead, "State of the layer.");
        intConst("AUX_PER_HEAD", auxPerHead, auxSegments.isEmpty() ? "Element-wise per-head weights (none in this mode)."
                : "Element-wise per-head weights (" + describe(auxSegments) + ").");
        intConst("AUX_SIZE", h * auxPerHead, "Element-wise weights of the layer.");
        scratchPerHead = plan.scratchPerHead(spec);
        intConst("SCRATCH_PER_HEAD", scratchPerHead, "Scratch of one head (heads may run in parallel).");
        intConst("SCRATCH_SIZE", h * scratchPerHead, "Scratch of the layer.");
        plan.constants(new HeadPlanner(spec, constants, decisions));
        boolean unrollHeads = h <= HEAD_UNROLL_LIMIT;
        decisions.add("fused input projection: " + h * headRows + " x " + dModel + " (" + describe(segments) + " rows per head)");
        decisions.add(unrollHeads ? "heads unrolled in step (" + h + " heads, limit " + HEAD_UNROLL_LIMIT + ")"
                : "heads kept as a counted loop (" + h + " heads, over the limit of " + HEAD_UNROLL_LIMIT + ")");
        decisions.add((k <= UNROLL_LIMIT ? "key loops unrolled (K = " + k + ")" : "key loops counted (K = " + k + ")")
                + ", " + (v <= UNROLL_LIMIT ? "value loops unrolled (V = " + v + ")" : "value loops counted (V = " + v + ")"));

        List<KernelMethod> methods = new ArrayList<>();
        methods.add(headStep());
        methods.add(step(unrollHeads));
        methods.add(queryMethod());
        methods.add(projectSequence());
        methods.add(scanHead());
        methods.add(scanHeads());
        methods.add(advance());
        methods.add(scanStreams());
        if (format == WeightFormat.F32) { // the TornadoVM glue runs F32 weights only
            methods.add(outputAdvance(false));
            methods.add(outputAdvance(true));
        }
        methods.add(outputSequence());
        methods.add(forward());
        if (format != WeightFormat.F32) {
            decisions.add(format + " projections in panels of 64 rows (PackedMatrix), widened to floats in registers");
        }
        KernelPlan kp = new KernelPlan(desc.source().packageName(), desc.source().baseName(), desc.describe(),
                desc.source().qualifiedName(), spec.precision(), List.copyOf(constants), HelperUse.of(methods),
                List.copyOf(methods), List.copyOf(decisions), UNROLL_LIMIT);
        return new LinearAttentionPlan(desc, kp, List.copyOf(segments), List.copyOf(auxSegments));
    }

    // ------------------------------------------------------------------ layout

    /**
     * The fused input projection holds, per head, the key, value and query rows the mode reads and
     * then the mode's own projections, in draw order; element-wise vectors go to {@code aux}. Each
     * segment's first row is a constant named after its tensor ({@code w_gate}: {@code ROW_GATE}).
     */
    private void layout() {
        if (mode.usesKey()) {
            segment("w_key", spec.keyWidth());
        }
        if (mode.usesValue()) {
            segment("w_value", spec.valueWidth());
        }
        if (mode.usesQuery()) {
            segment("w_query", spec.keyWidth());
        }
        for (HeadTensors.Entry e : HeadTensors.declared(spec)) {
            if (e.projection()) {
                segment(e.field(), e.rows());
            } else {
                String name = "AUX_" + constantSuffix(e.field());
                auxSegments.add(new Segment(e.field(), name, auxPerHead, e.rows()));
                intConst(name, auxPerHead, "Offset of " + e.field() + " within a head's element-wise weights.");
                auxPerHead += e.rows();
            }
        }
    }

    private void segment(String field, int rows) {
        String constName = "ROW_" + constantSuffix(field);
        segments.add(new Segment(field, constName, headRows, rows));
        intConst(constName, headRows, "First row of " + field + " within a head's block (" + rows + " row" + (rows > 1 ? "s" : "") + ").");
        headRows += rows;
    }

    /** {@code w_gate_vec} becomes {@code GATE_VEC}. */
    private static String constantSuffix(String field) {
        return (field.startsWith("w_") ? field.substring(2) : field).toUpperCase(java.util.Locale.ROOT);
    }

    private static String describe(List<Segment> segs) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segs) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(s.field()).append(' ').append(s.rows());
        }
        return sb.toString();
    }

    /**
     * @param n a count
     * @return n rounded up to a multiple of 16 (the widest float vector)
     */
    public static int pad16(int n) {
        return (n + 15) / 16 * 16;
    }

    private void intConst(String name, int value, String doc) {
        constants.add(Constant.ofInt(name, value, doc));
    }

    private static Param real1(String name, String doc) {
        return new Param(Type.REAL_ARRAY, name, doc);
    }

    // ------------------------------------------------------------------ per-head recurrence

    private KernelMethod headStep() {
        HeadPlanner p = new HeadPlanner(spec, constants, decisions);
        p.emit(integer("p", add(n("pOff"), mul(n("h"), n("HEAD_ROWS")))),
              integer("s", add(n("sOff"), mul(n("h"), n("STATE_PER_HEAD")))),
              integer("o", add(n("oOff"), mul(n("h"), n("V")))));
        if (scratchPerHead > 0) {
            p.emit(integer("sc", add(n("scOff"), mul(n("h"), n("SCRATCH_PER_HEAD")))));
        }
        plan.headStep(p);
        List<Param> params = new ArrayList<>(List.of(
                new Param(Type.INT, "h", "the head"),
                real1("proj", "fused projections of the token"),
                new Param(Type.INT, "pOff", "offset of the token's projections in proj"),
                real1("aux", "element-wise weights (may be empty)"),
                real1("state", "the layer state, updated in place"),
                new Param(Type.INT, "sOff", "offset of the stream's state in state"),
                real1("out", "concatenated head outputs"),
                new Param(Type.INT, "oOff", "offset of the token's head outputs in out"),
                real1("scratch", "scratch of SCRATCH_SIZE"),
                new Param(Type.INT, "scOff", "offset of the stream's scratch in scratch"),
                new Param(Type.LONG, "mask", "LogLinear's active levels before this token (0 otherwise)")));
        return new KernelMethod("headStep", "One token through head {@code h}: gates, state update and post-update readout.", params, p.statements());
    }

    // ------------------------------------------------------------------ token and sequence methods

    private List<Param> weightParams() {
        List<Param> out = new ArrayList<>(matrix("wIn", "fused input projection, see the layout constants"));
        out.addAll(matrix("wOut", "output projection"));
        out.add(real1("aux", "element-wise weights (AUX_SIZE)"));
        return out;
    }

    private List<Param> matrix(String name, String doc) {
        return Param.matrix(name, doc, format);
    }

    /** A projection as call arguments: the array, and for Q8 and Q4 its scales. */
    private List<Expr> matrixArgs(String name) {
        return format == WeightFormat.Q8 || format == WeightFormat.Q4 ? List.of(n(name), n(Param.scales(name))) : List.of(n(name));
    }

    private static Expr[] args(List<Expr> first, Expr... rest) {
        List<Expr> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all.toArray(Expr[]::new);
    }

    private KernelMethod step(boolean unrollHeads) {
        Ir.Body b = new Ir.Body();
        b.add(op(new MacroOp.MatVec("wIn", n("P"), i(0), n("P"), n("D"), "x", n("xOff"), "proj", i(0), false, format)));
        b.add(Ir.along("mask", load("meta", i(1))));
        b.add(Ir.parallel("h", n("H"), unrollHeads, List.of(
                invoke("headStep", n("h"), n("proj"), i(0), n("aux"), n("state"), i(0), n("concat"), i(0), n("scratch"), i(0), n("mask")))));
        if (mode.levelMask()) {
            b.add(store("meta", i(1), call(Helper.NEXT_MASK, n("mask"))));
        }
        b.add(new Stmt.Store("meta", i(0), i(1), true));
        b.add(op(new MacroOp.MatVec("wOut", n("D"), i(0), n("D"), n("HV"), "concat", i(0), "y", n("yOff"), spec.tanhOutput(), format)));
        List<Param> params = new ArrayList<>(weightParams());
        params.add(real1("state", "the stream's state, updated in place"));
        params.add(new Param(Type.LONG_ARRAY, "meta", "{tokens, LogLinear level mask}, updated"));
        params.add(real1("x", "input"));
        params.add(new Param(Type.INT, "xOff", "offset of the token in x"));
        params.add(real1("y", "output"));
        params.add(new Param(Type.INT, "yOff", "offset of the output in y"));
        params.add(real1("proj", "scratch of P_PAD"));
        params.add(real1("concat", "scratch of HV"));
        params.add(real1("scratch", "scratch of SCRATCH_SIZE"));
        return new KernelMethod("step", "Advances the state by one token and writes the post-update output"
                + (spec.tanhOutput() ? " (tanh of the output projection)" : "") + ".", params, b.build());
    }

    private KernelMethod queryMethod() {
        Ir.Body b = new Ir.Body();
        HeadPlanner head = new HeadPlanner(spec, constants, new ArrayList<>()).weights(format);
        head.emit(integer("p", mul(n("h"), n("HEAD_ROWS"))));
        head.emit(integer("s", mul(n("h"), n("STATE_PER_HEAD"))));
        head.emit(integer("o", mul(n("h"), n("V"))));
        plan.queryHead(head);
        List<Stmt> headStmts = head.statements();
        b.add(Ir.parallel("h", n("H"), false, headStmts));
        b.add(op(new MacroOp.MatVec("wOut", n("D"), i(0), n("D"), n("HV"), "concat", i(0), "y", n("yOff"), mode.tanhQuery(), format)));
        List<Param> params = new ArrayList<>(weightParams());
        params.add(real1("state", "the stream's state (read only)"));
        params.add(new Param(Type.LONG_ARRAY, "meta", "{tokens, LogLinear level mask} (read only)"));
        params.add(real1("x", "input"));
        params.add(new Param(Type.INT, "xOff", "offset of the token in x"));
        params.add(real1("y", "output"));
        params.add(new Param(Type.INT, "yOff", "offset of the output in y"));
        params.add(real1("proj", "scratch of P_PAD"));
        params.add(real1("concat", "scratch of HV"));
        params.add(real1("scratch", "scratch of SCRATCH_SIZE"));
        return new KernelMethod("query", "Pre-update readout of the state (the reference's query_state): changes nothing"
                + (mode.tanhQuery() ? "; with tanh, as the mode's forward." : "; no tanh, as the reference."), params, b.build());
    }

    private KernelMethod scanHead() {
        Ir.Body b = new Ir.Body();
        b.add(Ir.alongVar("m", n("mask")));
        List<Stmt> body = new ArrayList<>();
        body.add(invoke("headStep", n("h"), n("proj"), mul(n("t"), n("P_PAD")), n("aux"), n("state"), i(0), n("concat"), mul(n("t"), n("HV")), n("scratch"), i(0), n("m")));
        if (mode.levelMask()) {
            body.add(set("m", call(Helper.NEXT_MASK, n("m"))));
        }
        b.add(loop("t", n("tokens"), false, body));
        List<Param> params = List.of(
                new Param(Type.INT, "h", "the head"),
                real1("proj", "projections of all tokens, [tokens][P_PAD]"),
                real1("aux", "element-wise weights"),
                real1("state", "the stream's state, updated in place"),
                real1("concat", "head outputs of all tokens, [tokens][HV]"),
                real1("scratch", "scratch of SCRATCH_SIZE"),
                new Param(Type.LONG, "mask", "LogLinear's level mask before the first token"),
                new Param(Type.INT, "tokens", "sequence length"));
        return new KernelMethod("scanHead", "Runs head {@code h}'s recurrence over a projected sequence: heads are independent, so callers may run them in parallel.",
                params, b.build());
    }

    private KernelMethod projectSequence() {
        List<Param> params = new ArrayList<>(matrix("wIn", "fused input projection"));
        params.addAll(List.of(real1("xs", "inputs [tokens][D]"), real1("proj", "projections [tokens][P_PAD]"), new Param(Type.INT, "tokens", "sequence length")));
        return new KernelMethod("projectSequence", "Projects every token of a sequence at once (a GEMM).", params,
                List.of(op(new MacroOp.Gemm("wIn", n("P"), n("D"), "xs", n("D"), "proj", n("P_PAD"), n("tokens"), false, format)))).asTask();
    }

    private KernelMethod outputSequence() {
        List<Param> params = new ArrayList<>(matrix("wOut", "output projection"));
        params.addAll(List.of(real1("concat", "head outputs [tokens][HV]"), real1("ys", "outputs [tokens][D]"), new Param(Type.INT, "tokens", "sequence length")));
        return new KernelMethod("outputSequence", "Output projection of every token of a sequence at once (a GEMM)"
                + (spec.tanhOutput() ? ", with tanh." : "."), params,
                List.of(op(new MacroOp.Gemm("wOut", n("D"), n("HV"), "concat", n("HV"), "ys", n("D"), n("tokens"), spec.tanhOutput(), format)))).asTask();
    }

    /** Every head's scan, in parallel over heads: one device task. */
    private KernelMethod scanHeads() {
        Ir.Body b = new Ir.Body();
        b.add(Ir.along("mask", load("meta", i(1))));
        b.add(Ir.parallel("h", n("H"), false, List.of(
                invoke("scanHead", n("h"), n("proj"), n("aux"), n("state"), n("concat"), n("scratch"), n("mask"), n("tokens")))));
        List<Param> params = List.of(
                real1("proj", "projections of all tokens, [tokens][P_PAD]"),
                real1("aux", "element-wise weights"),
                real1("state", "the stream's state, updated in place"),
                new Param(Type.LONG_ARRAY, "meta", "{tokens, LogLinear level mask} (read only here)"),
                real1("concat", "head outputs of all tokens, [tokens][HV]"),
                real1("scratch", "scratch of SCRATCH_SIZE"),
                new Param(Type.INT, "tokens", "sequence length"));
        return new KernelMethod("scanHeads", "Runs every head's recurrence over a projected sequence; the head loop is parallel.",
                params, b.build()).asTask();
    }

    /** Advances the stream's counters after a sequence: a one-thread device task. */
    private KernelMethod advance() {
        Ir.Body b = new Ir.Body();
        if (mode.levelMask()) {
            b.add(Ir.alongVar("m", load("meta", i(1))));
            b.add(loop("t", n("tokens"), false, List.of(set("m", call(Helper.NEXT_MASK, n("m"))))));
            b.add(store("meta", i(1), n("m")));
        }
        b.add(new Stmt.Store("meta", i(0), n("tokens"), true));
        List<Param> params = List.of(new Param(Type.LONG_ARRAY, "meta", "{tokens, LogLinear level mask}, updated"),
                new Param(Type.INT, "tokens", "tokens just processed"));
        return new KernelMethod("advance", "Counts a processed sequence in the stream's meta data"
                + (mode.levelMask() ? " and advances LogLinear's level mask." : "."), params, b.build()).asTask();
    }

    /** Every head of every stream, one token each, in parallel over streams and heads: one device task. */
    private KernelMethod scanStreams() {
        Ir.Body b = new Ir.Body();
        b.add(Ir.parallel("b", n("streams"), false, List.of(Ir.parallel("h", n("H"), false, List.of(
                invoke("headStep", n("h"), n("proj"), mul(n("b"), n("P_PAD")), n("aux"), n("states"), mul(n("b"), n("STATE_SIZE")), n("concat"),
                        mul(n("b"), n("HV")), n("scratch"), mul(n("b"), n("SCRATCH_SIZE")), load("metas", add(mul(n("b"), i(2)), i(1)))))))));
        List<Param> params = List.of(
                real1("proj", "projections of the streams' tokens, [streams][P_PAD]"),
                real1("aux", "element-wise weights"),
                real1("states", "the streams' states, [streams][STATE_SIZE], updated in place"),
                new Param(Type.LONG_ARRAY, "metas", "each stream's {tokens, LogLinear level mask}, [streams][2] (read only here)"),
                real1("concat", "head outputs of the streams' tokens, [streams][HV]"),
                real1("scratch", "scratch of streams * SCRATCH_SIZE"),
                new Param(Type.INT, "streams", "number of streams"));
        return new KernelMethod("scanStreams", "One token of each of many streams through every head, each stream on its own state;"
                + " the stream and head loops are parallel.", params, b.build()).asDeviceTask();
    }

    /**
     * The output projection of a chunk or of the streams' tokens with the counters' advance folded in
     * (one launch instead of two): the output GEMM as one 4-lane dot product per work-item, in the
     * order of {@code outputSequence}, and on the work-items of output row 0 the meta update of
     * {@code advance} (a chunk: one stream, its first token's item) or of each stream (many streams:
     * each token's item). The scan has read the masks by then: the tasks of a graph run in order.
     *
     * @param streams many streams, one token each, else one stream's chunk
     */
    private KernelMethod outputAdvance(boolean streams) {
        Expr dotted = spec.tanhOutput() ? call(MathFn.TANH, n("dot")) : n("dot");
        List<Stmt> advance = new ArrayList<>();
        if (streams) {
            if (mode.levelMask()) {
                Expr mask = add(mul(n("t"), i(2)), i(1));
                advance.add(store("metas", mask, call(Helper.NEXT_MASK, load("metas", mask))));
            }
            advance.add(new Stmt.Store("metas", mul(n("t"), i(2)), i(1), true));
        } else {
            if (mode.levelMask()) {
                advance.add(Ir.alongVar("m", load("meta", i(1))));
                advance.add(loop("k", n("tokens"), false, List.of(set("m", call(Helper.NEXT_MASK, n("m"))))));
                advance.add(store("meta", i(1), n("m")));
            }
            advance.add(new Stmt.Store("meta", i(0), n("tokens"), true));
        }
        Expr first = streams ? new Expr.Bin(BinOp.EQ, n("r"), i(0))
                : new Expr.Bin(BinOp.AND, new Expr.Bin(BinOp.EQ, n("t"), i(0)), new Expr.Bin(BinOp.EQ, n("r"), i(0)));
        List<Stmt> item = List.of(
                op(new MacroOp.Dot("dot", "wOut", mul(n("r"), n("HV")), "concat", mul(n("t"), n("HV")), n("HV"))),
                store("ys", add(mul(n("t"), n("D")), n("r")), dotted),
                new Stmt.If(first, advance, List.of()));
        Ir.Body b = new Ir.Body();
        b.add(Ir.parallel("t", n(streams ? "streams" : "tokens"), false, List.of(Ir.parallel("r", n("D"), false, item))));
        List<Param> params = streams
                ? List.of(real1("wOut", "output projection"), real1("concat", "head outputs [streams][HV]"), real1("ys", "outputs [streams][D]"),
                        new Param(Type.LONG_ARRAY, "metas", "each stream's {tokens, LogLinear level mask}, [streams][2], updated"),
                        new Param(Type.INT, "streams", "number of streams"))
                : List.of(real1("wOut", "output projection"), real1("concat", "head outputs [tokens][HV]"), real1("ys", "outputs [tokens][D]"),
                        new Param(Type.LONG_ARRAY, "meta", "{tokens, LogLinear level mask}, updated"), new Param(Type.INT, "tokens", "sequence length"));
        String what = streams ? "each stream's meta data counts its token" : "the stream's meta data counts the chunk";
        return new KernelMethod(streams ? "outputStreams" : "outputChunk", "Output projection of every token at once"
                + (spec.tanhOutput() ? ", with tanh" : "") + "; " + what + (mode.levelMask() ? " and its LogLinear level mask advances" : "")
                + " (one launch for both).", params, b.build()).asDeviceTask();
    }

    private KernelMethod forward() {
        Ir.Body b = new Ir.Body();
        // the work of the TornadoVM glue's tasks, in the same order (the glue folds advance into its output task)
        b.add(invoke("projectSequence", args(matrixArgs("wIn"), n("xs"), n("proj"), n("tokens"))));
        b.add(invoke("scanHeads", n("proj"), n("aux"), n("state"), n("meta"), n("concat"), n("scratch"), n("tokens")));
        b.add(invoke("advance", n("meta"), n("tokens")));
        b.add(invoke("outputSequence", args(matrixArgs("wOut"), n("concat"), n("ys"), n("tokens"))));
        List<Param> params = new ArrayList<>(weightParams());
        params.add(real1("state", "the stream's state, updated in place"));
        params.add(new Param(Type.LONG_ARRAY, "meta", "{tokens, LogLinear level mask}, updated"));
        params.add(real1("xs", "inputs [tokens][D]"));
        params.add(real1("ys", "outputs [tokens][D]"));
        params.add(new Param(Type.INT, "tokens", "sequence length"));
        params.add(real1("proj", "scratch of tokens * P_PAD"));
        params.add(real1("concat", "scratch of tokens * HV"));
        params.add(real1("scratch", "scratch of SCRATCH_SIZE"));
        return new KernelMethod("forward", "Runs a sequence: one projection GEMM, a scan per head, one output GEMM; equal to {@code tokens} steps.",
                params, b.build());
    }

}
