package dev.unroll.processor.validate;

import dev.unroll.runtime.spec.Violation;
import dev.unroll.runtime.trm.TrmSpec;
import java.util.List;
import java.util.Set;

/** Validates a raw {@code @TinyRecursiveModel} with the runtime's rules. */
public final class TrmValidator {
    private TrmValidator() {}

    /**
     * @param raw the values read
     * @param explicit members written explicitly
     * @return findings in rule order
     */
    public static List<Violation> validate(TrmSpec.Builder raw, Set<String> explicit) {
        return raw.check(explicit);
    }
}
