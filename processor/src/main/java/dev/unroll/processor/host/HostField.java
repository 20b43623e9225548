package dev.unroll.processor.host;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * A field of the host class, by role.
 *
 * @param role what it holds
 * @param type its type
 * @param name its name
 * @param modifiers its modifiers
 * @param init its initialiser, or null (set by the constructors)
 * @param doc its javadoc
 */
public record HostField(Role role, TypeName type, String name, Set<Modifier> modifiers, CodeBlock init, CodeBlock doc) {
    /** What a field holds. */
    public enum Role {
        /** The descriptor ({@code SPEC}). */
        DESCRIPTOR,
        /** A constant derived from the descriptor (a schedule, a layout table). */
        CONSTANT,
        /** Weights in the layout the kernels read (the TornadoVM glue uploads them as they are). */
        WEIGHTS,
        /** State that persists across calls (a glue's stream, its model). */
        STATE,
        /** Host arrays a glue moves to or from the device on every execution (inputs, outputs, flags). */
        STAGING,
        /** Device scratch a glue allocates once. */
        BUFFER,
        /** A glue's compiled task graphs and their latest result. */
        PLAN
    }
}
