package dev.unroll.flink;

import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.fuzz.Corpus;
import dev.unroll.runtime.fuzz.Mutation;
import dev.unroll.runtime.fuzz.SmallBudget;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Flink state serializer's fuzz target ({@link SerializerFuzzTest#target}) in every run, without
 * Jazzer's agent: the committed corpus as it is, then structured mutants of it (hostile integers over
 * the length prefix and the state's header, truncation, growth, repeated and deleted ranges) from a
 * fixed seed; {@code -Dunroll.fuzz.tries=N} and {@code -Dunroll.fuzz.seed=S} search further.
 */
@ExtendWith(SmallBudget.class)
class SerializerMutationTest {
    @Test
    void theCorpusRestoresOrFailsCleanly() {
        for (Corpus.Seed seed : Corpus.of(SerializerFuzzTest.class, "deserialize")) {
            Hostile.endsCleanly(seed.toString(), SerializerFuzzTest.LIMIT, () -> SerializerFuzzTest.target(seed.bytes()));
        }
    }

    @Test
    void structuredMutantsRestoreOrFailCleanly() {
        List<Corpus.Seed> seeds = Corpus.of(SerializerFuzzTest.class, "deserialize");
        SplittableRandom r = new SplittableRandom(Long.getLong("unroll.fuzz.seed", 20261130L));
        int tries = Integer.getInteger("unroll.fuzz.tries", 300);
        for (int i = 0; i < tries; i++) {
            Corpus.Seed seed = seeds.get(r.nextInt(seeds.size()));
            List<Mutation> edits = Mutation.random(r);
            byte[] bytes = Mutation.applyAll(seed.bytes(), edits);
            Hostile.endsCleanly("try " + i + ": " + seed + " " + edits, SerializerFuzzTest.LIMIT, () -> SerializerFuzzTest.target(bytes));
        }
    }
}
