package dev.unroll.processor.plan;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.call;
import static dev.unroll.processor.plan.Expr.i;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Expr.r;
import static dev.unroll.processor.plan.Expr.sub;
import static dev.unroll.processor.plan.Ir.block;
import static dev.unroll.processor.plan.Ir.comment;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.invoke;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.op;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.realVar;
import static dev.unroll.processor.plan.Ir.set;
import static dev.unroll.processor.plan.Ir.store;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.processor.model.LinearAttentionDescriptor;
import dev.unroll.runtime.attention.AttentionSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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
    public static final int UNROLL_LIMIT = 8;
    /** Heads are unrolled in {@code step} up to this count. */
    public static final int HEAD_UNROLL_LIMIT = 16;
    /** RWKV-7 decay scale {@code -ln 0.6}, fixed at plan time with fdlibm. */
    static final double RWKV7_C = -StrictMath.log(0.6);

    private final AttentionSpec spec;
    private final List<Constant> constants = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    private final List<Segment> auxSegments = new ArrayList<>();
    private final Set<Helper> helpers = EnumSet.noneOf(Helper.class);
    private final List<String> decisions = new ArrayList<>();
    private int headRows;
    private int auxPerHead;
    private int scratchPerHead;

    private LinearAttentionPlanner(AttentionSpec spec) {
        this.spec = spec;
    }

    /**
     * @param d a validated descriptor
     * @return its plan
     */
    public static LinearAttentionPlan plan(LinearAttentionDescriptor d) {
        return new LinearAttentionPlanner(d.spec()).build(d);
    }

    private LinearAttentionPlan build(LinearAttentionDescriptor desc) {
        AttentionMode mode = spec.mode();
        int dModel = spec.width();
        int h = spec.heads();
        int k = spec.keyWidth();
        int v = spec.valueWidth();
        intConst("D", dModel, "Model width: the length of every input and output vector.");
        intConst("H", h, "Heads.");
        intConst("K", k, "Key width per head.");
        intConst("V", v, "Value width per head.");
        intConst("HV", h * v, "Width of the concatenated head outputs (H * V).");
        layoutProjection(mode, k, v);
        intConst("HEAD_ROWS", headRows, "Rows of one head's block in the fused input projection.");
        intConst("P", h * headRows, "Rows of the fused input projection (H * HEAD_ROWS).");
        intConst("P_PAD", pad16(h * headRows), "P rounded up to 16: the row stride of projections in a sequence.");
        int stateRows = mode == AttentionMode.HAWK ? 1 : k;
        int perHead = spec.stateSizePerHead();
        if (mode == AttentionMode.LOG_LINEAR) {
            intConst("L", spec.maxLevels(), "Fenwick levels.");
            intConst("KV", k * v, "Values in one K x V matrix.");
        }
        intConst("STATE_PER_HEAD", perHead, mode == AttentionMode.HAWK ? "State per head: a vector of V."
                : mode == AttentionMode.LOG_LINEAR ? "State per head: L matrices of K x V." : "State per head: one K x V matrix.");
        intConst("STATE_SIZE", h * perHead, "State of the layer.");
        layoutAux(mode, k);
        intConst("AUX_PER_HEAD", auxPerHead, "Element-wise per-head weights (RWKV-7's w_xi and w_alpha_rk).");
        intConst("AUX_SIZE", h * auxPerHead, "Element-wise weights of the layer.");
        scratchPerHead = scratchNeeded(mode, k, v);
        intConst("SCRATCH_PER_HEAD", scratchPerHead, "Scratch of one head (heads may run in parallel).");
        intConst("SCRATCH_SIZE", h * scratchPerHead, "Scratch of the layer.");
        realConstants(mode);
        boolean unrollHeads = h <= HEAD_UNROLL_LIMIT;
        decisions.add("fused input projection: " + h * headRows + " x " + dModel + " (" + describeSegments() + ")");
        decisions.add(unrollHeads ? "heads unrolled in step (" + h + " heads, limit " + HEAD_UNROLL_LIMIT + ")"
                : "heads kept as a counted loop (" + h + " heads, over the limit of " + HEAD_UNROLL_LIMIT + ")");
        decisions.add((k <= UNROLL_LIMIT ? "key loops unrolled (K = " + k + ")" : "key loops counted (K = " + k + ")")
                + ", " + (v <= UNROLL_LIMIT ? "value loops unrolled (V = " + v + ")" : "value loops counted (V = " + v + ")"));
        if (stateRows == 1) {
            decisions.add("vector state: element-wise update");
        }

        List<KernelMethod> methods = new ArrayList<>();
        methods.add(headStep(mode));
        methods.add(step(unrollHeads));
        methods.add(queryMethod(mode));
        methods.add(projectSequence());
        methods.add(scanHead());
        methods.add(scanHeads());
        methods.add(advance());
        methods.add(outputSequence());
        methods.add(forward());
        KernelPlan kp = new KernelPlan(desc.source().packageName(), desc.source().baseName(), spec.describe(),
                desc.source().qualifiedName(), spec.precision(), List.copyOf(constants), Set.copyOf(helpers),
                List.copyOf(methods), List.copyOf(decisions), UNROLL_LIMIT);
        return new LinearAttentionPlan(desc, kp, List.copyOf(segments), List.copyOf(auxSegments));
    }

    // ------------------------------------------------------------------ layout

    private void segment(String field, String constName, int rows) {
        segments.add(new Segment(field, constName, headRows, rows));
        intConst(constName, headRows, "First row of " + field + " within a head's block (" + rows + " row" + (rows > 1 ? "s" : "") + ").");
        headRows += rows;
    }

    private void layoutProjection(AttentionMode mode, int k, int v) {
        boolean usesKey = mode != AttentionMode.HAWK && mode != AttentionMode.DELTA_PRODUCT;
        boolean usesValue = mode != AttentionMode.DELTA_PRODUCT;
        boolean usesQuery = mode != AttentionMode.HAWK;
        if (usesKey) {
            segment("w_key", "ROW_KEY", k);
        }
        if (usesValue) {
            segment("w_value", "ROW_VALUE", v);
        }
        if (usesQuery) {
            segment("w_query", "ROW_QUERY", k);
        }
        switch (mode) {
            case GLA, GATED_DELTA_NET, DELTA_PRODUCT -> segment("w_gate", "ROW_GATE", 1);
            case MLSTM -> {
                segment("w_gate", "ROW_GATE", 1);
                segment("w_gate2", "ROW_GATE2", 1);
            }
            case RWKV -> segment("w_decay", "ROW_DECAY", 1);
            case HAWK -> {
                segment("w_alpha", "ROW_ALPHA", v);
                segment("w_beta", "ROW_BETA", v);
            }
            case RWKV7 -> {
                segment("w_decay_vec", "ROW_DECAY_VEC", k);
                segment("w_iclr", "ROW_ICLR", k);
            }
            case HGRN2 -> segment("w_hgrn2_gate", "ROW_GATE_VEC", k);
            case GLA_VECTOR -> segment("w_gate_vec", "ROW_GATE_VEC", k);
            case LOG_LINEAR -> segment("w_lambda", "ROW_LAMBDA", spec.maxLevels());
            default -> {
            }
        }
        if (mode == AttentionMode.GATED_DELTA_NET && spec.betaMode() == BetaMode.PER_TOKEN) {
            segment("w_beta_scalar", "ROW_BETA", 1);
        }
        if (mode == AttentionMode.DELTA_PRODUCT) {
            int n = spec.compositions();
            intConst("N", n, "Householder steps per token.");
            segment("w_comp_keys", "ROW_COMP_KEYS", n * k);
            segment("w_comp_values", "ROW_COMP_VALUES", n * v);
            segment("w_comp_betas", "ROW_COMP_BETAS", n);
        }
    }

    private void layoutAux(AttentionMode mode, int k) {
        if (mode == AttentionMode.RWKV7) {
            auxSegments.add(new Segment("w_xi", "AUX_XI", 0, k));
            auxSegments.add(new Segment("w_alpha_rk", "AUX_ALPHA_RK", k, k));
            intConst("AUX_XI", 0, "Offset of w_xi within a head's element-wise weights.");
            intConst("AUX_ALPHA_RK", k, "Offset of w_alpha_rk within a head's element-wise weights.");
            auxPerHead = 2 * k;
        }
    }

    private int scratchNeeded(AttentionMode mode, int k, int v) {
        return switch (mode) {
            case MLSTM -> v;
            case RWKV, GLA_VECTOR, HGRN2 -> k;
            case DELTA_NET, GATED_DELTA_NET -> k + v;
            case DELTA_PRODUCT -> k + v;
            case RWKV7 -> 5 * k + v;
            case LOG_LINEAR -> k + k * v + spec.maxLevels() + v;
            default -> 0;
        };
    }

    private void realConstants(AttentionMode mode) {
        switch (mode) {
            case RETNET -> realConst("GAMMA", spec.gamma(), "RetNet's decay.");
            case GATED_DELTA_NET -> {
                if (spec.betaMode() == BetaMode.STATIC) {
                    realConst("BETA", spec.betaScale(), "Static delta-rule step.");
                }
            }
            case RWKV -> realConst("INITIAL_DECAY", spec.initialDecay(), "RWKV's base decay rate.");
            case HGRN2 -> {
                realConst("LOWER_BOUND", spec.lowerBound(), "Lower bound of the forget gate.");
                realConst("GATE_SPAN", 1.0 - spec.lowerBound(), "1 - LOWER_BOUND, the gate's range above its bound.");
            }
            case RWKV7 -> realConst("DECAY_SCALE", RWKV7_C, "-ln(0.6): per-key decays lie in (0.6, 1).");
            case LOG_LINEAR -> realConst("LAMBDA_INIT", spec.lambdaInit(), "Bias of the level logits.");
            default -> {
            }
        }
    }

    private String describeSegments() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(s.field()).append(' ').append(s.rows());
        }
        return sb.append(" rows per head").toString();
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

    private void realConst(String name, double value, String doc) {
        constants.add(Constant.ofReal(name, value, doc));
    }

    // ------------------------------------------------------------------ per-head recurrence

    private static Expr proj(String rowConst, Expr index) {
        return load("proj", add(add(n("p"), n(rowConst)), index));
    }

    private static Expr scratch(int offset, Expr index) {
        return load("scratch", add(add(n("sc"), i(offset)), index));
    }

    private static Param real1(String name, String doc) {
        return new Param(Type.REAL_ARRAY, name, doc);
    }

    private KernelMethod headStep(AttentionMode mode) {
        Ir.Body b = new Ir.Body();
        b.add(integer("p", add(n("pOff"), mul(n("h"), n("HEAD_ROWS")))),
              integer("s", mul(n("h"), n("STATE_PER_HEAD"))),
              integer("o", add(n("oOff"), mul(n("h"), n("V")))));
        if (scratchPerHead > 0) {
            b.add(integer("sc", mul(n("h"), n("SCRATCH_PER_HEAD"))));
        }
        if (mode == AttentionMode.RWKV7) {
            b.add(integer("ax", mul(n("h"), n("AUX_PER_HEAD"))));
        }
        int k = spec.keyWidth();
        int v = spec.valueWidth();
        Expr keyRow = proj("ROW_KEY", n("i"));
        switch (mode) {
            case RETNET -> b.add(decayUpdate(n("GAMMA"), keyRow, "proj", add(n("p"), n("ROW_VALUE"))), readout());
            case GLA -> b.add(real("g", call("sigmoid", proj("ROW_GATE", i(0)))),
                    decayUpdate(n("g"), keyRow, "proj", add(n("p"), n("ROW_VALUE"))), readout());
            case MLSTM -> b.add(comment("S = f S + k (i v)^T: the input gate scales v first, as the reference"),
                    real("f", call("sigmoid", proj("ROW_GATE", i(0)))),
                    real("ig", call("sigmoid", proj("ROW_GATE2", i(0)))),
                    loop("j", n("V"), v <= UNROLL_LIMIT, List.of(store("scratch", add(n("sc"), n("j")), mul(n("ig"), proj("ROW_VALUE", n("j")))))),
                    decayUpdate(n("f"), keyRow, "scratch", n("sc")), readout());
            case RWKV -> b.add(helper(Helper.RWKV_DECAY), real("decay", call("rwkvDecay", proj("ROW_DECAY", i(0)))),
                    comment("keys enter through exp(k)"),
                    op(new MacroOp.Exp("proj", add(n("p"), n("ROW_KEY")), "scratch", n("sc"), n("K"), null)),
                    decayUpdate(n("decay"), load("scratch", add(n("sc"), n("i"))), "proj", add(n("p"), n("ROW_VALUE"))), readout());
            case GLA_VECTOR -> b.add(
                    op(new MacroOp.Sigmoid("proj", add(n("p"), n("ROW_GATE_VEC")), "scratch", n("sc"), n("K"), null, null)),
                    decayUpdate(load("scratch", add(n("sc"), n("i"))), keyRow, "proj", add(n("p"), n("ROW_VALUE"))), readout());
            case HGRN2 -> b.add(
                    op(new MacroOp.Sigmoid("proj", add(n("p"), n("ROW_GATE_VEC")), "scratch", n("sc"), n("K"), n("LOWER_BOUND"), n("GATE_SPAN"))),
                    decayUpdate(load("scratch", add(n("sc"), n("i"))), keyRow, "proj", add(n("p"), n("ROW_VALUE"))), readout());
            case DELTA_NET -> {
                b.addAll(normaliseKey(add(n("p"), n("ROW_KEY")), 0));
                b.addAll(deltaStep(null, n("sc"), add(n("sc"), n("K")), add(n("p"), n("ROW_VALUE")), "proj"));
                b.add(readout());
            }
            case GATED_DELTA_NET -> {
                b.add(real("g", call("sigmoid", proj("ROW_GATE", i(0)))));
                b.add(spec.betaMode() == BetaMode.STATIC ? real("beta", n("BETA")) : real("beta", call("sigmoid", proj("ROW_BETA", i(0)))));
                b.add(op(new MacroOp.RowUpdate("state", n("s"), n("K"), n("V"), "i", n("g"), null, null, null)));
                b.addAll(normaliseKey(add(n("p"), n("ROW_KEY")), 0));
                b.addAll(deltaStep(n("beta"), n("sc"), add(n("sc"), n("K")), add(n("p"), n("ROW_VALUE")), "proj"));
                b.add(readout());
            }
            case DELTA_PRODUCT -> deltaProduct(b, k, v);
            case RWKV7 -> rwkv7(b, k, v);
            case HAWK -> b.add(loop("j", n("V"), v <= UNROLL_LIMIT, List.of(
                    real("alpha", call("sigmoid", proj("ROW_ALPHA", n("j")))),
                    real("beta", call("sigmoid", proj("ROW_BETA", n("j")))),
                    store("state", add(n("s"), n("j")), add(mul(n("alpha"), load("state", add(n("s"), n("j")))),
                            mul(n("beta"), proj("ROW_VALUE", n("j"))))),
                    store("out", add(n("o"), n("j")), load("state", add(n("s"), n("j")))))));
            case LOG_LINEAR -> logLinear(b, k, v);
            default -> throw new IllegalStateException(mode.name());
        }
        if (usesGate(mode)) {
            helpers.add(Helper.SIGMOID);
        }
        List<Param> params = new ArrayList<>(List.of(
                new Param(Type.INT, "h", "the head"),
                real1("proj", "fused projections of the token"),
                new Param(Type.INT, "pOff", "offset of the token's projections in proj"),
                real1("aux", "element-wise weights (may be empty)"),
                real1("state", "the layer state, updated in place"),
                real1("out", "concatenated head outputs"),
                new Param(Type.INT, "oOff", "offset of the token's head outputs in out"),
                real1("scratch", "scratch of SCRATCH_SIZE"),
                new Param(Type.LONG, "mask", "LogLinear's active levels before this token (0 otherwise)")));
        return new KernelMethod("headStep", "One token through head {@code h}: gates, state update and post-update readout.", params, b.build());
    }

    /** Records a helper; returns an empty comment so it can sit in a statement list. */
    private Stmt helper(Helper h) {
        helpers.add(h);
        if (h == Helper.RWKV_DECAY) {
            helpers.add(Helper.SOFTPLUS);
        }
        return comment("gate: " + switch (h) {
            case RWKV_DECAY -> "d = exp(-w), w = -ln(exp(-(INITIAL_DECAY + softplus(w_decay . x)))) (50 when the gate underflows)";
            default -> h.name();
        });
    }

    private static boolean usesGate(AttentionMode m) {
        return m != AttentionMode.RETNET && m != AttentionMode.DELTA_NET && m != AttentionMode.RWKV && m != AttentionMode.LOG_LINEAR;
    }

    /** S = scale * S + coef_i * u^T. */
    private Stmt decayUpdate(Expr scale, Expr coef, String u, Expr uOff) {
        return op(new MacroOp.RowUpdate("state", n("s"), n("K"), n("V"), "i", scale, coef, u, uOff));
    }

    private Stmt readout() {
        return op(new MacroOp.TransposeTimes("state", n("s"), n("K"), n("V"), "proj",
                add(n("p"), n("ROW_QUERY")), "out", n("o"), null));
    }

    /** Copies a key from proj into scratch at c + at and L2-normalises it there, as the reference. */
    private List<Stmt> normaliseKey(Expr from, int at) {
        int k = spec.keyWidth();
        boolean un = k <= UNROLL_LIMIT;
        return List.of(block(List.of(
                realVar("ss", r(0)),
                loop("i", n("K"), un, List.of(
                        real("x", load("proj", add(from, n("i")))),
                        store("scratch", add(add(n("sc"), i(at)), n("i")), n("x")),
                        Ir.addTo("ss", mul(n("x"), n("x"))))),
                real("norm", call("sqrt", n("ss"))),
                real("inv", new Expr.Cond(new Expr.Bin("<", n("norm"), r(1e-12)), r(0), Expr.div(r(1), n("norm")))),
                loop("i", n("K"), un, List.of(store("scratch", add(add(n("sc"), i(at)), n("i")),
                        mul(scratch(at, n("i")), n("inv")))))))) ;
    }

    /**
     * e = S^T kn; e_j = beta (v_j - e_j) (beta null: 1); S += kn e^T. kn at kOff, e at eOff in
     * scratch; v at vOff in vArray.
     */
    private List<Stmt> deltaStep(Expr beta, Expr kOff, Expr eOff, Expr vOff, String vArray) {
        int k = spec.keyWidth();
        int v = spec.valueWidth();
        Expr diff = sub(load(vArray, add(vOff, n("j"))), load("scratch", add(eOff, n("j"))));
        return List.of(
                op(new MacroOp.TransposeTimes("state", n("s"), n("K"), n("V"), "scratch", kOff, "scratch", eOff, null)),
                loop("j", n("V"), v <= UNROLL_LIMIT, List.of(store("scratch", add(eOff, n("j")), beta == null ? diff : mul(beta, diff)))),
                op(new MacroOp.RowUpdate("state", n("s"), n("K"), n("V"), "i", null, load("scratch", add(kOff, n("i"))), "scratch", eOff)));
    }

    private void deltaProduct(Ir.Body b, int k, int v) {
        b.add(real("g", call("sigmoid", proj("ROW_GATE", i(0)))),
              op(new MacroOp.RowUpdate("state", n("s"), n("K"), n("V"), "i", n("g"), null, null, null)));
        boolean un = spec.compositions() <= UNROLL_LIMIT;
        decisions.add(un ? "Householder compositions unrolled (N = " + spec.compositions() + ")" : "Householder compositions counted");
        Expr beta = call("sigmoid", load("proj", add(add(n("p"), n("ROW_COMP_BETAS")), n("n"))));
        List<Stmt> body = new ArrayList<>();
        body.addAll(normaliseKey(add(add(n("p"), n("ROW_COMP_KEYS")), mul(n("n"), n("K"))), 0));
        body.add(real("beta", spec.reflections() ? mul(r(2), beta) : beta));
        body.addAll(deltaStep(n("beta"), n("sc"), add(n("sc"), n("K")), add(add(n("p"), n("ROW_COMP_VALUES")), mul(n("n"), n("V"))), "proj"));
        b.add(loop("n", n("N"), un, body));
        b.add(readout());
    }

    private void rwkv7(Ir.Body b, int k, int v) {
        boolean un = k <= UNROLL_LIMIT;
        // scratch: [0,K) decay w, [K,2K) kappa-hat, [2K,3K) write vector b, [3K,4K) replacement key, [4K,5K) in-context rate, [5K,5K+V) p
        b.add(comment("per-key decay w = exp(-DECAY_SCALE sigmoid(.)) and in-context rate sigmoid(.), element-wise"));
        b.add(op(new MacroOp.Sigmoid("proj", add(n("p"), n("ROW_DECAY_VEC")), "scratch", n("sc"), n("K"), null, null)),
              op(new MacroOp.Exp("scratch", n("sc"), "scratch", n("sc"), n("K"), n("NEG_DECAY_SCALE"))),
              op(new MacroOp.Sigmoid("proj", add(n("p"), n("ROW_ICLR")), "scratch", add(n("sc"), mul(i(4), n("K"))), n("K"), null, null)));
        b.add(comment("removal key, write vector, replacement key"));
        b.add(realVar("ss", r(0)));
        b.add(loop("i", n("K"), un, List.of(
                real("kappa", mul(proj("ROW_KEY", n("i")), load("aux", add(add(n("ax"), n("AUX_XI")), n("i"))))),
                store("scratch", add(add(n("sc"), n("K")), n("i")), n("kappa")),
                Ir.addTo("ss", mul(n("kappa"), n("kappa"))))));
        b.add(real("norm", call("sqrt", n("ss"))),
              real("inv", new Expr.Cond(new Expr.Bin("<", n("norm"), r(1e-12)), r(0), Expr.div(r(1), n("norm")))));
        b.add(loop("i", n("K"), un, List.of(
                real("kh", mul(load("scratch", add(add(n("sc"), n("K")), n("i"))), n("inv"))),
                store("scratch", add(add(n("sc"), n("K")), n("i")), n("kh")),
                real("rate", load("scratch", add(add(n("sc"), mul(i(4), n("K"))), n("i")))),
                store("scratch", add(add(n("sc"), mul(i(2), n("K"))), n("i")), new Expr.Neg(mul(n("rate"), n("kh")))),
                store("scratch", add(add(n("sc"), mul(i(3), n("K"))), n("i")), mul(proj("ROW_KEY", n("i")),
                        add(r(1), mul(load("aux", add(add(n("ax"), n("AUX_ALPHA_RK")), n("i"))), sub(n("rate"), r(1)))))))));
        constants.add(Constant.ofReal("NEG_DECAY_SCALE", -RWKV7_C, "-DECAY_SCALE, the factor inside exp."));
        b.add(op(new MacroOp.RowUpdate("state", n("s"), n("K"), n("V"), "i", load("scratch", add(n("sc"), n("i"))), null, null, null)),
              op(new MacroOp.TransposeTimes("state", n("s"), n("K"), n("V"), "scratch", add(n("sc"), n("K")), "scratch", add(n("sc"), mul(i(5), n("K"))), null)),
              op(new MacroOp.RowUpdate("state", n("s"), n("K"), n("V"), "i", null, load("scratch", add(add(n("sc"), mul(i(2), n("K"))), n("i"))),
                      "scratch", add(n("sc"), mul(i(5), n("K"))))),
              op(new MacroOp.RowUpdate("state", n("s"), n("K"), n("V"), "i", null, load("scratch", add(add(n("sc"), mul(i(3), n("K"))), n("i"))),
                      "proj", add(n("p"), n("ROW_VALUE")))),
              readout());
    }

    private void logLinear(Ir.Body b, int k, int v) {
        helpers.add(Helper.SOFTPLUS);
        helpers.add(Helper.PUSH_LEAF);
        helpers.add(Helper.NEXT_MASK);
        // scratch: [0,K) leaf key, [K, K+KV) carry, [K+KV, K+KV+L) lambda, then V for a readout
        int carry = k;
        int lambdaAt = k + k * v;
        boolean normalise = spec.normalisedLeafKeys();
        decisions.add(normalise ? "leaf keys L2-normalised (inner " + spec.inner() + " is delta-family)"
                : "leaf keys used raw (inner " + spec.inner() + ")");
        if (normalise) {
            b.addAll(normaliseKey(add(n("p"), n("ROW_KEY")), 0));
        } else {
            b.add(loop("i", n("K"), k <= UNROLL_LIMIT, List.of(store("scratch", add(n("sc"), n("i")), proj("ROW_KEY", n("i"))))));
        }
        b.add(comment("leaf = k v^T, pushed into the binary counter of levels"));
        b.add(loop("i", n("K"), k <= UNROLL_LIMIT, List.of(loop("j", n("V"), v <= UNROLL_LIMIT, List.of(
                store("scratch", add(add(add(n("sc"), i(carry)), mul(n("i"), n("V"))), n("j")),
                        mul(load("scratch", add(n("sc"), n("i"))), proj("ROW_VALUE", n("j")))))))));
        b.add(integer("base", mul(n("h"), n("STATE_PER_HEAD"))));
        b.add(invoke("pushLeaf", n("state"), n("base"), n("scratch"), add(n("sc"), i(carry)), n("mask")));
        b.add(Ir.along("after", call("nextMask", n("mask"))));
        b.addAll(levelWeights(lambdaAt));
        b.add(loop("j", n("V"), v <= UNROLL_LIMIT, List.of(store("out", add(n("o"), n("j")), r(0)))));
        b.add(loop("l", n("L"), false, List.of(
                Ir.when(new Expr.Bin("&&", new Expr.Bin("!=", new Expr.Bin("&", n("after"), new Expr.Bin("<<", new Expr.LongLit(1), n("l"))), i(0)),
                                new Expr.Bin("!=", load("scratch", add(add(n("sc"), i(lambdaAt)), n("l"))), r(0))),
                        op(new MacroOp.TransposeTimes("state", add(n("base"), mul(n("l"), n("KV"))), n("K"), n("V"), "proj", add(n("p"), n("ROW_QUERY")),
                                "out", n("o"), load("scratch", add(add(n("sc"), i(lambdaAt)), n("l")))))))));
    }

    /** lambda_l = softplus(W_l x + LAMBDA_INIT) / sum_m softplus(...), into scratch at c + at. */
    private List<Stmt> levelWeights(int at) {
        return List.of(block(List.of(
                realVar("sum", r(0)),
                loop("l", n("L"), false, List.of(
                        real("sp", call("softplus", add(load("proj", add(add(n("p"), n("ROW_LAMBDA")), n("l"))), n("LAMBDA_INIT")))),
                        store("scratch", add(add(n("sc"), i(at)), n("l")), n("sp")),
                        Ir.addTo("sum", n("sp")))),
                loop("l", n("L"), false, List.of(store("scratch", add(add(n("sc"), i(at)), n("l")),
                        Expr.div(load("scratch", add(add(n("sc"), i(at)), n("l"))), n("sum"))))))));
    }

    // ------------------------------------------------------------------ token and sequence methods

    private List<Param> weightParams() {
        return List.of(real1("wIn", "fused input projection, see the layout constants"),
                real1("wOut", "output projection"),
                real1("aux", "element-wise weights (AUX_SIZE)"));
    }

    private KernelMethod step(boolean unrollHeads) {
        Ir.Body b = new Ir.Body();
        b.add(op(new MacroOp.MatVec("wIn", n("P"), i(0), n("P"), n("D"), "x", n("xOff"), "proj", i(0), false)));
        b.add(Ir.along("mask", load("meta", i(1))));
        b.add(Ir.parallel("h", n("H"), unrollHeads, List.of(
                invoke("headStep", n("h"), n("proj"), i(0), n("aux"), n("state"), n("concat"), i(0), n("scratch"), n("mask")))));
        if (spec.mode() == AttentionMode.LOG_LINEAR) {
            b.add(store("meta", i(1), call("nextMask", n("mask"))));
        }
        b.add(new Stmt.Store("meta", i(0), i(1), true));
        b.add(op(new MacroOp.MatVec("wOut", n("D"), i(0), n("D"), n("HV"), "concat", i(0), "y", n("yOff"), spec.tanhOutput())));
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

    private KernelMethod queryMethod(AttentionMode mode) {
        Ir.Body b = new Ir.Body();
        int k = spec.keyWidth();
        int v = spec.valueWidth();
        int d = spec.width();
        List<Stmt> head = new ArrayList<>();
        head.add(integer("p", mul(n("h"), n("HEAD_ROWS"))));
        head.add(integer("s", mul(n("h"), n("STATE_PER_HEAD"))));
        head.add(integer("o", mul(n("h"), n("V"))));
        if (mode == AttentionMode.HAWK) {
            head.add(loop("j", n("V"), v <= UNROLL_LIMIT, List.of(store("concat", add(n("o"), n("j")), load("state", add(n("s"), n("j")))))));
        } else {
            head.add(op(new MacroOp.MatVec("wIn", n("P"), add(n("p"), n("ROW_QUERY")), n("K"), n("D"), "x", n("xOff"), "proj", add(n("p"), n("ROW_QUERY")), false)));
            if (mode == AttentionMode.LOG_LINEAR) {
                int lambdaAt = k + k * v;
                head.add(integer("sc", mul(n("h"), n("SCRATCH_PER_HEAD"))));
                head.add(op(new MacroOp.MatVec("wIn", n("P"), add(n("p"), n("ROW_LAMBDA")), n("L"), n("D"), "x", n("xOff"),
                        "proj", add(n("p"), n("ROW_LAMBDA")), false)));
                head.addAll(levelWeights(lambdaAt));
                head.add(loop("j", n("V"), v <= UNROLL_LIMIT, List.of(store("concat", add(n("o"), n("j")), r(0)))));
                head.add(loop("l", n("L"), false, List.of(
                        Ir.when(new Expr.Bin("&&", new Expr.Bin("!=", new Expr.Bin("&", load("meta", i(1)), new Expr.Bin("<<", new Expr.LongLit(1), n("l"))), i(0)),
                                        new Expr.Bin("!=", load("scratch", add(add(n("sc"), i(lambdaAt)), n("l"))), r(0))),
                                op(new MacroOp.TransposeTimes("state", add(n("s"), mul(n("l"), n("KV"))), n("K"), n("V"), "proj", add(n("p"), n("ROW_QUERY")),
                                        "concat", n("o"), load("scratch", add(add(n("sc"), i(lambdaAt)), n("l")))))))));
            } else {
                head.add(op(new MacroOp.TransposeTimes("state", n("s"), n("K"), n("V"), "proj", add(n("p"), n("ROW_QUERY")), "concat", n("o"), null)));
            }
        }
        b.add(Ir.parallel("h", n("H"), false, head));
        b.add(op(new MacroOp.MatVec("wOut", n("D"), i(0), n("D"), n("HV"), "concat", i(0), "y", n("yOff"), mode == AttentionMode.LOG_LINEAR)));
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
                + (mode == AttentionMode.LOG_LINEAR ? "; tanh as LogLinear's forward." : "; no tanh, as the reference."), params, b.build());
    }

    private KernelMethod scanHead() {
        Ir.Body b = new Ir.Body();
        b.add(Ir.alongVar("m", n("mask")));
        List<Stmt> body = new ArrayList<>();
        body.add(invoke("headStep", n("h"), n("proj"), mul(n("t"), n("P_PAD")), n("aux"), n("state"), n("concat"), mul(n("t"), n("HV")), n("scratch"), n("m")));
        if (spec.mode() == AttentionMode.LOG_LINEAR) {
            body.add(set("m", call("nextMask", n("m"))));
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
        List<Param> params = List.of(real1("wIn", "fused input projection"), real1("xs", "inputs [tokens][D]"),
                real1("proj", "projections [tokens][P_PAD]"), new Param(Type.INT, "tokens", "sequence length"));
        return new KernelMethod("projectSequence", "Projects every token of a sequence at once (a GEMM).", params,
                List.of(op(new MacroOp.Gemm("wIn", n("P"), n("D"), "xs", n("D"), "proj", n("P_PAD"), n("tokens"), false)))).asTask();
    }

    private KernelMethod outputSequence() {
        List<Param> params = List.of(real1("wOut", "output projection"), real1("concat", "head outputs [tokens][HV]"),
                real1("ys", "outputs [tokens][D]"), new Param(Type.INT, "tokens", "sequence length"));
        return new KernelMethod("outputSequence", "Output projection of every token of a sequence at once (a GEMM)"
                + (spec.tanhOutput() ? ", with tanh." : "."), params,
                List.of(op(new MacroOp.Gemm("wOut", n("D"), n("HV"), "concat", n("HV"), "ys", n("D"), n("tokens"), spec.tanhOutput())))).asTask();
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
        if (spec.mode() == AttentionMode.LOG_LINEAR) {
            b.add(Ir.alongVar("m", load("meta", i(1))));
            b.add(loop("t", n("tokens"), false, List.of(set("m", call("nextMask", n("m"))))));
            b.add(store("meta", i(1), n("m")));
        }
        b.add(new Stmt.Store("meta", i(0), n("tokens"), true));
        List<Param> params = List.of(new Param(Type.LONG_ARRAY, "meta", "{tokens, LogLinear level mask}, updated"),
                new Param(Type.INT, "tokens", "tokens just processed"));
        return new KernelMethod("advance", "Counts a processed sequence in the stream's meta data"
                + (spec.mode() == AttentionMode.LOG_LINEAR ? " and advances LogLinear's level mask." : "."), params, b.build()).asTask();
    }

    private KernelMethod forward() {
        Ir.Body b = new Ir.Body();
        // the same four device tasks the TornadoVM glue runs, in the same order
        b.add(invoke("projectSequence", n("wIn"), n("xs"), n("proj"), n("tokens")));
        b.add(invoke("scanHeads", n("proj"), n("aux"), n("state"), n("meta"), n("concat"), n("scratch"), n("tokens")));
        b.add(invoke("advance", n("meta"), n("tokens")));
        b.add(invoke("outputSequence", n("wOut"), n("concat"), n("ys"), n("tokens")));
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
