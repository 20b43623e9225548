package dev.unroll.cli;

import dev.unroll.runtime.registry.Family;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;

/**
 * Completion candidates of a KERNEL parameter: the names {@link Targets} finds on the class path
 * (short names, qualified where two are the same), so that {@code unroll generate-completion}
 * offers them. Read only when iterated; a class path it cannot read gives no candidates, never an
 * error.
 */
class KernelNames implements Iterable<String> {
    private final Family family;

    /** Every generated kernel. */
    KernelNames() {
        this(null);
    }

    private KernelNames(Family family) {
        this.family = family;
    }

    @Override
    public Iterator<String> iterator() {
        return names(family).iterator();
    }

    /**
     * @param family a family, or null for every kernel
     * @return its kernels' names as commands accept them, or none when the registry cannot be read
     */
    static List<String> names(Family family) {
        try {
            return List.copyOf(Targets.names(Targets.of(family)));
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            return Collections.emptyList();
        }
    }

    /** The generated linear-attention layers. */
    static final class Attention extends KernelNames {
        Attention() {
            super(Family.LINEAR_ATTENTION);
        }
    }

    /** The generated TRM models. */
    static final class Trm extends KernelNames {
        Trm() {
            super(Family.TRM);
        }
    }
}
