package dev.unroll.runtime.fuzz;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.trm.TrmSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the loaders' seed corpus ({@code LoaderFuzzTestInputs} in the test resources): small valid files of
 * every format, deterministic, so that rerunning it reproduces the committed bytes. Run from the
 * repository root after a change of format:
 * {@code mvn -q -pl runtime test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.unroll.runtime.fuzz.CorpusWriter}.
 */
public final class CorpusWriter {
    private CorpusWriter() {}

    /**
     * @param args optional output folder
     * @throws IOException on write failure
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "runtime/src/test/resources/dev/unroll/runtime/fuzz/LoaderFuzzTestInputs");
        safetensors(Files.createDirectories(root.resolve("safetensors")));
        llama2c(Files.createDirectories(root.resolve("llama2c")));
        tokenizer(Files.createDirectories(root.resolve("tokenizer")));
        states(Files.createDirectories(root.resolve("stateBytes")));
        descriptors(Files.createDirectories(root.resolve("descriptors")));
        referenceJson(Files.createDirectories(root.resolve("referenceJson")));
        fla(Files.createDirectories(root.resolve("fla")));
    }

    /**
     * One call of each fla op ({@code FlaCalls}'s encoding): the op, sizes B 1, T 5, H 2, K 3, V 4, 4
     * levels, 2 Householder steps, an initial and a final state, then 64 values of {@code wave}.
     */
    private static void fla(Path dir) throws IOException {
        String[] ops = {"gla", "simple_gla", "retention", "linear_attn", "delta_rule", "gated_delta_rule", "gated_delta_product", "hgrn", "rwkv7", "dplr",
            "iplr", "log_linear_attn", "mlstm"};
        for (int op = 0; op < ops.length; op++) {
            ByteBuffer b = ByteBuffer.allocate(9 + 4 * 64).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) op).put((byte) 1).put((byte) 5).put((byte) 2).put((byte) 3).put((byte) 4).put((byte) 4).put((byte) 2).put((byte) 3);
            for (int i = 0; i < 64; i++) {
                // gates and decays want small negative values: log decays of about -0.1
                b.putFloat(op == 7 || i % 3 == 0 ? -Math.abs(wave(i)) : wave(i));
            }
            Files.write(dir.resolve(ops[op] + ".call"), b.array());
        }
    }

    /** Descriptor JSON of each family, as golden files and serialised states carry them. */
    private static void descriptors(Path dir) throws IOException {
        Files.writeString(dir.resolve("attention-gla.json"), Json.write(AttentionSpec.builder(AttentionMode.GLA, 16).heads(4).build().toJson()));
        Files.writeString(dir.resolve("attention-loglinear.json"),
                Json.write(AttentionSpec.builder(AttentionMode.LOG_LINEAR, 8).heads(2).precision(Precision.F32).build().toJson()));
        Files.writeString(dir.resolve("attention-deltaproduct.json"),
                Json.write(AttentionSpec.builder(AttentionMode.DELTA_PRODUCT, 8).heads(2).keyWidth(4).build().toJson()));
        Files.writeString(dir.resolve("transformer-looped.json"),
                Json.write(TransformerSpec.builder(5, 64, 8, 172, 512, 512).block(1, 3, 2).build().toJson()));
        // a decoder with an untied classifier and the optional seed of its seeded weights
        Map<String, Object> seeded = new java.util.LinkedHashMap<>(TransformerSpec.builder(2, 32, 4, 48, 40, 16)
                .set(TransformerSpec.KV_HEADS, 2).set(TransformerSpec.TIED_CLASSIFIER, false).build().toJson());
        seeded.put("seed", 11);
        Files.writeString(dir.resolve("transformer-seeded.json"), Json.write(seeded));
        Files.writeString(dir.resolve("trm-sudoku.json"), Json.write(TrmSpec.builder().build().toJson()));
    }

    static float wave(long i) {
        return (float) (0.1 * Math.sin(0.37 * i + 0.2));
    }

    private static void safetensors(Path dir) {
        float[] f = new float[24];
        double[] d = new double[6];
        int[] n = new int[5];
        for (int i = 0; i < f.length; i++) {
            f[i] = wave(i);
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = wave(100 + i);
        }
        for (int i = 0; i < n.length; i++) {
            n[i] = i * 7 - 3;
        }
        new SafetensorsWriter().metadata("format", "pt").metadata("note", "fuzz seed")
                .add("a.f32", DType.F32, new long[] {4, 6}, f)
                .add("b.bf16", DType.BF16, new long[] {2, 3, 4}, f)
                .add("c.f16", DType.F16, new long[] {24}, f)
                .add("d.f64", DType.F64, new long[] {6}, d)
                .add("e.i32", DType.I32, new long[] {5}, n)
                .add("f.i64", DType.I64, new long[] {1, 5}, n)
                .add("g.scalar", DType.F32, new long[] {}, new float[] {1.5f})
                .write(dir.resolve("dtypes.safetensors"));
        AttentionSpec spec = AttentionSpec.builder(AttentionMode.GLA, 8).heads(2).build();
        SafetensorsWriter w = new SafetensorsWriter();
        AttentionWeights.seeded(spec).writeTo(w, DType.F32, "");
        w.write(dir.resolve("gla-weights.safetensors"));
    }

    /** llama2.c: 28-byte header, then the weights in run.c's order (tied and untied classifier). */
    private static void llama2c(Path dir) throws IOException {
        for (boolean tied : new boolean[] {true, false}) {
            int dim = 8;
            int hidden = 16;
            int layers = 2;
            int heads = 2;
            int kvHeads = 1;
            int vocab = 12;
            int seq = 8;
            int hd = dim / heads;
            int kv = kvHeads * hd;
            long floats = (long) layers * (2 * dim + 2 * dim * dim + 2 * kv * dim + 3 * dim * hidden) + (long) vocab * dim + dim + seq * hd
                    + (tied ? 0 : (long) vocab * dim);
            ByteBuffer b = ByteBuffer.allocate((int) (28 + 4 * floats)).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(dim).putInt(hidden).putInt(layers).putInt(heads).putInt(kvHeads).putInt(tied ? vocab : -vocab).putInt(seq);
            for (long i = 0; i < floats; i++) {
                b.putFloat(wave(i));
            }
            Files.write(dir.resolve(tied ? "tied.bin" : "untied.bin"), b.array());
        }
    }

    /** A llama2.c tokenizer of 3 specials, 256 byte tokens and a few merges; its name carries the vocabulary size. */
    private static void tokenizer(Path dir) throws IOException {
        java.util.List<byte[]> pieces = new java.util.ArrayList<>();
        pieces.add("<unk>".getBytes(StandardCharsets.UTF_8));
        pieces.add("\n<s>\n".getBytes(StandardCharsets.UTF_8));
        pieces.add("\n</s>\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 256; i++) {
            pieces.add(String.format("<0x%02X>", i).getBytes(StandardCharsets.UTF_8));
        }
        for (String m : new String[] {" ", "e", "t", "th", " t", "he", " the", "on", "ce", " Once", "up", " upon"}) {
            pieces.add(m.getBytes(StandardCharsets.UTF_8));
        }
        int size = 4;
        for (byte[] p : pieces) {
            size += 8 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).putInt(8);
        for (int i = 0; i < pieces.size(); i++) {
            b.putFloat(i < 259 ? 0f : -(i - 259)).putInt(pieces.get(i).length).put(pieces.get(i));
        }
        Files.write(dir.resolve("tok" + pieces.size() + ".bin"), b.array());
    }

    /** Serialised states after a few tokens, for modes with each kind of state. */
    private static void states(Path dir) throws IOException {
        for (AttentionMode mode : new AttentionMode[] {AttentionMode.GLA, AttentionMode.LOG_LINEAR, AttentionMode.RWKV7, AttentionMode.DELTA_PRODUCT}) {
            for (Precision p : Precision.values()) {
                AttentionSpec spec = AttentionSpec.builder(mode, 8).heads(2).precision(p).build();
                GenericLinearAttention layer = new GenericLinearAttention(AttentionWeights.seeded(spec));
                AttentionState s = layer.newState();
                double[] x = new double[8];
                double[] y = new double[8];
                for (int t = 0; t < 5; t++) {
                    for (int i = 0; i < 8; i++) {
                        x[i] = Math.sin(0.3 * t + 0.7 * i);
                    }
                    layer.step(s, x, y);
                }
                if (p == Precision.F32) {
                    // the generic engine computes in f64; an f32 stream's state holds the same values narrowed
                    AttentionState narrow = new AttentionState(spec);
                    narrow.setValues(s.values());
                    s = narrow;
                }
                Files.write(dir.resolve(mode.name().toLowerCase(java.util.Locale.ROOT) + "-" + p.name().toLowerCase(java.util.Locale.ROOT) + ".state"),
                        s.toBytes());
            }
        }
    }

    /**
     * A reference attention file cut to its first token: the repository fixture
     * {@code data/golden/attention/gla.json} (the reference library's output) with {@code inputs},
     * {@code outputs} and {@code query_state} kept for token 0 and {@code final_state} set to its
     * {@code state_after_first_token}, so it stays a true, passing reference.
     */
    @SuppressWarnings("unchecked")
    private static void referenceJson(Path dir) throws IOException {
        Map<String, Object> root = Json.asObject(Json.parseFile(dev.unroll.runtime.TestData.fixture("golden/attention/gla.json")), "gla.json");
        Map<String, Object> cut = new java.util.LinkedHashMap<>();
        for (String k : new String[] {"config", "weights"}) {
            cut.put(k, root.get(k));
        }
        for (String k : new String[] {"inputs", "outputs", "query_state"}) {
            cut.put(k, java.util.List.of(((java.util.List<Object>) root.get(k)).get(0)));
        }
        cut.put("state_after_first_token", root.get("state_after_first_token"));
        cut.put("final_state", root.get("state_after_first_token"));
        Files.writeString(dir.resolve("gla-first-token.json"), Json.write(cut));
    }
}
