package dev.unroll.runtime.fuzz;

import dev.unroll.runtime.Hostile;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structured mutation fuzzing of every loader, seeded and so reproducible: each seed of the
 * committed corpus is edited by {@link Mutation}s that know the formats (header integers, JSON
 * numbers and strings, a safetensors header with its length prefix kept right) and reach deeper
 * than random bytes do. {@code -Dunroll.fuzz.tries=N} (default 300 per target) and
 * {@code -Dunroll.fuzz.seed=S} search further.
 */
@ExtendWith(SmallBudget.class)
class LoaderMutationTest {
    static final int TRIES = Integer.getInteger("unroll.fuzz.tries", 300);
    static final long SEED = Long.getLong("unroll.fuzz.seed", 20261130L);

    /** A target: its corpus folder and body. */
    record Target(String method, Consumer<byte[]> body) {
        @Override
        public String toString() {
            return method;
        }
    }

    static List<Target> targets() {
        return List.of(new Target("safetensors", FuzzTargets::safetensors), new Target("llama2c", FuzzTargets::llama2c),
                new Target("tokenizer", FuzzTargets::tokenizer), new Target("stateBytes", FuzzTargets::stateBytes),
                new Target("descriptors", FuzzTargets::descriptors), new Target("referenceJson", FuzzTargets::referenceJson),
                new Target("fla", FuzzTargets::fla), new Target("hfTokenizer", FuzzTargets::hfTokenizer), new Target("ggufBpe", FuzzTargets::ggufBpe));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void everyMutantLoadsOrFailsCleanly(Target t) {
        List<Corpus.Seed> seeds = Corpus.of(LoaderFuzzTest.class, t.method());
        SplittableRandom r = new SplittableRandom(SEED ^ t.method().hashCode());
        for (int i = 0; i < TRIES; i++) {
            Corpus.Seed seed = seeds.get(r.nextInt(seeds.size()));
            List<Mutation> edits = Mutation.random(r);
            byte[] bytes = t.method().equals("safetensors") && r.nextBoolean()
                    ? Mutation.inSafetensorsHeader(seed.bytes(), edits) : Mutation.applyAll(seed.bytes(), edits);
            String name = t.method() + " try " + i + ": " + seed + " " + edits;
            Hostile.endsCleanly(name, LoaderFuzzTest.LIMIT, () -> t.body().accept(bytes));
        }
    }
}
