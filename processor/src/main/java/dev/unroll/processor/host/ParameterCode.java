package dev.unroll.processor.host;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.unroll.runtime.spec.Parameter;
import java.util.Locale;

/**
 * Writes a descriptor's values into generated code the way the family's parameter table names them:
 * {@code .set(TrmSpec.HIDDEN, 512)}, a parameter's constant being its member name in upper snake case
 * ({@code latentSteps} is {@code LATENT_STEPS}).
 */
public final class ParameterCode {
    private ParameterCode() {}

    /**
     * @param p a parameter
     * @return the name of its constant in its spec class
     */
    public static String constant(Parameter<?> p) {
        return p.name().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /**
     * @param spec the spec class declaring the parameter's constant
     * @param p the parameter
     * @param value its value
     * @return {@code .set(Spec.CONSTANT, value)} on a line of its own (inside a builder chain that {@link #chain} indents)
     */
    public static CodeBlock set(ClassName spec, Parameter<?> p, Object value) {
        return CodeBlock.of("\n.set($T.$L, $L)", spec, constant(p), literal(value));
    }

    /**
     * @param start the builder expression
     * @param calls the calls, each starting with a line break
     * @param end the last call, e.g. {@code .buildUnchecked()}
     * @return the chain, one call per line, indented under its start
     */
    public static CodeBlock chain(CodeBlock start, CodeBlock calls, String end) {
        return CodeBlock.builder().add(start).add("$>$>").add(calls).add("\n$L$<$<", end).build();
    }

    /**
     * @param value a parameter's value
     * @return it as a Java literal: {@code 42L} for a long, {@code Enum.CONSTANT} for an enum constant
     */
    public static CodeBlock literal(Object value) {
        if (value instanceof Enum<?> e) {
            return CodeBlock.of("$T.$L", e.getDeclaringClass(), e.name());
        }
        if (value instanceof Long l) {
            return CodeBlock.of("$LL", l);
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return CodeBlock.of(d.isNaN() ? "$T.NaN" : d > 0 ? "$T.POSITIVE_INFINITY" : "$T.NEGATIVE_INFINITY", Double.class);
        }
        return CodeBlock.of("$L", value);
    }

    /**
     * @param field a {@code PackedMatrix} field, as generated code names it
     * @param format its format
     * @return the arrays a kernel takes for it: {@code .f32}, {@code .bf16}, or {@code .q8} or {@code .q4} and {@code .scales}
     */
    public static java.util.List<String> packedArguments(String field, dev.unroll.annotations.WeightFormat format) {
        return switch (format) {
            case F32 -> java.util.List.of(field + ".f32");
            case BF16 -> java.util.List.of(field + ".bf16");
            case Q8 -> java.util.List.of(field + ".q8", field + ".scales");
            case Q4 -> java.util.List.of(field + ".q4", field + ".scales");
        };
    }
}
