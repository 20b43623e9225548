package dev.unroll.processor.host;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;

/** Short constructors of {@link HostStep}s, so that a host planner reads like the code it plans. */
public final class Steps {
    private Steps() {}

    /**
     * @param format a JavaPoet format
     * @param args its arguments
     * @return the code
     */
    public static CodeBlock code(String format, Object... args) {
        return CodeBlock.of(format, args);
    }

    /**
     * @param args arguments: a {@link CodeBlock} as it is, a list as its elements (a packed matrix's arrays), anything
     *     else as its text
     * @return them as code, one per argument
     */
    public static List<CodeBlock> args(Object... args) {
        List<CodeBlock> out = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof List<?> list) {
                out.addAll(args(list.toArray()));
            } else {
                out.add(a instanceof CodeBlock c ? c : CodeBlock.of("$L", a));
            }
        }
        return out;
    }

    /**
     * @param type the local's type
     * @param name its name
     * @param format its value, a JavaPoet format
     * @param args the format's arguments
     * @return the declaration
     */
    public static HostStep let(TypeName type, String name, String format, Object... args) {
        return new HostStep.Let(type, name, CodeBlock.of(format, args));
    }

    /**
     * @param kernel a kernel method
     * @param args its arguments (see {@link #args})
     * @return the call, in the object's flavour
     */
    public static HostStep.Kernel kernel(String kernel, Object... args) {
        return new HostStep.Kernel(kernel, args(args));
    }

    /**
     * @param split how to cut the work
     * @param extents the split's sizes (see {@link #args})
     * @param call the kernel call over the split's default lambda parameters
     * @return the step
     */
    public static HostStep parallel(HostStep.Split split, List<CodeBlock> extents, HostStep.Kernel call) {
        return new HostStep.Parallel(split, extents, split.params(), call);
    }

    /**
     * @param split how to cut the work
     * @param extents the split's sizes
     * @param names the lambda's parameters
     * @param call the kernel call over them
     * @return the step
     */
    public static HostStep parallel(HostStep.Split split, List<CodeBlock> extents, List<String> names, HostStep.Kernel call) {
        return new HostStep.Parallel(split, extents, names, call);
    }

    /**
     * @param format a statement, a JavaPoet format (no semicolon)
     * @param args the format's arguments
     * @return the step
     */
    public static HostStep run(String format, Object... args) {
        return new HostStep.Run(CodeBlock.of(format, args));
    }

    /**
     * @param var the index
     * @param bound its bound
     * @param comment why, or empty
     * @param body the steps
     * @return the loop
     */
    public static HostStep loop(String var, CodeBlock bound, String comment, HostStep... body) {
        return new HostStep.Loop(var, CodeBlock.of("0"), bound, comment, List.of(body));
    }

    /**
     * @param condition the condition
     * @param then the steps when it holds
     * @return the branch
     */
    public static HostStep when(CodeBlock condition, HostStep... then) {
        return new HostStep.If(condition, List.of(then), List.of());
    }

    /**
     * @param condition the condition
     * @param then the steps when it holds
     * @param otherwise the steps when it does not
     * @return the branch
     */
    public static HostStep either(CodeBlock condition, List<HostStep> then, List<HostStep> otherwise) {
        return new HostStep.If(condition, then, otherwise);
    }

    /**
     * @param point the hook point
     * @param layer the layer expression
     * @param pass the pass expression
     * @param pos the position expression
     * @param value the vector
     * @return the hook step
     */
    public static HostStep hook(String point, String layer, String pass, String pos, String value) {
        return new HostStep.Hook(point, CodeBlock.of("$L", layer), CodeBlock.of("$L", pass), CodeBlock.of("$L", pos), CodeBlock.of("$L", value));
    }

    /**
     * @param text a comment
     * @return the step
     */
    public static HostStep comment(String text) {
        return new HostStep.Comment(text);
    }

    /**
     * @param format the value, a JavaPoet format
     * @param args its arguments
     * @return the return step
     */
    public static HostStep ret(String format, Object... args) {
        return new HostStep.Return(CodeBlock.of(format, args));
    }

    /** @return a plain {@code return} */
    public static HostStep ret() {
        return new HostStep.Return(null);
    }
}
