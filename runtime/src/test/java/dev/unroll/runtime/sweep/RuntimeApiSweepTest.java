package dev.unroll.runtime.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.attention.mode.ModeParameter;
import dev.unroll.runtime.attention.mode.ModeValues;
import java.lang.reflect.Executable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runtime's public API under the generated hostile-argument sweep ({@link Sweep}): every public
 * constructor and method of the API packages (README, "What to link against"), found by reflection,
 * is called with its baseline arguments and with each argument replaced by each hostile value of its
 * type; every call must return or throw one clean UnrollException within the limit. A public method
 * the values cannot call (a new receiver or parameter type) fails this test until the values cover it.
 */
class RuntimeApiSweepTest {
    /** The API packages: the root's Flavour, Limits and exceptions, the families, and the rest the README lists. */
    static final List<String> PACKAGES = List.of("dev.unroll.runtime", "dev.unroll.runtime.attention", "dev.unroll.runtime.attention.mode",
            "dev.unroll.runtime.backend", "dev.unroll.runtime.fla", "dev.unroll.runtime.registry", "dev.unroll.runtime.safetensors",
            "dev.unroll.runtime.spec", "dev.unroll.runtime.transformer", "dev.unroll.runtime.trm", "dev.unroll.runtime.weights");

    /** Of .attention.mode, the API is the parameter keys and their values; the mode definitions are the generic engine's SPI. */
    static final Set<Class<?>> MODE_API = Set.of(ModeParameter.class, ModeValues.class);

    /** The kernel providers' interfaces have no implementation in this module: generated-examples sweeps them on its generated kernels. */
    static final Set<String> PROVIDERS = Set.of("KernelProvider", "LinearAttentionProvider", "TransformerProvider", "TrmProvider");

    /** What the sweep does not call, each with the reason. */
    static final Map<String, String> EXEMPT = exemptions();

    static Map<String, String> exemptions() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String e : List.of("Flavour", "Backend", "DType", "Diagnostic", "Severity", "HookPoint")) {
            m.put(e + ".valueOf(String)", "the compiler's Enum.valueOf (IllegalArgumentException by the language's contract); descriptors and the "
                    + "command line read enum names through readers that name the allowed values");
        }
        return m;
    }

    static List<Executable> surface() {
        return Surface.of(Limits.class, PACKAGES, c -> {
            String pkg = c.getPackageName();
            if (pkg.endsWith(".attention.mode") && !MODE_API.contains(c)) {
                return false;
            }
            return !(pkg.endsWith(".registry") && PROVIDERS.contains(c.getSimpleName()));
        });
    }

    @Test
    void everyPublicEntryPointEndsCleanlyOnHostileArguments() {
        String saved = System.getProperty(Limits.BUDGET_PROPERTY);
        System.setProperty(Limits.BUDGET_PROPERTY, "512m");
        Sweep.Report r;
        try {
            r = Sweep.run(surface(), RuntimeValues.create(), EXEMPT, Duration.ofSeconds(Long.getLong("unroll.sweep.limit", 20)));
        } finally {
            if (saved == null) {
                System.clearProperty(Limits.BUDGET_PROPERTY);
            } else {
                System.setProperty(Limits.BUDGET_PROPERTY, saved);
            }
        }
        System.out.println("[Unroll sweep] runtime API: " + r.summary());
        r.violations().forEach(o -> System.out.println("[Unroll sweep] " + o));
        assertEquals(List.of(), r.uncovered(), "public entry points the sweep cannot call: give their types values in RuntimeValues");
        List<Sweep.Outcome> bad = r.violations();
        assertTrue(bad.isEmpty(), () -> bad.size() + " calls broke the contract:\n" + bad.stream().map(Sweep.Outcome::toString)
                .collect(Collectors.joining("\n")));
    }
}
