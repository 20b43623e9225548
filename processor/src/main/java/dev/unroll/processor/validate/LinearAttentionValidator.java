package dev.unroll.processor.validate;

import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import java.util.Set;

/** Validates a raw {@code @LinearAttention}: the rules are the runtime's, shared with run-time builders. */
public final class LinearAttentionValidator {
    private LinearAttentionValidator() {}

    /**
     * @param raw the values read
     * @param explicit members written explicitly
     * @return findings in rule order
     */
    public static List<Violation> validate(AttentionSpec.Builder raw, Set<String> explicit) {
        return raw.check(explicit);
    }
}
