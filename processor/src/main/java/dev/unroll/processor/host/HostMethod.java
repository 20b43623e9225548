package dev.unroll.processor.host;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * An entry point, helper, factory or constructor of the host class.
 *
 * @param name the method's name ({@code <init>} for a constructor)
 * @param modifiers its modifiers
 * @param override whether it implements or overrides a base method
 * @param returns its result type ({@code void} for none; ignored for a constructor)
 * @param params its parameters
 * @param doc its javadoc, or empty
 * @param body its steps
 */
public record HostMethod(String name, Set<Modifier> modifiers, boolean override, TypeName returns, List<Param> params, CodeBlock doc,
        List<HostStep> body) {
    /** The name that marks a constructor. */
    public static final String CONSTRUCTOR = "<init>";

    /**
     * A parameter.
     *
     * @param type its type
     * @param name its name
     */
    public record Param(TypeName type, String name) {}

    /** @return whether this is a constructor */
    public boolean constructor() {
        return name.equals(CONSTRUCTOR);
    }

    /**
     * @param name the method's name
     * @param returns its result type
     * @param modifiers its modifiers
     * @return a builder
     */
    public static Builder method(String name, TypeName returns, Modifier... modifiers) {
        return new Builder(name, returns, modifiers);
    }

    /**
     * @param modifiers the constructor's modifiers
     * @return a builder
     */
    public static Builder constructor(Modifier... modifiers) {
        return new Builder(CONSTRUCTOR, TypeName.VOID, modifiers);
    }

    /** Builds a {@link HostMethod}. */
    public static final class Builder {
        private final String name;
        private final TypeName returns;
        private final Set<Modifier> modifiers;
        private boolean override;
        private final List<Param> params = new java.util.ArrayList<>();
        private final CodeBlock.Builder doc = CodeBlock.builder();
        private final List<HostStep> body = new java.util.ArrayList<>();

        private Builder(String name, TypeName returns, Modifier... modifiers) {
            this.name = name;
            this.returns = returns;
            this.modifiers = Set.of(modifiers);
        }

        /** @return this, marked {@code @Override} */
        public Builder override() {
            override = true;
            return this;
        }

        /**
         * @param type the parameter's type
         * @param name its name
         * @return this
         */
        public Builder param(TypeName type, String name) {
            params.add(new Param(type, name));
            return this;
        }

        /**
         * @param format javadoc, a JavaPoet format
         * @param args its arguments
         * @return this
         */
        public Builder doc(String format, Object... args) {
            doc.add(format, args);
            return this;
        }

        /**
         * @param steps steps to append
         * @return this
         */
        public Builder steps(HostStep... steps) {
            body.addAll(List.of(steps));
            return this;
        }

        /**
         * @param steps steps to append
         * @return this
         */
        public Builder steps(List<HostStep> steps) {
            body.addAll(steps);
            return this;
        }

        /** @return the method */
        public HostMethod build() {
            return new HostMethod(name, modifiers, override, returns, List.copyOf(params), doc.build(), List.copyOf(body));
        }
    }
}
