package dev.unroll.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unroll.processor.plan.Helper;
import dev.unroll.processor.plan.MathFn;
import javax.lang.model.element.Modifier;

/**
 * The scalar helpers a kernel class may need, written in the plan's precision and maths style.
 * They follow the reference's formulas exactly (branches and constants included).
 */
final class Helpers {
    private Helpers() {}

    static MethodSpec of(Helper h, ExprWriter w) {
        String t = w.realType();
        TypeName real = t.equals("float") ? TypeName.FLOAT : TypeName.DOUBLE;
        TypeName array = t.equals("float") ? TypeName.get(float[].class) : TypeName.get(double[].class);
        String zero = w.real(0);
        String one = w.real(1);
        return switch (h) {
            case SIGMOID -> MethodSpec.methodBuilder("sigmoid")
                    .addJavadoc("The reference's sigmoid: {@code 1/(1+e^-x)} for x >= 0, {@code e^x/(1+e^x)} below, so exp never overflows.\n")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(real).addParameter(real, "x")
                    .addCode(CodeBlock.builder()
                            .beginControlFlow("if (x >= $L)", zero)
                            .addStatement("return $L / ($L + $L)", one, one, w.math(MathFn.EXP, "-x"))
                            .endControlFlow()
                            .addStatement("final $L e = $L", t, w.math(MathFn.EXP, "x"))
                            .addStatement("return e / ($L + e)", one)
                            .build())
                    .build();
            case SOFTPLUS -> MethodSpec.methodBuilder("softplus")
                    .addJavadoc("The reference's softplus: x above 20, e^x below -20, else {@code log(1 + e^x)}.\n")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(real).addParameter(real, "x")
                    .addCode(CodeBlock.builder()
                            .beginControlFlow("if (x > $L)", w.real(20))
                            .addStatement("return x")
                            .endControlFlow()
                            .beginControlFlow("if (x < $L)", w.real(-20))
                            .addStatement("return $L", w.math(MathFn.EXP, "x"))
                            .endControlFlow()
                            .addStatement("return $L", w.math(MathFn.LOG, one + " + " + w.math(MathFn.EXP, "x")))
                            .build())
                    .build();
            case RWKV_DECAY -> MethodSpec.methodBuilder("rwkvDecay")
                    .addJavadoc("RWKV's decay for gate logit z: the reference's round trip through {@code w = -ln(gate)} is kept, so it can differ from gate by one ulp.\n")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(real).addParameter(real, "z")
                    .addCode(CodeBlock.builder()
                            .addStatement("final $L rate = INITIAL_DECAY + softplus(z)", t)
                            .addStatement("final $L gate = $L", t, w.math(MathFn.EXP, "-rate"))
                            .addStatement("final $L wexp = gate > $L ? -$L : $L", t, w.real(1e-30), w.math(MathFn.LOG, "gate"), w.real(50))
                            .addStatement("return $L", w.math(MathFn.EXP, "-wexp"))
                            .build())
                    .build();
            case PUSH_LEAF -> MethodSpec.methodBuilder("pushLeaf")
                    .addJavadoc("Pushes one head's leaf into its binary counter of levels: level l holds the plain sum of a 2^l-token\n"
                            + "group; a full counter folds the carry into level L - 1. The carry in scratch is consumed.\n"
                            + "Structured on purpose (no return inside the loop): TornadoVM 5.2 compiles an early return from a\n"
                            + "loop of an inlined method as a break and then runs the code after the loop.\n")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addParameter(array, "state")
                    .addParameter(TypeName.INT, "base")
                    .addParameter(array, "carry")
                    .addParameter(TypeName.INT, "cOff")
                    .addParameter(TypeName.LONG, "mask")
                    .addCode(CodeBlock.builder()
                            .addStatement("boolean placed = false")
                            .beginControlFlow("for (int l = 0; l < L; l++)")
                            .beginControlFlow("if (!placed)")
                            .addStatement("final int lv = base + l * KV")
                            .beginControlFlow("if ((mask & (1L << l)) == 0)")
                            .beginControlFlow("for (int x = 0; x < KV; x++)")
                            .addStatement("state[lv + x] = carry[cOff + x]")
                            .endControlFlow()
                            .addStatement("placed = true")
                            .nextControlFlow("else")
                            .beginControlFlow("for (int x = 0; x < KV; x++)")
                            .addStatement("carry[cOff + x] = carry[cOff + x] + state[lv + x]")
                            .addStatement("state[lv + x] = $L", zero)
                            .endControlFlow()
                            .endControlFlow()
                            .endControlFlow()
                            .endControlFlow()
                            .beginControlFlow("if (!placed)")
                            .addStatement("final int top = base + (L - 1) * KV")
                            .beginControlFlow("for (int x = 0; x < KV; x++)")
                            .addStatement("state[top + x] += carry[cOff + x]")
                            .endControlFlow()
                            .endControlFlow()
                            .build())
                    .build();
            case NEXT_MASK -> MethodSpec.methodBuilder("nextMask")
                    .addJavadoc("The active levels after one push onto {@code mask} (see pushLeaf, structured the same way).\n")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(TypeName.LONG).addParameter(TypeName.LONG, "mask")
                    .addCode(CodeBlock.builder()
                            .addStatement("long m = mask")
                            .addStatement("boolean placed = false")
                            .beginControlFlow("for (int l = 0; l < L; l++)")
                            .beginControlFlow("if (!placed)")
                            .beginControlFlow("if ((m & (1L << l)) == 0)")
                            .addStatement("m |= 1L << l")
                            .addStatement("placed = true")
                            .nextControlFlow("else")
                            .addStatement("m &= ~(1L << l)")
                            .endControlFlow()
                            .endControlFlow()
                            .endControlFlow()
                            .addStatement("return placed ? m : m | (1L << (L - 1))")
                            .build())
                    .build();
        };
    }
}
