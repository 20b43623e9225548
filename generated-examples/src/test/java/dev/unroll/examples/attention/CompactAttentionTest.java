package dev.unroll.examples.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What compact projections cost: each compact layer against the generic engine on the F32
 * weights, over 96 tokens. (That the kernels compute exactly the stored values' function is
 * {@link GeneratedLayerPropertiesTest}'s check, as for every layer.) The error is the largest
 * difference scaled by the largest reference output; measured with the seeded weights (0.01 N(0,1)),
 * the same in both flavours: BF16 2.4e-3 to 3.9e-3, Q8 6.3e-3 to 1.5e-2, Q4 1.3e-1 to 2.1e-1 in these
 * modes; the bounds are about twice the largest (Q4: 1.4 times).
 */
class CompactAttentionTest {
    static Stream<LinearAttentionProvider> compact() {
        return KernelRegistry.all().stream().filter(p -> p instanceof LinearAttentionProvider && p.weights() != WeightFormat.F32)
                .map(p -> (LinearAttentionProvider) p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compact")
    void errorAgainstF32IsBounded(LinearAttentionProvider p) {
        AttentionSpec spec = p.spec();
        int d = spec.width();
        int tokens = 96;
        float[] xs = GeneratedLayerPropertiesTest.stream(tokens, d, 3.0);
        AttentionWeights w = AttentionWeights.seeded(spec);
        GenericLinearAttention ref = new GenericLinearAttention(w);
        float[] expected = new float[tokens * d];
        ref.forward(ref.newState(), xs, tokens, expected);
        double bound = p.weights() == WeightFormat.BF16 ? 8e-3 : p.weights() == WeightFormat.Q8 ? 3e-2 : 0.3;
        for (Flavour f : Tolerance.flavours()) {
            LinearAttentionLayer layer = p.create(w, f);
            AttentionState s = layer.newState();
            float[] got = new float[tokens * d];
            layer.forward(s, xs, tokens, got);
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
                worst = Math.max(worst, Math.abs(got[i] - expected[i]));
            }
            System.out.printf("%s %s %s: largest difference from F32 %.2e of the output scale %.2e%n", p.annotatedType(), p.weights(), f,
                    worst / scale, scale);
            assertTrue(worst / scale <= bound, p.annotatedType() + " " + f + ": " + worst / scale);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compact")
    void theRegistryKeepsFormatsApart(LinearAttentionProvider p) {
        assertTrue(KernelRegistry.linearAttention(p.spec(), p.weights()).orElseThrow().weights() == p.weights());
        KernelRegistry.linearAttention(p.spec()).ifPresent(f32 -> assertTrue(f32.weights() == WeightFormat.F32));
        List<KernelProvider<?, ?, ?>> same = KernelRegistry.all().stream().filter(q -> q.spec().equals(p.spec()) && q.weights() == p.weights()).toList();
        assertTrue(same.size() == 1, same.toString());
    }
}
