package dev.unroll.processor.plan;

import static dev.unroll.processor.plan.Expr.add;
import static dev.unroll.processor.plan.Expr.call;
import static dev.unroll.processor.plan.Expr.div;
import static dev.unroll.processor.plan.Expr.load;
import static dev.unroll.processor.plan.Expr.mul;
import static dev.unroll.processor.plan.Expr.n;
import static dev.unroll.processor.plan.Expr.r;
import static dev.unroll.processor.plan.Ir.addTo;
import static dev.unroll.processor.plan.Ir.integer;
import static dev.unroll.processor.plan.Ir.loop;
import static dev.unroll.processor.plan.Ir.real;
import static dev.unroll.processor.plan.Ir.realVar;
import static dev.unroll.processor.plan.Ir.set;
import static dev.unroll.processor.plan.Ir.store;
import static dev.unroll.processor.plan.Ir.storeAdd;
import static dev.unroll.processor.plan.TransformerPlanner.arr;
import static dev.unroll.processor.plan.TransformerPlanner.intParam;

import dev.unroll.runtime.transformer.TransformerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernels some decoders run between the q/k/v projections and RoPE, planned only for a
 * descriptor that asks for them: Qwen2's biases ({@code qkvBias}: {@code v += bias}) and Qwen3's
 * RMSNorm of each query and key head ({@code qkNorm}, in place, in the model's RMS norm order with a
 * weight of head width). Each comes for one token's vector and for a block's rows.
 */
final class TransformerHeadOps {
    private final TransformerSpec spec;

    /** @param spec the decoder */
    TransformerHeadOps(TransformerSpec spec) {
        this.spec = spec;
    }

    /** @return the kernels the descriptor needs (none for a Llama) */
    List<KernelMethod> methods() {
        List<KernelMethod> m = new ArrayList<>();
        if (spec.qkvBias()) {
            m.add(addBias());
            m.add(addBiasRows());
        }
        if (spec.qkNorm()) {
            m.add(headNorm());
            m.add(headNormRows());
        }
        return m;
    }

    private static KernelMethod addBias() {
        return new KernelMethod("addBias", "Adds a projection's bias: {@code v[off + i] += bias[i]} for i below {@code count}.",
                List.of(arr("v", "the projection's output"), intParam("off", "where it starts in v"), arr("bias", "the bias [count]"),
                        intParam("count", "its width")),
                List.of(loop("i", n("count"), storeAdd("v", add(n("off"), n("i")), load("bias", n("i"))))));
    }

    private static KernelMethod addBiasRows() {
        Expr at = add(mul(n("t"), n("width")), n("i"));
        return new KernelMethod("addBiasRows", "Adds a projection's bias to rows [t0, t1) of a block: {@code v[t][i] += bias[i]}.",
                List.of(arr("v", "block rows [rows][width]"), arr("bias", "the bias [width]"), intParam("width", "a row's width"),
                        intParam("t0", "first row of the block"), intParam("t1", "row bound")),
                List.of(Ir.range("t", n("t0"), n("t1"), false, loop("i", n("width"), storeAdd("v", at, load("bias", n("i")))))));
    }

    private static KernelMethod headNorm() {
        return new KernelMethod("headNorm", "RMS norm of each of {@code heads} heads of v in place, from {@code off}: "
                + "{@code v[h] = w * (v[h] * (1 / sqrt(mean(v[h]^2) + eps)))}.",
                List.of(arr("v", "queries or keys, normalised in place"), intParam("off", "where the first head starts in v"),
                        intParam("heads", "heads to normalise"), arr("w", "the norm's weight [HD]")),
                List.of(loop("h", n("heads"), false, rmsHead(add(n("off"), mul(n("h"), n("HD")))))));
    }

    private static KernelMethod headNormRows() {
        return new KernelMethod("headNormRows", "RMS norm of each head of rows [t0, t1) of a block, in place (the token kernel's order).",
                List.of(arr("v", "block rows [rows][heads * HD]"), intParam("heads", "heads in a row"), arr("w", "the norm's weight [HD]"),
                        intParam("t0", "first row of the block"), intParam("t1", "row bound")),
                List.of(Ir.range("t", n("t0"), n("t1"), false, loop("h", n("heads"), false,
                        rmsHead(mul(add(mul(n("t"), n("heads")), n("h")), n("HD")))))));
    }

    /** The RMS norm of {@code v[base .. base + HD)} in place, as {@link TransformerPlanner#rmsnormAt} orders it. */
    private static List<Stmt> rmsHead(Expr base) {
        Expr at = add(n("base"), n("e"));
        return List.of(
                integer("base", base),
                realVar("ss", r(0)),
                loop("e", n("HD"), false, List.of(addTo("ss", mul(load("v", at), load("v", at))))),
                set("ss", div(n("ss"), n("HD"))),
                addTo("ss", n("EPS")),
                real("inv", div(r(1), call(MathFn.SQRT, n("ss")))),
                loop("e", n("HD"), false, List.of(store("v", at, mul(load("w", n("e")), mul(n("inv"), load("v", at)))))));
    }
}
