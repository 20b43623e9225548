package dev.unroll.cli;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.registry.Family;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import java.util.List;
import java.util.Locale;

/** Finds generated kernels on the class path by the name a user types. */
final class Targets {
    private Targets() {}

    /** @return a short name: the simple name the descriptor's generated classes start with ({@code Gla_D16}) */
    static String shortName(KernelProvider<?, ?, ?> p) {
        String base = p.baseName();
        return base.substring(base.lastIndexOf('.') + 1);
    }

    /**
     * @param family the family, or null for any
     * @param name a generated class (simple or qualified) or an annotated type ({@code Gla.D16}, qualified or not)
     * @return the one matching kernel
     */
    static KernelProvider<?, ?, ?> find(Family family, String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('$', '.');
        List<KernelProvider<?, ?, ?>> all = of(family);
        List<KernelProvider<?, ?, ?>> hits = all.stream().filter(p -> matches(p, n)).toList();
        if (hits.isEmpty()) {
            // an enclosing type's name (Gla for Gla.D16, Gla.D64, ...): unique or ambiguous
            hits = all.stream().filter(p -> p.annotatedType().toLowerCase(Locale.ROOT).replace('$', '.').contains("." + n + ".")).toList();
        }
        if (hits.size() == 1) {
            return hits.get(0);
        }
        String what = family == null ? "generated kernel" : family + " kernel";
        if (hits.isEmpty()) {
            throw new UnrollException("no " + what + " named " + name + " on the class path (unroll inspect lists them)");
        }
        throw new UnrollException(name + " matches " + hits.size() + " " + what + "s: "
                + String.join(", ", hits.stream().map(Targets::shortName).toList()));
    }

    private static boolean matches(KernelProvider<?, ?, ?> p, String n) {
        String generated = p.generatedClass().toLowerCase(Locale.ROOT);
        String simpleGenerated = generated.substring(generated.lastIndexOf('.') + 1);
        String annotated = p.annotatedType().toLowerCase(Locale.ROOT).replace('$', '.');
        return generated.equals(n) || simpleGenerated.equals(n) || annotated.equals(n) || annotated.endsWith("." + n)
                || shortName(p).toLowerCase(Locale.ROOT).equals(n);
    }

    /** @return every registered kernel of a family (null: all), in class-path order */
    static List<KernelProvider<?, ?, ?>> of(Family family) {
        return family == null ? KernelRegistry.all() : KernelRegistry.of(family);
    }
}
