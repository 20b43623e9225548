package dev.unroll.examples.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.attention.Gla;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.codegen.GeneratedLinearAttention;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.codegen.GeneratedTrm;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.sweep.RuntimeValues;
import dev.unroll.runtime.sweep.Surface;
import dev.unroll.runtime.sweep.Sweep;
import dev.unroll.runtime.sweep.Values;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmWeights;
import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The generated-kernel side of the API under the generated hostile-argument sweep (see
 * {@code RuntimeApiSweepTest}, which covers the runtime's own classes): the kernel providers the
 * registry hands out, the layer and model interfaces on generated layers and models, and every
 * public method of every generated layer, model and provider class (found by reflection, so a new
 * descriptor or a new generated method is swept without anyone listing it), and the public methods
 * of {@code codegen}'s three bases on generated instances (the runtime's sweep leaves {@code codegen}
 * to this one); {@code codegen}'s static helpers, which only generated code calls with the
 * generator's own sizes, are exempted by reflection, each named in the report. The generated
 * {@code *Kernels}, {@code *SimdKernels} and TornadoVM classes are compute kernels over primitive
 * arrays in the subset TornadoVM compiles, where nothing can throw; every checked entry point in front
 * of them (layer, model, provider) is swept here.
 */
class GeneratedApiSweepTest {
    static final List<String> GENERATED = List.of("dev.unroll.examples.attention", "dev.unroll.examples.transformer", "dev.unroll.examples.trm");

    /** The codegen bases whose instance methods generated layers and models inherit: swept on generated instances. */
    static final Set<Class<?>> BASES = Set.of(GeneratedLinearAttention.class, GeneratedTransformer.class, GeneratedTrm.class);

    /** What the sweep does not call, each with the reason. */
    static final Map<String, String> EXEMPT = exemptions();

    static Map<String, String> exemptions() {
        String why = "generic in the weights type W: an argument of another type reaches it only through a raw or unchecked KernelProvider, where "
                + "the compiler's bridge method throws ClassCastException by the language's contract; each generated Provider's own create(weights) "
                + "and create(weights, flavour), typed, are swept";
        Map<String, String> m = new java.util.LinkedHashMap<>(Map.of("KernelProvider.create(Object)", why, "KernelProvider.create(Object, Flavour)", why));
        for (Executable e : codegen()) {
            if (Modifier.isStatic(e.getModifiers()) || !BASES.contains(e.getDeclaringClass())) {
                m.put(Surface.describe(e), "a codegen helper: called only by generated code, with the generator's own sizes and names (the "
                        + "generated entry points in front of it are swept)");
            }
        }
        return m;
    }

    /** Every public entry point of codegen, the package generated code extends and calls. */
    static List<Executable> codegen() {
        return Surface.of(Limits.class, List.of("dev.unroll.runtime.codegen"), c -> true);
    }

    static boolean checkedEntryPoint(Class<?> c) {
        String n = c.getSimpleName();
        return (n.endsWith("Layer") || n.endsWith("Model") || n.equals("Provider")) && !c.isInterface();
    }

    static List<Executable> surface() {
        List<Executable> s = new ArrayList<>(Surface.of(Limits.class, List.of("dev.unroll.runtime.registry"), c -> c.isInterface()
                && KernelProvider.class.isAssignableFrom(c)));
        s.addAll(Surface.of(Limits.class, List.of("dev.unroll.runtime.attention", "dev.unroll.runtime.transformer", "dev.unroll.runtime.trm"),
                c -> c == LinearAttentionLayer.class || c == TransformerModel.class || c == TrmModel.class));
        s.addAll(Surface.of(Gla.class, GENERATED, GeneratedApiSweepTest::checkedEntryPoint));
        s.addAll(codegen());
        return s;
    }

    /** The runtime's values, plus generated receivers: each generated class's own instances, and generated ones for the interfaces. */
    static Values values() {
        Values v = RuntimeValues.create();
        TransformerWeights stories = Llama2c.load(TestData.fixture("models/stories260K/stories260K.bin")).weights();
        for (KernelProvider p : KernelRegistry.all()) {
            Class<?> c = p.getClass();
            String name = Surface.simpleName(c);
            v.add(c, name, () -> p);
            for (Class<?> api : List.of(KernelProvider.class, LinearAttentionProvider.class, TransformerProvider.class, TrmProvider.class)) {
                if (api.isInstance(p) && v.receivers(api).size() < 3) {
                    v.add(api, name, () -> p);
                }
            }
            Object instance = create(p, stories);
            Class<?> generated = instance.getClass();
            v.add(generated, Surface.simpleName(generated), () -> instance);
            for (Class<?> api : List.of(LinearAttentionLayer.class, TransformerModel.class, TrmModel.class, GeneratedLinearAttention.class,
                    GeneratedTransformer.class, GeneratedTrm.class)) {
                if (api.isInstance(instance) && v.receivers(api).size() < 6) {
                    v.add(api, Surface.simpleName(generated), () -> instance);
                }
            }
        }
        return v;
    }

    /** One model of the provider's descriptor: seeded weights, or stories260K's for the transformers. */
    private static Object create(KernelProvider p, TransformerWeights stories) {
        if (p instanceof LinearAttentionProvider a) {
            return a.create(dev.unroll.runtime.attention.AttentionWeights.seeded(a.spec()));
        }
        if (p instanceof TrmProvider t) {
            return t.create(TrmWeights.seeded(t.spec()));
        }
        TransformerProvider t = (TransformerProvider) p;
        if (!t.spec().withoutBlock().withRope(stories.spec().rope()).equals(stories.spec())) { // no checkpoint of its shape
            return t.create(dev.unroll.runtime.transformer.TransformerWeights.seeded(t.spec().withoutBlock()));
        }
        return t.create(t.spec().withoutBlock().equals(stories.spec()) ? stories : stories.withRope(t.spec().rope()));
    }

    @Test
    void everyGeneratedEntryPointEndsCleanlyOnHostileArguments() {
        String saved = System.getProperty(Limits.BUDGET_PROPERTY);
        System.setProperty(Limits.BUDGET_PROPERTY, "512m");
        Sweep.Report r;
        try {
            r = Sweep.run(surface(), values(), EXEMPT, Duration.ofSeconds(Long.getLong("unroll.sweep.limit", 20)));
        } finally {
            if (saved == null) {
                System.clearProperty(Limits.BUDGET_PROPERTY);
            } else {
                System.setProperty(Limits.BUDGET_PROPERTY, saved);
            }
        }
        System.out.println("[Unroll sweep] generated layers, models and providers: " + r.summary());
        r.violations().forEach(o -> System.out.println("[Unroll sweep] " + o));
        assertEquals(List.of(), r.uncovered(), "generated entry points the sweep cannot call");
        List<Sweep.Outcome> bad = r.violations();
        assertTrue(bad.isEmpty(), () -> bad.size() + " calls broke the contract:\n" + bad.stream().map(Sweep.Outcome::toString)
                .collect(Collectors.joining("\n")));
        Set<String> swept = r.outcomes().stream().map(Sweep.Outcome::executable).collect(Collectors.toSet());
        assertTrue(swept.stream().anyMatch(e -> e.startsWith("Stories260KModel.layer(")), "the generated models' own methods are swept");
    }
}
