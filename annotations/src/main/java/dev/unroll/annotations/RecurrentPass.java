package dev.unroll.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Re-runs the inclusive layer block {@code loopStart..loopEnd} of a {@link Transformer}
 * {@code depth} times ("anacrousis"). Feedback vectors and the sustained flag are run-time
 * inputs (see the runtime's {@code RecurrentPassSpec}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface RecurrentPass {
    /** {@return first layer of the block (inclusive).} */
    int loopStart();

    /** {@return last layer of the block (inclusive); must be below the layer count.} */
    int loopEnd();

    /** {@return how many times the block runs in total; 1 means no recurrence.} */
    int depth() default 2;
}
