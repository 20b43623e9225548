package dev.unroll.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.unroll.processor.plan.MacroOp;

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
}
