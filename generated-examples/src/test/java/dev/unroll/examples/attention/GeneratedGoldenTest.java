package dev.unroll.examples.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.annotations.Precision;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated layer against every golden file of the reference, token by token (outputs and
 * query_state), plus the state after the first and the last token, in both precisions and both
 * flavours.
 *
 * <p>Tolerances (scaled: max abs error / max abs reference, per token), with the errors observed
 * when they were set:
 * <ul>
 *   <li>f64, both flavours: 1e-13. The scalar flavour keeps the reference's order of operations
 *       (only exp/log/tanh may differ by an ulp); the SIMD flavour sums matrix products in another
 *       order with fused multiply-adds. Observed: below 1e-14 for both.
 *   <li>f32, both flavours: 5e-6. Single-precision rounding through 64 tokens of recurrence.
 *       Observed: below 2e-6, at most 5e-7 on the first token.
 * </ul>
 */
class GeneratedGoldenTest {
    static Stream<Arguments> cases() throws IOException {
        Path dir = TestData.fixture("golden/attention");
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json") && !f.getFileName().toString().equals("manifest.json")).sorted().toList()) {
                for (Precision precision : Precision.values()) {
                    for (Flavour flavour : Tolerance.flavours()) {
                        out.add(Arguments.of(p.getFileName().toString(), precision, flavour));
                    }
                }
            }
        }
        return out.stream();
    }

    static double tolerance(Precision p, Flavour f) {
        if (p == Precision.F32) {
            return 5e-6;
        }
        return 1e-13;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void matchesReference(String file, Precision precision, Flavour flavour) {
        ReferenceGolden g = ReferenceGolden.read(TestData.fixture("golden/attention/" + file));
        AttentionSpec spec = g.spec().withPrecision(precision);
        LinearAttentionProvider provider = KernelRegistry.linearAttention(spec).orElseThrow(() -> new AssertionError("no generated kernel for " + spec));
        assertEquals(spec, provider.spec(), "registry returns the kernel of this precision");
        LinearAttentionLayer layer = provider.create(AttentionWeights.load(g.spec(), g.weights()), flavour);
        double tol = tolerance(precision, flavour);
        int d = spec.width();
        AttentionState s = layer.newState();
        double[] y = new double[d];
        double[] q = new double[d];
        for (int t = 0; t < g.tokens(); t++) {
            double[] x = Tolerance.slice(g.inputs(), t * d, d);
            layer.query(s, x, q);
            Tolerance.assertScaled(Tolerance.slice(g.queryState(), t * d, d), q, tol, file + " query_state t=" + t);
            layer.step(s, x, y);
            Tolerance.assertScaled(Tolerance.slice(g.outputs(), t * d, d), y, tol, file + " output t=" + t);
            if (t == 0) {
                Tolerance.assertScaled(g.stateAfterFirst(), s.values(), tol, file + " state after first token");
            }
        }
        Tolerance.assertScaled(g.finalState(), s.values(), tol, file + " final state");

        AttentionState fs = layer.newState();
        double[] ys = new double[g.tokens() * d];
        layer.forward(fs, g.inputs(), g.tokens(), ys);
        for (int t = 0; t < g.tokens(); t++) {
            Tolerance.assertScaled(Tolerance.slice(g.outputs(), t * d, d), Tolerance.slice(ys, t * d, d), tol, file + " forward t=" + t);
        }
        Tolerance.assertScaled(g.finalState(), fs.values(), tol, file + " final state after forward");
        assertEquals(g.tokens(), fs.tokens());
        assertEquals(s.levelMask(), fs.levelMask(), "level mask after forward");
    }
}
