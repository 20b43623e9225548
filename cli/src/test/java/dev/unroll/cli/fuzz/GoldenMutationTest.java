package dev.unroll.cli.fuzz;

import dev.unroll.runtime.fuzz.Corpus;
import dev.unroll.runtime.fuzz.Mutation;
import dev.unroll.runtime.fuzz.SmallBudget;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded structured mutation of each {@code golden} converter's corpus (see {@code LoaderMutationTest}):
 * {@code -Dunroll.fuzz.tries=N} (default 150 per converter) and {@code -Dunroll.fuzz.seed=S} search further.
 */
@ExtendWith(SmallBudget.class)
class GoldenMutationTest {
    static final int TRIES = Integer.getInteger("unroll.fuzz.tries", 150);
    static final long SEED = Long.getLong("unroll.fuzz.seed", 20261130L);

    record Target(String method, ToIntFunction<byte[]> body, boolean safetensors) {
        @Override
        public String toString() {
            return method;
        }
    }

    static List<Target> targets() {
        return List.of(new Target("reference", GoldenTargets::reference, false), new Target("trmTrace", GoldenTargets::trmTrace, true),
                new Target("llama2c", GoldenTargets::llama2c, false), new Target("fla", GoldenTargets::fla, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void everyMutantConvertsOrFailsCleanly(Target t) {
        List<Corpus.Seed> seeds = Corpus.of(GoldenFuzzTest.class, t.method());
        SplittableRandom r = new SplittableRandom(SEED ^ t.method().hashCode());
        for (Corpus.Seed seed : seeds) {
            // every seed converts and passes, so that the mutants start from a real check
            org.junit.jupiter.api.Assertions.assertEquals(0, t.body().applyAsInt(seed.bytes()), seed + " does not convert and pass");
        }
        for (int i = 0; i < TRIES; i++) {
            Corpus.Seed seed = seeds.get(r.nextInt(seeds.size()));
            List<Mutation> edits = Mutation.random(r);
            byte[] bytes = t.safetensors() && r.nextBoolean() ? Mutation.inSafetensorsHeader(seed.bytes(), edits) : Mutation.applyAll(seed.bytes(), edits);
            try {
                t.body().applyAsInt(bytes);
            } catch (AssertionError e) {
                throw new AssertionError(t.method() + " try " + i + ": " + seed + " " + edits + ": " + e.getMessage(), e);
            }
        }
    }
}
