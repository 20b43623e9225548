package dev.unroll.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type that Unroll's processor generated, and the descriptor it was generated from. The
 * processor recognises its own earlier output by it (an incremental build that recompiles a descriptor
 * while the previous output is still on the source or class path is not a name clash), and tools can
 * tell generated code from written code by it. Kept in class files, invisible to reflection.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface UnrollGenerated {
    /** @return the qualified name of the annotated descriptor the type was generated from */
    String value();
}
