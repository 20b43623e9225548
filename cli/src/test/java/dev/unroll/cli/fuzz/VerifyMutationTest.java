package dev.unroll.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.fuzz.Corpus;
import dev.unroll.runtime.fuzz.Mutation;
import dev.unroll.runtime.fuzz.SmallBudget;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seeded structured mutation of the {@code verify} corpus (see {@code LoaderMutationTest}):
 * {@code -Dunroll.fuzz.tries=N} (default 300) and {@code -Dunroll.fuzz.seed=S} search further.
 */
@ExtendWith(SmallBudget.class)
class VerifyMutationTest {
    static final int TRIES = Integer.getInteger("unroll.fuzz.tries", 300);
    static final long SEED = Long.getLong("unroll.fuzz.seed", 20261130L);

    /** Every seed passes unmutated, so that the mutants start from a real check. */
    @Test
    void everySeedPasses() throws Exception {
        for (Corpus.Seed s : Corpus.of(VerifyFuzzTest.class, "verify")) {
            String[] r = VerifyFuzzTest.run(s.bytes());
            assertEquals("0", r[0], () -> s + "\n" + r[1] + r[2]);
            assertTrue(r[1].contains("PASS"), r[1]);
        }
    }

    @Test
    void everyMutantEndsWithAPassAMismatchOrOneCleanError() {
        List<Corpus.Seed> seeds = Corpus.of(VerifyFuzzTest.class, "verify");
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < TRIES; i++) {
            Corpus.Seed seed = seeds.get(r.nextInt(seeds.size()));
            List<Mutation> edits = Mutation.random(r);
            boolean header = !seed.name().endsWith(".json") && r.nextBoolean();
            byte[] bytes = header ? Mutation.inSafetensorsHeader(seed.bytes(), edits) : Mutation.applyAll(seed.bytes(), edits);
            VerifyFuzzTest.check("try " + i + ": " + seed + (header ? " header " : " ") + edits, bytes);
        }
    }
}
