package dev.unroll.runtime.reliability;

import static dev.unroll.runtime.Hostile.accepts;
import static dev.unroll.runtime.Hostile.rejects;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HookPoint;
import dev.unroll.runtime.transformer.Hooks;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.Sampler;
import dev.unroll.runtime.transformer.Stories;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The runtime API and the descriptor formats against careless and hostile callers (see {@link Hostile}). */
class ApiCasesTest {
    static TransformerModel stories() {
        return new GenericTransformer(Stories.checkpoint().weights());
    }

    static List<Hostile.Case> descriptors() {
        return List.of(
                rejects("width 4294967312 (16 mod 2^32)", "must be a 32-bit integer",
                        () -> AttentionSpec.fromJson(Json.parseObject("{\"mode\":\"GLA\",\"width\":4294967312}"))),
                rejects("a misspelt member", "unknown member \"wdith\"", () -> AttentionSpec.fromJson(Json.parseObject("{\"mode\":\"GLA\",\"wdith\":16}"))),
                rejects("an unknown mode", "mode must be one of", () -> AttentionSpec.fromJson(Json.parseObject("{\"mode\":\"FOO\",\"width\":16}"))),
                rejects("an unknown precision", "precision must be one of",
                        () -> AttentionSpec.fromJson(Json.parseObject("{\"mode\":\"GLA\",\"width\":16,\"precision\":\"F16\"}"))),
                rejects("a parameter of the wrong type", "parameter gamma expects double",
                        () -> AttentionSpec.fromJson(Json.parseObject("{\"mode\":\"RETNET\",\"width\":16,\"gamma\":\"high\"}"))),
                rejects("key and value widths of 65,536", "[Unroll/TooLarge]",
                        () -> AttentionSpec.builder(AttentionMode.GLA, 64).heads(1).keyWidth(65536).valueWidth(65536).build()),
                rejects("width 2^20", "width (1048576) must be <= 65536", () -> AttentionSpec.builder(AttentionMode.GLA, 1 << 20).heads(1).build()),
                rejects("a TRM with 10^9 latent steps", "cycles x (latentSteps + 1)",
                        () -> TrmSpec.fromJson(Json.parseObject("{\"hidden\":32,\"context\":9,\"vocab\":5,\"latentSteps\":1000000000}"))),
                rejects("a TRM with expansion 10^9", "expansion (1.0E9) must be <= 64.0",
                        () -> TrmSpec.fromJson(Json.parseObject("{\"hidden\":32,\"context\":9,\"vocab\":5,\"expansion\":1e9}"))),
                rejects("an unknown TRM mixer", "mixer must be one of",
                        () -> TrmSpec.fromJson(Json.parseObject("{\"hidden\":32,\"context\":9,\"vocab\":5,\"mixer\":\"CONV\"}"))),
                rejects("a transformer of 10^6 layers", "layers (1000000) must be <= 4096", () -> TransformerSpec.fromJson(Json.parseObject(
                        "{\"layers\":1000000,\"width\":64,\"heads\":8,\"ffnHidden\":172,\"vocab\":512,\"maxSeq\":64}"))),
                rejects("an unknown RoPE layout", "rope must be one of", () -> TransformerSpec.fromJson(Json.parseObject(
                        "{\"layers\":2,\"width\":64,\"heads\":8,\"ffnHidden\":172,\"vocab\":512,\"maxSeq\":64,\"rope\":\"SPIRAL\"}"))),
                accepts("a descriptor read back from its JSON", () -> AttentionSpec.fromJson(
                        AttentionSpec.builder(AttentionMode.HGRN2, 32).heads(2).build().toJson())),
                accepts("a TRM with the attention mixer read back from its JSON (heads and ropeTheta were unknown members)", () -> {
                    TrmSpec s = TrmSpec.fromJson(Map.of("hidden", 32L, "context", 9L, "vocab", 5L, "mixer", "ATTENTION", "heads", 2L));
                    if (!TrmSpec.fromJson(s.toJson()).equals(s)) {
                        throw new AssertionError("not the same descriptor");
                    }
                }));
    }

    static List<Hostile.Case> attention() {
        AttentionSpec gla = AttentionSpec.builder(AttentionMode.GLA, 16).build();
        LinearAttentionLayer layer = GenericLinearAttention.seeded(gla);
        return List.of(
                rejects("one state twice in a batch", "are the same AttentionState", () -> {
                    AttentionState s = layer.newState();
                    layer.stepBatch(new AttentionState[] {s, s}, new float[][] {new float[16], new float[16]}, new float[][] {new float[16], new float[16]});
                }),
                rejects("one output array for two streams", "ys[0] and ys[1] are the same array", () -> {
                    float[] y = new float[16];
                    layer.stepBatch(new AttentionState[] {layer.newState(), layer.newState()}, new float[][] {new float[16], new float[16]},
                            new float[][] {y, y});
                }),
                rejects("one stream's output as another's input", "xs[1] is the array of ys[0]", () -> {
                    float[] y = new float[16];
                    layer.stepBatch(new AttentionState[] {layer.newState(), layer.newState()}, new float[][] {new float[16], y},
                            new float[][] {y, new float[16]});
                }),
                rejects("a NaN input in a batch", "xs[1][2] is NaN: inputs must be finite", () -> {
                    float[] x = new float[16];
                    x[2] = Float.NaN;
                    layer.stepBatch(new AttentionState[] {layer.newState(), layer.newState()}, new float[][] {new float[16], x},
                            new float[][] {new float[16], new float[16]});
                }),
                rejects("a NaN input", "x[3] is NaN: inputs must be finite", () -> {
                    float[] x = new float[16];
                    x[3] = Float.NaN;
                    layer.step(layer.newState(), x, new float[16]);
                }),
                rejects("a state of another layer", "state belongs to", () -> layer.step(new AttentionState(AttentionSpec.builder(AttentionMode.GLA, 8).build()),
                        new float[16], new float[16])),
                rejects("a sequence of Integer.MAX_VALUE tokens", "more than one Java array holds",
                        () -> layer.forward(layer.newState(), new float[16], Integer.MAX_VALUE, new float[16])));
    }

    static List<Hostile.Case> transformer() {
        return List.of(
                rejects("prompt plus Integer.MAX_VALUE new tokens", "exceeds maxSeq",
                        () -> new CachedGenerator(stories()).generate(Generation.greedy(new int[] {1, 2}, Integer.MAX_VALUE))),
                rejects("a recurrent pass of depth 100,000", "depth (100000) must be <= 64",
                        () -> new CachedGenerator(stories()).generate(Generation.greedy(new int[] {1}, 4)
                                .withRecurrence(RecurrentPassSpec.noFeedback(1, 3).withDepth(100_000)))),
                rejects("a NaN feedback vector", "feedback[0].vector: element 0 is NaN", () -> {
                    float[] v = new float[64];
                    v[0] = Float.NaN;
                    new CachedGenerator(stories()).generate(Generation.greedy(new int[] {1, 5}, 4)
                            .withRecurrence(RecurrentPassSpec.noFeedback(1, 3).withDepth(2).addFeedback(0, v, 1f)));
                }),
                rejects("a NaN intervention", "element 2 is NaN", () -> {
                    float[] v = new float[64];
                    v[2] = Float.NaN;
                    new Hooks().add(HookPoint.RESID_POST, 1, Hooks.ANY, v);
                }),
                rejects("a hook on a layer the model does not have", "the model has layers 0..4",
                        () -> new CachedGenerator(stories()).generate(Generation.greedy(new int[] {1}, 4)
                                .withHooks(new Hooks().capture(HookPoint.RESID_POST, 99, Hooks.ANY)))),
                rejects("a decode step that skips positions", "skips positions 1..9", () -> {
                    try (DecodeRunner r = new CachedGenerator(stories()).open(null, null, 1)) {
                        r.absorb(1, 0);
                        r.next(5, 10, new float[512]);
                    }
                }),
                rejects("NaN logits to sample from", "non-finite", () -> {
                    float[] logits = new float[8];
                    logits[4] = Float.NaN;
                    Sampler.greedy().sample(logits);
                }),
                rejects("a KV cache of Integer.MAX_VALUE positions", "more than one Java array holds", () -> new KvCache(Integer.MAX_VALUE, 64)),
                accepts("a rewind: processing position 3 again after 5", () -> {
                    try (DecodeRunner r = new CachedGenerator(stories()).open(null, null, 1)) {
                        float[] logits = new float[512];
                        for (int p = 0; p <= 5; p++) {
                            r.next(5 + p, p, logits);
                        }
                        r.next(7, 3, logits);
                    }
                }));
    }

    static List<Hostile.Case> trm() {
        TrmSpec small = TrmSpec.fromJson(Map.of("hidden", 32L, "context", 9L, "vocab", 5L, "layers", 1L));
        GenericTrm m = new GenericTrm(TrmWeights.seeded(small));
        return List.of(
                rejects("a carry for Integer.MAX_VALUE puzzles", "batch 2147483647", () -> m.initialCarry(Integer.MAX_VALUE)),
                rejects("a token outside the vocabulary", "outside the vocabulary", () -> m.step(new int[] {0, 1, 2, 3, 9, 1, 2, 3, 4}, m.initialCarry(1))),
                rejects("tokens that are not whole puzzles", "tokens", () -> m.step(new int[] {0, 1, 2}, m.initialCarry(1))));
    }

    @ParameterizedTest(name = "descriptor: {0}")
    @MethodSource("descriptors")
    void descriptorFormats(Hostile.Case c) {
        Hostile.check(c);
    }

    @ParameterizedTest(name = "attention API: {0}")
    @MethodSource("attention")
    void attentionApi(Hostile.Case c) {
        Hostile.check(c);
    }

    @ParameterizedTest(name = "transformer API: {0}")
    @MethodSource("transformer")
    void transformerApi(Hostile.Case c) {
        Hostile.check(c);
    }

    @ParameterizedTest(name = "TRM API: {0}")
    @MethodSource("trm")
    void trmApi(Hostile.Case c) {
        Hostile.check(c);
    }
}
