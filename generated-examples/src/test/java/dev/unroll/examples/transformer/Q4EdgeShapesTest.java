package dev.unroll.examples.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Tolerance;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Q4 at the shapes its layout makes awkward ({@link OddLmQ4}: a product over 45 columns, whose last
 * byte holds one code and whose last block is 13 wide, over one whole panel and a partial one): token
 * by token and in one prefill (the GEMM path widens the codes a panel at a time), the generated model
 * computes the generic engine's function of the values Q4 stores, within 1e-4 (logits of order 1).
 */
class Q4EdgeShapesTest {
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void oddColumnsComputeTheStoredValuesFunction(Flavour f) {
        if (!Tolerance.flavours().contains(f)) {
            return;
        }
        TransformerWeights w = TransformerWeights.seeded(OddLmQ4Model.SPEC, 5);
        TransformerModel model = OddLmQ4Model.of(w, f);
        TransformerModel ref = new GenericTransformer(w.storedAs(WeightFormat.Q4));
        int vocab = OddLmQ4Model.SPEC.vocab();
        int[] tokens = new Random(3).ints(40, 0, vocab).toArray();
        KvCache[] a = Caches.of(model);
        KvCache[] b = Caches.of(ref);
        float[] x = new float[OddLmQ4Model.SPEC.width()];
        float[] got = new float[vocab];
        float[] want = new float[vocab];
        for (int p = 0; p < tokens.length; p++) {
            model.forwardToken(tokens[p], p, a, x, got, null);
            ref.forwardToken(tokens[p], p, b, x, want, null);
            assertArrayEquals(want, got, 1e-4f, f + " position " + p);
        }
        KvCache[] blocked = Caches.of(model);
        model.prefill(tokens, 0, tokens.length, 0, blocked, got, null);
        assertArrayEquals(want, got, 1e-4f, f + ": one prefill of " + tokens.length + " tokens");
    }
}
