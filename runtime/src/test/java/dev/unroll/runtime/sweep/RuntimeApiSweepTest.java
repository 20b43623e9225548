package dev.unroll.runtime.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Limits;
import java.lang.reflect.Executable;
import java.nio.file.Path;
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
    /**
     * Every package the module exports to everyone ({@code module-info.java}, read from the sources: a
     * package exported tomorrow is swept tomorrow), but {@code codegen}, whose only caller is generated
     * code: generated-examples sweeps it through the generated layers' and models' entry points
     * ({@code GeneratedApiSweepTest}).
     */
    static final List<String> PACKAGES = Surface.exportedPackages(Path.of("src/main/java/module-info.java")).stream()
            .filter(p -> !p.equals("dev.unroll.runtime.codegen")).toList();

    /**
     * The SPI types, which have no implementation in this module (the mode definitions are not exported,
     * {@code attention.definition}; {@code attention.mode}'s keys are swept): the kernel
     * providers (generated-examples sweeps them on its generated kernels) and the TornadoVM glue and its
     * device decoder (generated with {@code -Ptornadovm}, checked on the device).
     */
    static final Set<String> SPI = Set.of("KernelProvider", "LinearAttentionProvider", "TransformerProvider", "TrmProvider", "DeviceGlue",
            "AttentionGlue", "AttentionStreamsGlue", "DecoderGlue", "TrmGlue", "DeviceDecoder");

    /** What the sweep does not call, each with the reason. */
    static final Map<String, String> EXEMPT = exemptions();

    static Map<String, String> exemptions() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String e : List.of("Flavour", "Backend", "DType", "GgmlType", "Diagnostic", "Severity", "HookPoint", "Family")) {
            m.put(e + ".valueOf(String)", "the compiler's Enum.valueOf (IllegalArgumentException by the language's contract); descriptors and the "
                    + "command line read enum names through readers that name the allowed values");
        }
        return m;
    }

    static List<Executable> surface() {
        return Surface.of(Limits.class, PACKAGES, c -> !SPI.contains(c.getSimpleName()));
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
