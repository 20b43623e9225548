package dev.unroll.runtime.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.HalfFloats;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GgufFile} and {@link GgufModel} on files written by {@link GgufBytes}: every type read back as
 * written; the descriptor the metadata gives; and each way a file can be wrong as one
 * {@link GgufFormatException} naming the file and the key or tensor.
 */
class GgufFileTest {
    /** A small llama: rows of 32 (one block), 2 heads of 16 over 1 key/value head. */
    static final TransformerSpec SPEC = TransformerSpec.builder(1, 32, 2, 32, 8, 16).set(TransformerSpec.KV_HEADS, 1)
            .set(TransformerSpec.ROPE, RopeLayout.INTERLEAVED).build();

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void everyTypeReadsBackAsWritten() throws IOException {
        TransformerWeights w = TransformerWeights.seeded(SPEC, 3);
        for (GgmlType t : GgmlType.values()) {
            Path p = write(t + ".gguf", GgufBytes.llama(SPEC, w, n -> t));
            try (GgufFile f = GgufFile.open(p)) {
                assertEquals(3, f.version());
                TransformerSpec spec = GgufModel.spec(f);
                assertEquals(SPEC, spec);
                TransformerWeights read = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
                float[] q = w.get("model.layers.0.self_attn.q_proj.weight");
                float[] got = read.get("model.layers.0.self_attn.q_proj.weight");
                assertArrayEquals(expected(q, t), got, t.name());
                assertArrayEquals(w.get("model.norm.weight"), read.get("model.norm.weight"), "norms stay F32");
                new GenericTransformer(read).forwardToken(1, 0, new dev.unroll.runtime.transformer.KvCache[] {
                    new dev.unroll.runtime.transformer.KvCache(16, SPEC.kvWidth())}, new float[32], new float[8], null);
            }
        }
    }

    /**
     * Rows read alone ({@link GgufFile#floatRows}, and through the model's source) are the rows of the
     * whole tensor, in every type; a range outside the matrix, a vector and a file truncated while
     * open are clean errors naming them.
     */
    @Test
    void rowsReadAloneAreTheWholeTensorsRowsInEveryType() throws IOException {
        TransformerWeights w = TransformerWeights.seeded(SPEC, 5);
        for (GgmlType t : GgmlType.values()) {
            Path p = write("rows-" + t + ".gguf", GgufBytes.llama(SPEC, w, n -> t));
            try (GgufFile f = GgufFile.open(p)) {
                String embd = "token_embd.weight"; // [8][32]
                float[] whole = f.floats(embd);
                for (int[] r : new int[][] {{0, 1}, {0, 8}, {3, 4}, {7, 1}}) {
                    assertArrayEquals(Arrays.copyOfRange(whole, r[0] * 32, (r[0] + r[1]) * 32), f.floatRows(embd, r[0], r[1]), t + " " + r[0] + "+" + r[1]);
                }
                dev.unroll.runtime.weights.BlockCodes codes = f.blockCodes(embd);
                assertEquals(t.blockFormat(), codes == null ? null : codes.format(), t + ": block codes exactly for the block types");
                if (codes != null) {
                    dev.unroll.runtime.weights.BlockCodes some = f.blockCodes(embd, 3, 4);
                    assertArrayEquals(codes.rows(3, 4).codes(), some.codes(), t + " codes of rows 3..6");
                    assertArrayEquals(codes.rows(3, 4).scales(), some.scales(), t + " scales of rows 3..6");
                    assertArrayEquals(Arrays.copyOfRange(whole, 3 * 32, 7 * 32), some.values(), t + " rows 3..6 widened");
                    assertThrows(GgufFormatException.class, () -> f.blockCodes(embd, 5, 4));
                } else {
                    assertEquals(null, f.blockCodes(embd, 3, 4), t + ": no block codes");
                }
                dev.unroll.runtime.weights.TensorSource src = GgufModel.tensors(f, SPEC);
                assertTrue(src.readsRows());
                assertEquals(t.blockFormat(), src.blockFormat("model.embed_tokens.weight"), t + " block format from the header");
                assertEquals(null, src.blockFormat("model.norm.weight"), "a vector has no block format");
                assertArrayEquals(src.floats("model.layers.0.mlp.down_proj.weight"), concat(src.floatRows("model.layers.0.mlp.down_proj.weight", 0, 20),
                        src.floatRows("model.layers.0.mlp.down_proj.weight", 20, 12)), t + " down_proj in two ranges");
                GgufFormatException past = assertThrows(GgufFormatException.class, () -> f.floatRows(embd, 6, 3));
                assertTrue(past.getMessage().endsWith(": rows 6 to 8 of 'token_embd.weight': the matrix has rows 0 to 7 (first >= 0, count >= 1)"),
                        past.getMessage());
                assertThrows(GgufFormatException.class, () -> f.floatRows(embd, -1, 2));
                assertThrows(GgufFormatException.class, () -> f.floatRows(embd, 0, 0));
                assertThrows(GgufFormatException.class, () -> f.floatRows(embd, Integer.MAX_VALUE, Integer.MAX_VALUE));
                GgufFormatException vector = assertThrows(GgufFormatException.class, () -> f.floatRows("output_norm.weight", 0, 1));
                assertTrue(vector.getMessage().contains("not a matrix's rows"), vector.getMessage());
                assertThrows(GgufFormatException.class, () -> f.floatRows("no.such.tensor", 0, 1));
            }
        }
        Path p = write("rows-truncated.gguf", GgufBytes.llama(SPEC, w, n -> GgmlType.F32));
        try (GgufFile f = GgufFile.open(p)) {
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(p.toFile(), "rw")) {
                raf.setLength(raf.length() / 2);
            }
            String last = f.tensors().keySet().stream().filter(n -> f.tensor(n).shape().length == 2)
                    .reduce((a, b) -> f.tensor(a).offset() > f.tensor(b).offset() ? a : b).orElseThrow();
            int rows = (int) f.tensor(last).shape()[0];
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> f.floatRows(last, rows - 1, 1));
            assertTrue(e.getMessage().contains("the file changed while tensor '" + last + "' was read"), e.getMessage());
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The values a type holds for x, computed here from the format's definition. */
    private static float[] expected(float[] x, GgmlType t) {
        float[] out = new float[x.length];
        ByteBuffer b = ByteBuffer.wrap(GgufBytes.encode(x, t)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < x.length; i++) {
            out[i] = switch (t) {
                case F32 -> x[i];
                case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(x[i]));
                case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(x[i]));
                case Q8_0 -> b.get(i / 32 * 34 + 2 + i % 32) * HalfFloats.f16ToFloat(b.getShort(i / 32 * 34));
                case Q4_0 -> {
                    int byteAt = i / 32 * 18 + 2 + i % 16;
                    int nibble = i % 32 < 16 ? b.get(byteAt) & 0x0f : (b.get(byteAt) & 0xff) >> 4;
                    yield (nibble - 8) * HalfFloats.f16ToFloat(b.getShort(i / 32 * 18));
                }
            };
        }
        return out;
    }

    /** One file with some bytes replaced, and what opening or reading it must say. */
    private void refused(byte[] bytes, String says) throws IOException {
        Path p = write("bad.gguf", bytes);
        UnrollException e = assertThrows(UnrollException.class, () -> {
            try (GgufFile f = GgufFile.open(p)) {
                TransformerSpec s = GgufModel.spec(f);
                TransformerWeights.load(s, GgufModel.tensors(f, s));
            }
        }, says);
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains(says), says + ": " + e.getMessage());
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = to.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + f.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
                byte[] out = bytes.clone();
                System.arraycopy(t, 0, out, i, t.length);
                return out;
            }
        }
        throw new AssertionError("no " + from);
    }

    private static byte[] putInt(byte[] bytes, int at, int v) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        return out;
    }

    @Test
    void aBrokenFileIsOneErrorNamingWhatIsWrong() throws IOException {
        byte[] good = GgufBytes.llama(SPEC, TransformerWeights.seeded(SPEC, 3), n -> GgmlType.Q8_0);
        refused(replace(good, "GGUF", "GGML"), "not a GGUF file");
        refused(putInt(good, 4, 1), "GGUF version 1 is not read");
        refused(replace(good, "\5\0\0\0\0\0\0\0llama", "\5\0\0\0\0\0\0\0gemma"), "general.architecture \"gemma\" is not read (read: llama, qwen2, qwen3)");
        refused(replace(good, "llama.block_count", "llama.block_kount"), "metadata llama.block_count is missing");
        refused(replace(good, "output_norm.weight", "output_norm.weighs"), "tensor 'output_norm.weighs' is not part of the llama decoder");
        refused(replace(good, "output_norm.weight", "rope_freqs.weight\0"), "is not part of the llama decoder");
        // the first tensor's type (Q8_0, 8) patched to Q4_K (12)
        byte[] k = good.clone();
        int type = indexOf(good, "token_embd.weight") + "token_embd.weight".length() + 4 + 16;
        k = putInt(k, type, 12);
        refused(k, "ggml type 12 is not read");
        refused(putInt(good, type + 4, 3), "not a multiple of the alignment 32");
        refused(putInt(good, 8, 0x7fffffff), "the tensor count is 2147483647, more than");
        refused(putInt(good, 16, 0x7fffffff), "the metadata count is 2147483647, more than");
        refused(Arrays.copyOf(good, 20), "not a GGUF file");
        refused(Arrays.copyOf(good, 60), "the tensor count is 11, more than the file's 44 remaining bytes can hold");
        refused(Arrays.copyOf(good, 400), "(truncated?)");
        refused(Arrays.copyOf(good, good.length - 1), "past the data section's");
    }

    /** Metadata the kernels cannot honour, or that contradicts itself, named by key (found by a review's hostile files). */
    @Test
    void metadataTheKernelsCannotHonourIsRefusedByKey() throws IOException {
        TransformerWeights w = TransformerWeights.seeded(SPEC, 3);
        Object[][] cases = {
            {java.util.Map.of("llama.rope.scaling.factor", 4f), "llama.rope.scaling.factor = 4.0 scales RoPE"},
            {java.util.Map.of("llama.rope.scale_linear", 4f), "llama.rope.scale_linear = 4.0 scales RoPE"},
            {java.util.Map.of("llama.rope.dimension_count", 4f), "metadata llama.rope.dimension_count is not an integer"},
            {java.util.Map.of("llama.rope.dimension_count", 8), "llama.rope.dimension_count is 8 where a head is 16 wide"},
            {java.util.Map.of("llama.attention.value_length", 8), "llama.attention.value_length is 8 where a head is 16 wide"},
            {java.util.Map.of("llama.attention.head_count", 7), "[Unroll/HeadsNotDivisor]"},
            {java.util.Map.of("llama.attention.head_count_kv", 0), "llama.attention.head_count_kv is 0"},
            {java.util.Map.of("llama.attention.key_length", 0), "llama.attention.key_length is 0"},
            {java.util.Map.of("llama.embedding_length", -1L), "metadata llama.embedding_length is -1, outside an int"},
            {java.util.Map.of("llama.feed_forward_length", 31), "(as @Transformer(layers = 1, width = 32, heads = 2, kvHeads = 1, ffnHidden = 31"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> m = (java.util.Map<String, Object>) c[0];
            refused(GgufBytes.of("llama", SPEC, w, n -> GgmlType.F32, false, m), (String) c[1]);
        }
    }

    @Test
    void ropeFrequencyDivisorsNoLlama3ScalingGivesAreRefused() throws IOException {
        TransformerWeights w = TransformerWeights.seeded(SPEC, 3);
        float[] half = {1, 0.5f, 2, 2, 2, 2, 2, 2};
        refused(GgufBytes.of("llama", SPEC, w, n -> GgmlType.F32, false, java.util.Map.of(), java.util.Map.of("rope_freqs.weight", half)),
                "holds the divisor 0.5 (Llama 3's are 1 to the factor)");
        refused(GgufBytes.of("llama", SPEC, w, n -> GgmlType.F32, false, java.util.Map.of(), java.util.Map.of("rope_freqs.weight", new float[4])),
                "has dimensions [4], not one divisor per rotary frequency [8]");
        float[] rising = {1, 2, 3, 4, 5, 6, 7, 8};
        refused(GgufBytes.of("llama", SPEC, w, n -> GgmlType.F32, false, java.util.Map.of(), java.util.Map.of("rope_freqs.weight", rising)),
                "holds divisors that no Llama 3 scaling gives (factor 8.0");
    }

    @Test
    void aTensorsOffsetOrSizeBeyondAnyFileIsNamedWithTheFile() throws IOException {
        byte[] good = GgufBytes.llama(SPEC, TransformerWeights.seeded(SPEC, 3), n -> GgmlType.F32);
        int dims = indexOf(good, "token_embd.weight") + "token_embd.weight".length() + 4;
        byte[] far = good.clone();
        ByteBuffer.wrap(far).order(ByteOrder.LITTLE_ENDIAN).putLong(dims + 16 + 4, Long.MIN_VALUE);
        refused(far, "tensor 'token_embd.weight' starts at data offset 9223372036854775808, beyond any file");
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(dims, 1L << 62).putLong(dims + 8, 1);
        refused(huge, "takes more bytes than a file can hold");
    }

    @Test
    void aFileTruncatedWhileOpenIsACleanErrorWhenATensorIsRead() throws IOException {
        Path p = write("open.gguf", GgufBytes.llama(SPEC, TransformerWeights.seeded(SPEC, 3), n -> GgmlType.Q8_0));
        try (GgufFile f = GgufFile.open(p)) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 2);
            }
            UnrollException e = assertThrows(UnrollException.class, () -> f.floats("output_norm.weight"));
            assertTrue(e.getMessage().contains(p + ": the file changed while tensor 'output_norm.weight' was read: it now ends at byte "
                    + Files.size(p)), e.getMessage());
        }
    }

    @Test
    void aVocabularyWithoutBosCannotEncodeWithIt() {
        dev.unroll.runtime.transformer.Tokenizer one = dev.unroll.runtime.transformer.Tokenizer.fromPieces("v1", new byte[][] {{' '}}, new float[] {0});
        UnrollException e = assertThrows(UnrollException.class, () -> one.encode(" ", true, false));
        assertEquals("a vocabulary of 1 tokens has no BOS (id 1) to add", e.getMessage());
        assertArrayEquals(new int[] {0, 0}, one.encode(" ", false, false));
    }

    private static int indexOf(byte[] bytes, String s) {
        byte[] f = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + f.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
                return i;
            }
        }
        throw new AssertionError("no " + s);
    }

    @Test
    void aGeneratedModelsDescriptorIsCheckedNamingTheKeyAndBothValues() throws IOException {
        Path p = write("m.gguf", GgufBytes.llama(SPEC, TransformerWeights.seeded(SPEC, 3), n -> GgmlType.F32));
        try (GgufFile f = GgufFile.open(p)) {
            GgufModel.check(f, SPEC);
            GgufModel.check(f, SPEC.with(TransformerSpec.MAX_SEQ, 8));
            String m = assertThrows(UnrollException.class, () -> GgufModel.check(f, SPEC.with(TransformerSpec.FFN_HIDDEN, 64))).getMessage();
            assertEquals(p + ": llama.feed_forward_length = 32 but the model's ffnHidden is 64", m);
            m = assertThrows(UnrollException.class, () -> GgufModel.check(f, SPEC.with(TransformerSpec.MAX_SEQ, 64))).getMessage();
            assertTrue(m.contains("llama.context_length = 16 but the model's maxSeq is 64 (more positions than the file's context)"), m);
        }
    }
}
