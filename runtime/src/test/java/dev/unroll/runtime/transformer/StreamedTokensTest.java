package dev.unroll.runtime.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmResult;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The listeners a command line streams from: tokens as they are chosen, supervision steps as they end. */
class StreamedTokensTest {
    private static final TransformerSpec SPEC = TransformerSpec.builder(2, 32, 4, 48, 40, 64).build();

    @Test
    void eachNewTokenIsHandedOverOnceInOrderAndTheResultIsUnchanged() {
        GenericTransformer m = new GenericTransformer(TransformerWeights.seeded(SPEC));
        Generation g = Generation.greedy(new int[] {1, 5, 9}, 20).withStopTokens(Set.of());
        List<Integer> seen = new ArrayList<>();
        GenerationResult streamed = new CachedGenerator(m).generate(g, seen::add);
        GenerationResult plain = new CachedGenerator(m).generate(g);
        assertArrayEquals(plain.tokens(), streamed.tokens());
        assertEquals(20, seen.size());
        assertEquals(Arrays.stream(plain.tokens()).skip(3).boxed().toList(), seen);
    }

    @Test
    void aStopTokenIsNotHandedOver() {
        GenericTransformer m = new GenericTransformer(TransformerWeights.seeded(SPEC));
        GenerationResult free = new CachedGenerator(m).generate(Generation.greedy(new int[] {1}, 10).withStopTokens(Set.of()));
        int stop = free.tokens()[4]; // the fourth new token ends the run below
        List<Integer> seen = new ArrayList<>();
        GenerationResult r = new CachedGenerator(m).generate(Generation.greedy(new int[] {1}, 10).withStopTokens(Set.of(stop)), seen::add);
        assertEquals(r.generated(), seen.size());
        assertTrue(!seen.contains(stop), seen.toString());
    }

    @Test
    void whatTheListenerThrowsEndsTheGenerationAndANullListenerIsRefused() {
        GenericTransformer m = new GenericTransformer(TransformerWeights.seeded(SPEC));
        Generation g = Generation.greedy(new int[] {1}, 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CachedGenerator(m).generate(g, t -> {
            throw new IllegalStateException("enough");
        }));
        assertEquals("enough", e.getMessage());
        assertThrows(UnrollException.class, () -> new CachedGenerator(m).generate(g, null));
    }

    @Test
    void everySupervisionStepIsReportedAndTheResultIsUnchanged() throws Exception {
        TrmSpec spec = TrmSpec.builder().set(TrmSpec.HIDDEN, 32).set(TrmSpec.LATENT_STEPS, 1).set(TrmSpec.CYCLES, 1).build();
        GenericTrm model = new GenericTrm(TrmWeights.seeded(spec));
        int[] puzzle = new int[spec.context()];
        Arrays.fill(puzzle, 1);
        List<Integer> steps = new ArrayList<>();
        TrmResult streamed;
        TrmResult plain;
        try (TrmRunner r = TrmRunners.open(model, 1)) {
            streamed = r.solve(puzzle, true, steps::add);
            plain = r.solve(puzzle, true);
        }
        assertEquals(spec.maxSupervisionSteps(), steps.size());
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(i + 1, steps.get(i));
        }
        assertArrayEquals(plain.prediction(0, spec.context()), streamed.prediction(0, spec.context()));
        try (TrmRunner r = TrmRunners.open(model, 1)) {
            assertThrows(UnrollException.class, () -> r.solve(puzzle, true, null));
        }
    }
}
