package dev.unroll.bench.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.registry.Family;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * JMH needs its parameter lists as literals, so the attention benchmark names its layers by hand; this
 * test holds that list to the registry of modes: every mode has a layer at width 64 and at width 256
 * among them, in every weight format the wide descriptors declare, and every name is a generated layer.
 */
class ModeCoverageTest {
    @Test
    void theBenchmarkedLayersCoverEveryModeAtBothWidths() throws Exception {
        List<String> layers = List.of(AttentionBenchmark.class.getField("layer").getAnnotation(Param.class).value());
        Set<AttentionMode> d64 = EnumSet.noneOf(AttentionMode.class);
        Set<AttentionMode> d256 = EnumSet.noneOf(AttentionMode.class);
        for (String name : layers) {
            AttentionSpec spec = find(name);
            (spec.width() == 64 ? d64 : d256).add(spec.mode());
        }
        Set<AttentionMode> all = EnumSet.noneOf(AttentionMode.class);
        Modes.all().stream().map(ModeDefinition::mode).forEach(all::add);
        assertEquals(all, d64, "modes benchmarked at width 64");
        assertEquals(all, d256, "modes benchmarked at width 256");
    }

    @Test
    void everyWideDescriptorFormatCoversEveryMode() {
        for (Class<?> wide : List.of(Wide.class, WideBf16.class, WideQ8.class)) {
            Set<AttentionMode> declared = EnumSet.noneOf(AttentionMode.class);
            for (Class<?> d : wide.getDeclaredClasses()) {
                declared.add(find(wide.getSimpleName() + "_" + d.getSimpleName()).mode());
            }
            assertEquals(Modes.all().size(), declared.size(), wide.getSimpleName() + " declares every mode");
        }
    }

    private static AttentionSpec find(String baseSimpleName) {
        for (KernelProvider<?, ?, ?> p : KernelRegistry.of(Family.LINEAR_ATTENTION)) {
            if (p.baseName().endsWith("." + baseSimpleName)) {
                return (AttentionSpec) p.spec();
            }
        }
        assertTrue(false, baseSimpleName + " is not a generated layer");
        return null;
    }
}
