package dev.unroll.examples.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.examples.transformer.SplitLmModel;
import dev.unroll.examples.transformer.Stories260KLoopedModel;
import dev.unroll.examples.transformer.Stories260KQ8Model;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.fuzz.SmallBudget;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.transformer.BatchDecodeRunner;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerRunners;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz target (Jazzer) of a generated decoder's entry points for many tokens at
 * once: {@code prefill} and {@code forwardTokens} (and {@code forwardToken} beside them), on
 * stories260K's looped and Q8 models and a model whose matrices span several panels, in both
 * flavours. The bytes choose the model, the call, and every argument: token ids, positions, counts
 * and offsets anywhere in the int range, arrays short, long, null or shared between sequences. Each
 * call must return or end in one clean {@code UnrollException} within {@link #LIMIT}. A second target
 * drives {@code TransformerRunners.openBatch} and its runner: the sequence count, then calls of
 * {@code next} with hostile tokens, positions (skipping ahead, repeating, negative) and logits rows
 * (short, null, shared), and use after close. In the normal test run they replay the committed corpus
 * ({@code TransformerFuzzTestInputs/steps/}, {@code .../openBatch/}).
 */
@ExtendWith(SmallBudget.class)
class TransformerFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);
    private static List<TransformerModel> models;

    private static synchronized List<TransformerModel> models() {
        if (models == null) {
            var stories = Stories.checkpoint().weights();
            var split = dev.unroll.runtime.transformer.TransformerWeights.seeded(SplitLmModel.SPEC);
            models = List.of(Stories260KLoopedModel.of(stories, Flavour.SIMD), Stories260KLoopedModel.of(stories, Flavour.SCALAR),
                    Stories260KQ8Model.of(stories, Flavour.SIMD), SplitLmModel.of(split, Flavour.SIMD), SplitLmModel.of(split, Flavour.SCALAR));
        }
        return models;
    }

    @FuzzTest(maxDuration = "15s")
    void steps(FuzzedDataProvider in) {
        TransformerModel m = models().get(in.consumeInt(0, models().size() - 1));
        int call = in.consumeInt(0, 2);
        Hostile.endsCleanly("transformer steps", LIMIT, () -> {
            switch (call) {
                case 0 -> {
                    int[] tokens = tokens(in, m);
                    m.prefill(tokens, small(in), small(in), small(in), caches(in, m), array(in, m.spec().vocab()), null);
                }
                case 1 -> {
                    int n = in.consumeInt(0, 6);
                    int[] tokens = new int[in.consumeBoolean() ? n : in.consumeInt(0, 6)];
                    for (int i = 0; i < tokens.length; i++) {
                        tokens[i] = token(in, m);
                    }
                    int[] positions = new int[in.consumeBoolean() ? n : in.consumeInt(0, 6)];
                    for (int i = 0; i < positions.length; i++) {
                        positions[i] = small(in);
                    }
                    KvCache[][] caches = new KvCache[in.consumeBoolean() ? n : in.consumeInt(0, 6)][];
                    for (int i = 0; i < caches.length; i++) {
                        caches[i] = in.consumeBoolean() && i > 0 ? caches[i - 1] : caches(in, m);
                    }
                    float[][] logits = new float[in.consumeBoolean() ? n : in.consumeInt(0, 6)][];
                    for (int i = 0; i < logits.length; i++) {
                        logits[i] = array(in, m.spec().vocab());
                    }
                    m.forwardTokens(in.consumeBoolean() ? null : tokens, positions, caches, logits);
                }
                default -> m.forwardToken(token(in, m), small(in), caches(in, m), array(in, m.spec().width()), array(in, m.spec().vocab()), null);
            }
        });
    }

    @FuzzTest(maxDuration = "15s")
    void openBatch(FuzzedDataProvider in) {
        TransformerModel m = models().get(in.consumeInt(0, models().size() - 1));
        int sequences = in.consumeInt(0, 7) == 0 ? in.consumeInt() : in.consumeInt(-1, 5);
        Hostile.endsCleanly("transformer openBatch", LIMIT, () -> {
            try (BatchDecodeRunner r = TransformerRunners.openBatch(m, sequences, in.consumeBoolean() ? null : Backend.JVM)) {
                int calls = in.consumeInt(0, 6);
                for (int c = 0; c < calls; c++) {
                    if (in.consumeInt(0, 9) == 0) {
                        r.close();
                    }
                    int n = in.consumeBoolean() ? r.sequences() : in.consumeInt(0, 6);
                    int[] tokens = new int[n];
                    int[] positions = new int[in.consumeBoolean() ? n : in.consumeInt(0, 6)];
                    for (int i = 0; i < tokens.length; i++) {
                        tokens[i] = token(in, m);
                    }
                    for (int i = 0; i < positions.length; i++) {
                        positions[i] = in.consumeBoolean() ? c : small(in);
                    }
                    float[][] logits = in.consumeInt(0, 15) == 0 ? null : new float[in.consumeBoolean() ? n : in.consumeInt(0, 6)][];
                    for (int i = 0; logits != null && i < logits.length; i++) {
                        logits[i] = in.consumeInt(0, 9) == 0 && i > 0 ? logits[i - 1] : array(in, m.spec().vocab());
                    }
                    try {
                        r.next(in.consumeInt(0, 15) == 0 ? null : tokens, positions, logits);
                    } catch (dev.unroll.runtime.UnrollException e) {
                        // a rejected call: the runner stays usable, the next call goes on
                        if (e.getMessage() == null || e.getMessage().isBlank()) {
                            throw e;
                        }
                    }
                }
            }
        });
    }

    /** Mostly valid ids, sometimes any int. */
    private static int token(FuzzedDataProvider in, TransformerModel m) {
        return in.consumeBoolean() ? in.consumeInt(0, m.spec().vocab() - 1) : in.consumeInt();
    }

    private static int[] tokens(FuzzedDataProvider in, TransformerModel m) {
        if (in.consumeInt(0, 15) == 0) {
            return null;
        }
        int[] t = new int[in.consumeInt(0, 40)];
        for (int i = 0; i < t.length; i++) {
            t[i] = token(in, m);
        }
        return t;
    }

    /** Mostly small counts, offsets and positions, sometimes any int. */
    private static int small(FuzzedDataProvider in) {
        return in.consumeBoolean() ? in.consumeInt(-2, 70) : in.consumeInt();
    }

    /** The right length, another, or null. */
    private static float[] array(FuzzedDataProvider in, int length) {
        return switch (in.consumeInt(0, 7)) {
            case 0 -> null;
            case 1 -> new float[in.consumeInt(0, 2 * length)];
            default -> new float[length];
        };
    }

    /** The model's caches, too few, too many, or with a null or foreign one. */
    private static KvCache[] caches(FuzzedDataProvider in, TransformerModel m) {
        int n = m.forwardCaches();
        int k = switch (in.consumeInt(0, 7)) {
            case 0 -> -1;
            case 1 -> in.consumeInt(0, n + 2);
            default -> n;
        };
        if (k < 0) {
            return null;
        }
        KvCache[] c = new KvCache[k];
        for (int i = 0; i < k; i++) {
            c[i] = in.consumeInt(0, 15) == 0 ? null : m.newCache();
        }
        if (k > 1 && in.consumeInt(0, 7) == 0) {
            c[1] = c[0];
        }
        return c;
    }
}
