package dev.unroll.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unroll.processor.plan.MacroOp;
import java.util.List;

/** How one flavour turns a {@link MacroOp} into Java statements. */
interface Lowering {
    /**
     * @param op the operation
     * @param code where to write
     * @param scope bound loop variables
     */
    void lower(MacroOp op, CodeBlock.Builder code, Scope scope);

    /** @param task whether the method being written is a device task (may annotate its parallel loops) */
    default void inTask(boolean task) {}

    /** @return private methods the lowered code calls, in first-use order */
    default List<MethodSpec> methods() {
        return List.of();
    }
}
