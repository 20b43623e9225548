package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the launcher names kernels: clashing short names qualified, compact kernels' descriptors with their weights. */
class TargetsTest {
    /** A provider that answers only what naming reads. */
    private static KernelProvider<?, ?, ?> provider(String annotatedType, WeightFormat weights) {
        String base = annotatedType; // a top-level annotated type: the generated classes share its package and simple name
        AttentionSpec spec = AttentionSpec.builder(dev.unroll.annotations.AttentionMode.GLA, 16).build();
        return (KernelProvider<?, ?, ?>) Proxy.newProxyInstance(TargetsTest.class.getClassLoader(), new Class<?>[] {LinearAttentionProvider.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "baseName" -> base;
                    case "annotatedType" -> annotatedType;
                    case "generatedClass" -> base + "Layer";
                    case "weights" -> weights;
                    case "spec" -> spec;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void clashingShortNamesAreShownQualified() {
        var a = provider("com.acme.SudokuTrm", WeightFormat.F32);
        var b = provider("org.example.SudokuTrm", WeightFormat.F32);
        assertEquals(List.of("com.acme.SudokuTrm", "org.example.SudokuTrm"), Targets.names(List.of(a, b)));
        var c = provider("com.acme.Other", WeightFormat.F32);
        assertEquals(List.of("SudokuTrm", "Other"), Targets.names(List.of(a, c)));
    }

    @Test
    void aCompactKernelsDescriptorNamesItsWeights() {
        assertEquals("@LinearAttention(mode = GLA, width = 16, heads = 4, keyWidth = 4, valueWidth = 4, seed = 42, precision = F32, weights = BF16)",
                Targets.describe(provider("x.Gla", WeightFormat.BF16)));
        assertEquals("@LinearAttention(mode = GLA, width = 16, heads = 4, keyWidth = 4, valueWidth = 4, seed = 42, precision = F32)",
                Targets.describe(provider("x.Gla", WeightFormat.F32)));
    }
}
