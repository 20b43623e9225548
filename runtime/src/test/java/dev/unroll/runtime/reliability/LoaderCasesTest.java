package dev.unroll.runtime.reliability;

import static dev.unroll.runtime.Hostile.accepts;
import static dev.unroll.runtime.Hostile.rejects;
import static dev.unroll.runtime.reliability.Files2.fifo;
import static dev.unroll.runtime.reliability.Files2.header;
import static dev.unroll.runtime.reliability.Files2.llama;
import static dev.unroll.runtime.reliability.Files2.temp;
import static dev.unroll.runtime.reliability.Files2.tokenizer;
import static dev.unroll.runtime.reliability.Files2.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.mode.LogLinearMode;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.weights.TensorSource;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loader against files other people made: llama2.c checkpoints, tokenizers, serialised states,
 * safetensors and JSON. Each case is a clean error naming the problem, or a success, in bounded time
 * and memory (see {@link Hostile}).
 */
class LoaderCasesTest {
    static List<Hostile.Case> llama2c() {
        return List.of(
                rejects("header whose sizes overflow (dim 2^31-2, 268,435,331 layers) in 8 KiB", "the header describes an invalid model",
                        () -> Llama2c.load(write("huge.bin", pad(header(Integer.MAX_VALUE - 1, 4, 268_435_331, 1, 1, 8, 4), 8192)))),
                rejects("header that does not match the file size", "bytes, the file has",
                        () -> Llama2c.load(write("short.bin", pad(header(4, 8, 1, 2, 2, 8, 4), 400)))),
                rejects("NaN weights", "element 0 is NaN", () -> Llama2c.load(llama(4, 8, 1, 2, 2, 8, 4, Float.NaN))),
                rejects("infinite weights", "element 0 is Infinity", () -> Llama2c.load(llama(4, 8, 1, 2, 2, 8, 4, Float.POSITIVE_INFINITY))),
                rejects("vocab_size of Integer.MIN_VALUE", "not a vocabulary size",
                        () -> Llama2c.load(write("min.bin", pad(header(4, 8, 1, 2, 2, Integer.MIN_VALUE, 4), 64)))),
                rejects("negative dimensions", "the header describes an invalid model",
                        () -> Llama2c.load(write("neg.bin", pad(header(-4, 8, 1, 2, 2, 8, 4), 64)))),
                rejects("shorter than the header", "shorter than the 28-byte llama2.c header", () -> Llama2c.load(write("tiny.bin", new byte[10]))),
                rejects("a directory", "not a regular file", () -> Llama2c.load(temp("dir").getParent())),
                rejects("a named pipe", "not a regular file", () -> Llama2c.load(fifo())),
                accepts("4000 layers and a million positions in 8 MB: caches sized by the 8 tokens generated", () -> {
                    Llama2c.Checkpoint c = Llama2c.load(llama(2, 2, 4000, 1, 1, 4, 1 << 20, 0));
                    new CachedGenerator(new GenericTransformer(c.weights())).generate(Generation.greedy(new int[] {1}, 8));
                }));
    }

    static List<Hostile.Case> tokenizers() {
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        byte[] sp = " ".getBytes(StandardCharsets.UTF_8);
        return List.of(
                rejects("a missing file", "not a regular file", () -> Tokenizer.load(temp("none.bin"), 3)),
                rejects("a directory", "not a regular file", () -> Tokenizer.load(temp("d").getParent(), 3)),
                rejects("/dev/zero", "not a regular file", () -> Tokenizer.load(Path.of("/dev/zero"), 3)),
                rejects("a named pipe", "not a regular file", () -> Tokenizer.load(fifo(), 3)),
                rejects("bytes after the last token", "bytes after token 1", () -> Tokenizer.load(tokenizer(4, 0, a, sp, a), 2)),
                rejects("a token longer than max_token_length", "outside [0, max_token_length 1]",
                        () -> Tokenizer.load(tokenizer(1, 0, a, "ab".getBytes(StandardCharsets.UTF_8)), 2)),
                rejects("max_token_length 0", "max_token_length is 0", () -> Tokenizer.load(tokenizer(0, 0, a), 1)),
                rejects("a NaN score", "has score NaN", () -> Tokenizer.load(tokenizer(4, Float.NaN, a), 1)),
                rejects("truncated", "truncated", () -> Tokenizer.load(tokenizer(4, 0, a), 2)),
                rejects("a vocabulary of 0", "a vocabulary of 0 tokens", () -> Tokenizer.load(tokenizer(4, 0, a), 0)),
                rejects("a byte with no fallback token", "has no byte fallback",
                        () -> Tokenizer.load(tokenizer(4, 0, a, sp), 2).encode("\u00e9", false, false)));
    }

    static List<Hostile.Case> states() {
        AttentionSpec gla = AttentionSpec.builder(AttentionMode.GLA, 16).build();
        AttentionSpec ll = AttentionSpec.builder(AttentionMode.LOG_LINEAR, 16).set(LogLinearMode.MAX_LEVELS, 4).build();
        return List.of(
                rejects("a 200-byte blob declaring width 40,000", "[Unroll/TooLarge] the fused input projection",
                        () -> AttentionState.fromBytes(state("{\"mode\":\"GLA\",\"width\":40000,\"heads\":1}", 32, 0, 0, 3, 40))),
                rejects("a 200-byte blob declaring a state of 64 MB", "corrupt attention state: 3 values in 40 bytes",
                        () -> AttentionState.fromBytes(state("{\"mode\":\"GLA\",\"width\":4096,\"heads\":1,\"keyWidth\":4096,\"valueWidth\":4096}",
                                32, 0, 0, 3, 40))),
                rejects("a negative token counter", "token counter -5", () -> AttentionState.fromBytes(state(gla, -5, 0, Float.MIN_VALUE))),
                rejects("level bits beyond maxLevels", "level mask", () -> AttentionState.fromBytes(state(ll, 3, 1L << 10, 0))),
                rejects("a level mask on a mode without levels", "a mode without levels", () -> AttentionState.fromBytes(state(gla, 1, 1, 0))),
                rejects("a Log-Linear level mask that disagrees with the token count (3 tokens, mask 0x4)",
                        "level mask 0x4 for 3 tokens; a state of 4 levels holds mask 0x3", () -> AttentionState.fromBytes(state(ll, 3, 4, 0))),
                rejects("a token counter of Long.MAX_VALUE (it wraps negative)", "token counter 9223372036854775807",
                        () -> AttentionState.fromBytes(state(gla, Long.MAX_VALUE, 0, 0))),
                accepts("a Log-Linear state after 37 tokens, its top level saturated, read back", () -> {
                    GenericLinearAttention layer = GenericLinearAttention.seeded(ll);
                    AttentionState s = layer.newState();
                    double[] y = new double[16];
                    for (int t = 0; t < 37; t++) {
                        double[] x = new double[16];
                        java.util.Arrays.fill(x, Math.sin(t));
                        layer.step(s, x, y);
                    }
                    if (s.levelMask() != 0xd) {
                        throw new AssertionError("mask 0x" + Long.toHexString(s.levelMask()) + " after 37 tokens of 4 levels");
                    }
                    AttentionState.fromBytes(s.toBytes());
                }),
                rejects("a NaN value", "is NaN", () -> AttentionState.fromBytes(state(gla, 1, 0, Float.NaN))),
                rejects("a bad magic", "bad magic", () -> AttentionState.fromBytes(new byte[16])),
                rejects("truncated", "corrupt attention state", () -> {
                    byte[] b = state(gla, 1, 0, 0.5f);
                    AttentionState.fromBytes(java.util.Arrays.copyOf(b, 20));
                }),
                rejects("a descriptor that is not UTF-8", "not a valid one",
                        () -> AttentionState.fromBytes(rawState(new byte[] {(byte) 0xff, (byte) 0xfe}, 32, 0, 0, 0, 0))),
                rejects("an unknown descriptor member", "unknown member \"wdith\"",
                        () -> AttentionState.fromBytes(state("{\"mode\":\"GLA\",\"wdith\":16}", 32, 0, 0, 0, 0))),
                accepts("a state written and read back", () -> AttentionState.fromBytes(state(gla, 3, 0, 0.25f))));
    }

    static List<Hostile.Case> safetensors() {
        AttentionSpec gla = AttentionSpec.builder(AttentionMode.GLA, 8).heads(2).build();
        return List.of(
                rejects("a tensor name with a terminal escape and a forged line", "unexpected tensor x\\u001b[2J\\u000aFAKE", () -> {
                    Path p = temp("forged.safetensors");
                    new SafetensorsWriter().add("x\u001b[2J\nFAKE: PASS expected.y", DType.F32, new long[] {1}, new float[] {1}).write(p);
                    try (SafetensorsFile f = SafetensorsFile.open(p)) {
                        AttentionWeights.load(gla, TensorSource.of(f));
                    }
                }),
                rejects("100,000 unexpected tensors", "more characters", () -> {
                    Path p = temp("many.safetensors");
                    SafetensorsWriter w = new SafetensorsWriter();
                    for (int i = 0; i < 100_000; i++) {
                        w.add("junk." + i, DType.F32, new long[] {1}, new float[] {0});
                    }
                    w.write(p);
                    try (SafetensorsFile f = SafetensorsFile.open(p)) {
                        AttentionWeights.load(gla, TensorSource.of(f));
                    }
                }),
                rejects("a sparse 1 GiB BF16 tensor read as doubles under a 256 MiB budget", "memory budget", () -> {
                    Path p = sparseBf16(1L << 29);
                    String old = System.setProperty("unroll.maxBytes", "256m");
                    try (SafetensorsFile f = SafetensorsFile.open(p)) {
                        f.doubles("big");
                    } finally {
                        if (old == null) {
                            System.clearProperty("unroll.maxBytes");
                        } else {
                            System.setProperty("unroll.maxBytes", old);
                        }
                    }
                }),
                rejects("a named pipe", "not a regular file", () -> SafetensorsFile.open(fifo())));
    }

    static List<Hostile.Case> json() {
        return List.of(
                rejects("a reference JSON over 64 MiB", "a JSON file may have", () -> {
                    Path p = temp("big.json");
                    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                        f.setLength(65L << 20);
                    }
                    ReferenceGolden.read(p);
                }),
                rejects("a reference JSON that is not UTF-8", "not valid UTF-8",
                        () -> ReferenceGolden.read(write("bad.json", new byte[] {'{', '"', (byte) 0xc3, '"', '}'}))),
                rejects("a reference JSON that is a directory", "not a regular file", () -> ReferenceGolden.read(temp("j").getParent())),
                rejects("a digest-only reference JSON of 260 bytes declaring d_model 16384 (8 GiB of weights to regenerate)", "memory budget",
                        () -> withBudget("2g", () -> ReferenceGolden.read(write("wide.json", ("{\"config\": {\"d_model\": 16384, \"n_heads\": 1, \"d_key\": 16384, \"d_value\": 16384, "
                                + "\"seed\": 42, \"mode\": {\"name\": \"GLA\"}}, \"weights_digest\": \"00\", \"inputs\": [[0.5]], "
                                + "\"outputs\": [[0.5]], \"final_state\": [0.5]}").getBytes(StandardCharsets.UTF_8))))));
    }

    /** Runs a case under a memory budget, restoring the caller's. */
    static void withBudget(String budget, Hostile.Body body) throws Exception {
        dev.unroll.runtime.TestProperties.with(Limits.BUDGET_PROPERTY, budget, body);
    }

    /**
     * The default budget leaves headroom: an allocation just under the heap used to pass the check
     * (the budget was the heap) and then run out, since the program already holds part of it.
     */
    @Test
    void theDefaultBudgetLeavesHeadroomAndSaysSo() throws Exception {
        withBudget("", () -> {
            long heap = Runtime.getRuntime().maxMemory();
            long reserve = Math.min(heap - heap / 4 * 3, (long) Limits.RESERVE_MIB << 20);
            assertEquals(heap - reserve, Limits.memoryBudget());
            UnrollException e = assertThrows(UnrollException.class, () -> Limits.checkBudget("a checkpoint just under the heap", heap - (1 << 20)));
            assertTrue(e.getMessage().contains("less " + Limits.human(reserve) + " kept for the rest of the program"), e.getMessage());
        });
    }

    /**
     * What a model keeps for its life is checked against what the budget leaves beside what the
     * program holds: a need that fits an empty heap but not beside a live array is refused, naming
     * what is in use; garbage does not count against it (a collection runs before a refusal).
     */
    @Test
    void aResidentNeedIsCheckedBesideWhatTheProgramHolds() throws Exception {
        withBudget("", () -> {
            long budget = Limits.defaultBudget();
            long[] held = new long[64 << 17]; // 64 MiB, live until the end
            UnrollException e = assertThrows(UnrollException.class, () -> Limits.checkResident("a model", budget - (32 << 20)));
            assertTrue(e.getMessage().startsWith("a model needs "), e.getMessage());
            assertTrue(e.getMessage().contains(" in use and " + Limits.human(Runtime.getRuntime().maxMemory() - budget)
                    + " kept for the rest of the program"), e.getMessage());
            Limits.checkBudget("a model", budget - (32 << 20)); // the budget alone would have passed it

            System.gc();
            Runtime rt = Runtime.getRuntime();
            long live = rt.totalMemory() - rt.freeMemory();
            for (int i = 0; i < 8; i++) {
                blackhole = new byte[64 << 20]; // garbage: dropped at once
            }
            blackhole = null;
            Limits.checkResident("a model", budget - live - (48 << 20));
            assertEquals(64 << 17, held.length);
        });
    }

    private static volatile Object blackhole;

    @ParameterizedTest(name = "llama2.c: {0}")
    @MethodSource("llama2c")
    void llama2cCheckpoints(Hostile.Case c) {
        Hostile.check(c);
    }

    @ParameterizedTest(name = "tokenizer: {0}")
    @MethodSource("tokenizers")
    void tokenizerFiles(Hostile.Case c) {
        Hostile.check(c);
    }

    @ParameterizedTest(name = "state bytes: {0}")
    @MethodSource("states")
    void serialisedStates(Hostile.Case c) {
        Hostile.check(c);
    }

    @ParameterizedTest(name = "safetensors: {0}")
    @MethodSource("safetensors")
    void safetensorsFiles(Hostile.Case c) {
        Hostile.check(c);
    }

    @ParameterizedTest(name = "JSON: {0}")
    @MethodSource("json")
    void jsonFiles(Hostile.Case c) {
        Hostile.check(c);
    }

    // ---------------------------------------------------------------- file makers

    private static byte[] pad(ByteBuffer header, int size) {
        byte[] b = new byte[size];
        header.get(b, 0, 28);
        return b;
    }

    /** A valid state of {@code spec} with one value changed to {@code value} and the given counters. */
    private static byte[] state(AttentionSpec spec, long tokens, long mask, float value) {
        AttentionState s = new AttentionState(spec);
        byte[] good = s.toBytes();
        ByteBuffer b = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        int descLen = b.getInt(8);
        int at = 12 + descLen + 1;
        b.putLong(at, tokens).putLong(at + 8, mask);
        b.putFloat(at + 20, value);
        return good;
    }

    private static byte[] state(String descriptor, int bits, long tokens, long mask, int count, int valueBytes) {
        return rawState(descriptor.getBytes(StandardCharsets.UTF_8), bits, tokens, mask, count, valueBytes);
    }

    private static byte[] rawState(byte[] desc, int bits, long tokens, long mask, int count, int valueBytes) {
        ByteBuffer b = ByteBuffer.allocate(12 + desc.length + 1 + 16 + 4 + valueBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x554e5253).putInt(1).putInt(desc.length).put(desc).put((byte) bits).putLong(tokens).putLong(mask).putInt(count);
        return b.array();
    }

    /** A safetensors file declaring one BF16 tensor of {@code n} elements whose data is a hole. */
    private static Path sparseBf16(long n) throws Exception {
        String header = "{\"big\":{\"dtype\":\"BF16\",\"shape\":[" + n + "],\"data_offsets\":[0," + 2 * n + "]}}";
        while (header.length() % 8 != 0) {
            header += " ";
        }
        Path p = temp("sparse.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length());
            f.write(len.array());
            f.write(header.getBytes(StandardCharsets.US_ASCII));
            f.setLength(8 + header.length() + 2 * n);
        }
        return p;
    }

    static List<Hostile.Case> all() {
        List<Hostile.Case> all = new ArrayList<>();
        all.addAll(llama2c());
        all.addAll(tokenizers());
        all.addAll(states());
        all.addAll(safetensors());
        all.addAll(json());
        return all;
    }
}
