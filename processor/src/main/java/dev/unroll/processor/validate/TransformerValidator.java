package dev.unroll.processor.validate;

import dev.unroll.runtime.spec.Violation;
import dev.unroll.runtime.transformer.TransformerSpec;
import java.util.List;
import java.util.Set;

/** Validates {@code @Transformer} (and its {@code @RecurrentPass}) with the runtime's rules. */
public final class TransformerValidator {
    private TransformerValidator() {}

    /**
     * @param raw the values read
     * @param explicit members written explicitly on {@code @Transformer}
     * @return findings in rule order
     */
    public static List<Violation> validate(TransformerSpec.Builder raw, Set<String> explicit) {
        return raw.check(explicit);
    }
}
