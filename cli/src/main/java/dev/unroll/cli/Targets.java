package dev.unroll.cli;

import dev.unroll.annotations.WeightFormat;
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
        throw new UnrollException(name + " matches " + hits.size() + " " + what + "s: " + String.join(", ", names(hits)));
    }

    /** Short names, or the annotated types' qualified names where two short names are the same. */
    static List<String> names(List<KernelProvider<?, ?, ?>> hits) {
        long distinct = hits.stream().map(Targets::shortName).distinct().count();
        return hits.stream().map(p -> distinct == hits.size() ? shortName(p) : p.annotatedType().replace('$', '.')).toList();
    }

    /**
     * @param p a kernel
     * @return its descriptor as the annotation reads, with every member: {@code weights} too when the
     *     matrices are stored compactly (a BF16 or Q8 kernel's spec alone reads like its F32 twin's)
     */
    static String describe(KernelProvider<?, ?, ?> p) {
        String d = describeSpec(p.spec());
        if (p.weights() == WeightFormat.F32 || !d.endsWith(")")) {
            return d;
        }
        return d.substring(0, d.length() - 1) + ", weights = " + p.weights() + ")";
    }

    private static String describeSpec(Object spec) {
        try {
            return (String) spec.getClass().getMethod("describe").invoke(spec);
        } catch (ReflectiveOperationException e) {
            return spec.toString();
        }
    }

    /**
     * The kernel a command runs when none is named: the first registered one that stores its
     * matrices in F32 and computes in F32 (the plain example), else the first registered one.
     *
     * @param family the family
     * @return the kernel
     */
    static KernelProvider<?, ?, ?> first(Family family) {
        List<KernelProvider<?, ?, ?>> all = of(family);
        if (all.isEmpty()) {
            throw new UnrollException("no generated " + family + " kernel on the class path");
        }
        return all.stream().filter(p -> p.weights() == WeightFormat.F32 && !describe(p).contains("precision = F64")).findFirst().orElse(all.get(0));
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
