package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs the kernels generated in this build against the runtime's generic engines. */
class ConsumerTest {
    @Test
    void attentionLayerMatchesTheGenericEngine() {
        LinearAttentionLayer layer = Models_MyGdnLayer.seeded();
        assertTrue(layer.implementation().startsWith("generated Models_MyGdnLayer (SIMD"), layer.implementation());
        LinearAttentionLayer generic = new GenericLinearAttention(AttentionWeights.seeded(Models_MyGdnLayer.SPEC));
        AttentionState a = layer.newState();
        AttentionState b = generic.newState();
        int d = Models_MyGdnLayer.SPEC.width();
        float[] x = new float[d];
        float[] y = new float[d];
        float[] z = new float[d];
        double worst = 0;
        for (int t = 0; t < 64; t++) {
            for (int i = 0; i < d; i++) {
                x[i] = (float) Math.sin(0.37 * t + 0.11 * i);
            }
            layer.step(a, x, y);
            generic.step(b, x, z);
            for (int i = 0; i < d; i++) {
                worst = Math.max(worst, Math.abs(y[i] - z[i]) / Math.max(1e-3, Math.abs(z[i])));
            }
        }
        assertTrue(worst < 1e-4, "max rel error " + worst);
        assertEquals(64, a.tokens());
    }

    @Test
    void trmMatchesTheGenericEngine() {
        TrmModel model = Models_MyTrmModel.seeded();
        TrmModel generic = new GenericTrm(TrmWeights.seeded(Models_MyTrmModel.SPEC));
        int[] tokens = {1, 4, 0, 2, 3, 1, 0, 4, 2};
        TrmStep got = model.step(tokens, model.initialCarry(1));
        TrmStep want = generic.step(tokens, generic.initialCarry(1));
        assertEquals(want.logits().length, got.logits().length);
        for (int i = 0; i < got.logits().length; i++) {
            assertEquals(want.logits()[i], got.logits()[i], 1e-4 * Math.max(1, Math.abs(want.logits()[i])), "logit " + i);
        }
        assertEquals(want.halt()[0], got.halt()[0], 1e-4 * Math.max(1, Math.abs(want.halt()[0])), "halting logit");
    }

    @Test
    void transformerWithRecurrentPassGeneratesTheGenericEnginesTokens() {
        Path bin = Path.of(System.getProperty("unroll.data"), "models", "stories260K", "stories260K.bin");
        assertTrue(Files.isRegularFile(bin), "model file " + bin);
        TransformerModel model = Models_MyStoriesModel.loadLlama2c(bin);
        TransformerModel generic = new GenericTransformer(((dev.unroll.runtime.codegen.GeneratedTransformer) model).weights());
        Generation g = Generation.greedy(new int[] {1}, 48).withRecurrence(RecurrentPassSpec.noFeedback(1, 3));
        assertArrayEquals(new CachedGenerator(generic).generate(g).tokens(), new CachedGenerator(model).generate(g).tokens());
    }
}
