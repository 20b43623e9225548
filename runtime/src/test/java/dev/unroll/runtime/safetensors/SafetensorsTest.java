package dev.unroll.runtime.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.internal.HalfFloats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static byte[] bytes(SafetensorsWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(out);
        return out.toByteArray();
    }

    /** A file with a hand-written header and data section. */
    private static byte[] raw(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private Path write(byte[] content) throws IOException {
        Path p = dir.resolve("t.safetensors");
        Files.write(p, content);
        return p;
    }

    @Test
    void roundTripsEveryDtypeThroughFileAndStream() throws IOException {
        float[] f = {1.5f, -2.25f, 0f, 3.0e-5f, 65504f, -1e-8f};
        double[] d = {Math.PI, -Math.E, 1e-300, 0};
        int[] i = {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE};
        SafetensorsWriter w = new SafetensorsWriter().metadata("k", "v")
                .add("f32", DType.F32, new long[] {2, 3}, f)
                .add("f64", DType.F64, new long[] {4}, d)
                .add("bf16", DType.BF16, new long[] {6}, f)
                .add("f16", DType.F16, new long[] {6}, f)
                .add("i32", DType.I32, new long[] {2, 2}, i)
                .add("i64", DType.I64, new long[] {4}, i);
        byte[] content = bytes(w);
        for (SafetensorsFile file : new SafetensorsFile[] {SafetensorsFile.open(write(content)),
                SafetensorsFile.read(new ByteArrayInputStream(content), content.length, "stream")}) {
            try (file) {
                assertEquals("v", file.metadata().get("k"));
                assertArrayEquals(f, file.floats("f32", 2, 3));
                assertArrayEquals(d, file.doubles("f64"));
                assertArrayEquals(i, file.ints("i32", 2, 2));
                assertArrayEquals(i, file.ints("i64"));
                float[] bf = file.floats("bf16");
                float[] hf = file.floats("f16");
                for (int k = 0; k < f.length; k++) {
                    assertEquals(f[k], bf[k], Math.abs(f[k]) * 0x1p-8 + 1e-40, "bf16 " + k);
                    assertEquals(f[k], hf[k], Math.abs(f[k]) * 0x1p-11 + 6e-8, "f16 " + k);
                }
                assertEquals(65504f, hf[4], "f16 max is exact");
            }
        }
    }

    @Test
    void halfFloatRoundsToNearestEven() {
        assertEquals((short) 0x3c00, HalfFloats.floatToF16(1f));
        assertEquals((short) 0x3c00, HalfFloats.floatToF16(1f + 0x1p-11f), "a tie rounds to even");
        assertEquals((short) 0x3c01, HalfFloats.floatToF16(1f + 0x1.8p-11f));
        assertEquals((short) 0x7c00, HalfFloats.floatToF16(70000f), "overflow to infinity");
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 1), "smallest subnormal");
        assertEquals((short) 0x3f80, HalfFloats.floatToBf16(1f));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
    }

    @Test
    void writerOutputIsStableAndPadded() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().add("a", DType.F32, new long[] {3}, new float[] {1, 2, 3});
        byte[] one = bytes(w);
        assertArrayEquals(one, bytes(w));
        long headerLen = ByteBuffer.wrap(one).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
    }

    @Test
    void shapeMismatchNamesTensorAndShapes() throws IOException {
        Path p = write(bytes(new SafetensorsWriter().add("w", DType.F32, new long[] {2, 2}, new float[4])));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> f.floats("w", 4, 1));
            assertEquals("'w': expected shape [4, 1], got [2, 2]", e.getMessage());
        }
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        byte[] good = bytes(new SafetensorsWriter().add("w", DType.F32, new long[] {4}, new float[] {1, 2, 3, 4}));
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(write(cut)));
        assertTrue(e.getMessage().contains("tensor 'w' ends at byte 16 but the data section has only 13 bytes"), e.getMessage());
        assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.read(new ByteArrayInputStream(cut), 1 << 20, "cut"));
        assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(write(new byte[5])));
    }

    /**
     * A file truncated by another process after it was opened (a rewrite under a reader) is a clean
     * error saying the file changed, for every dtype path; mapped, it faulted (SIGBUS, an
     * InternalError at some later access).
     */
    @Test
    void aFileTruncatedWhileOpenIsACleanError() throws IOException {
        int n = 1 << 21;
        Path p = dir.resolve("big.safetensors");
        new SafetensorsWriter().add("w", DType.F32, new long[] {n}, new float[n]).add("d", DType.F64, new long[] {n}, new double[n])
                .add("h", DType.BF16, new long[] {n}, new float[n]).add("i", DType.I32, new long[] {n}, new int[n]).write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            f.floats("w");
            try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
                c.truncate(12 << 20); // inside d: w whole, the rest gone
            }
            f.floats("w");
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> f.doubles("d"));
            assertTrue(e.getMessage().contains("the file changed while tensor 'd' was read: it now ends at byte 12582912"), e.getMessage());
            assertThrows(SafetensorsFormatException.class, () -> f.floats("d"));
            assertThrows(SafetensorsFormatException.class, () -> f.floats("h"));
            assertThrows(SafetensorsFormatException.class, () -> f.ints("i"));
        }
    }

    /** Tensors larger than one read chunk (4 MiB) come back whole, in every dtype. */
    @Test
    void tensorsLargerThanOneChunkReadWhole() throws IOException {
        int n = (1 << 21) + 3;
        float[] f = new float[n];
        double[] d = new double[n];
        int[] i = new int[n];
        for (int x = 0; x < n; x++) {
            f[x] = x * 0.5f;
            d[x] = x * 0.25;
            i[x] = x - 7;
        }
        Path p = dir.resolve("chunks.safetensors");
        new SafetensorsWriter().add("f", DType.F32, new long[] {n}, f).add("d", DType.F64, new long[] {n}, d).add("i", DType.I64, new long[] {n}, i)
                .add("h", DType.F16, new long[] {n}, new float[n]).write(p);
        try (SafetensorsFile s = SafetensorsFile.open(p)) {
            assertArrayEquals(f, s.floats("f"));
            assertArrayEquals(d, s.doubles("d"));
            assertArrayEquals(i, s.ints("i"));
            assertEquals(n, s.floats("h").length);
        }
    }

    @Test
    void oversizedHeaderIsRejectedWithoutAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).putLong(0);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(write(b.array())));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
        ByteBuffer c = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).putLong(0);
        assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(write(c.array())));
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).putLong(0);
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(write(d.array())));
        assertTrue(e.getMessage().contains("exceeds the 8 bytes"), e.getMessage());
    }

    @Test
    void lyingOffsetsAreRejected() throws IOException {
        // declares 16 bytes (4 floats) but the offsets span 8
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8), "needs 16 bytes");
        // points beyond the data section
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[1000,1008]}}", 8), "ends at byte 1008");
        // end before begin
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8), "end before they begin");
        // negative and non-integer numbers
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "negative");
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4), "must be an integer");
        // a shape whose element count overflows
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4), "overflows");
    }

    @Test
    void overlapsAndHolesAreRejected() throws IOException {
        assertRejected(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap");
        assertRejected(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "belong to no tensor");
        assertRejected(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8), "belong to no tensor");
    }

    @Test
    void malformedHeadersAreRejected() throws IOException {
        assertRejected(raw("[1,2]   ", 0), "does not start with '{'");
        assertRejected(raw("{\"a\":", 0), "not valid JSON");
        assertRejected(raw("{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), "unsupported dtype \"Q4\"");
        assertRejected(raw("{\"a\":{\"dtype\":\"F32\"}}", 0), "needs string \"dtype\"");
        assertRejected(raw("{\"__metadata__\":{\"k\":1}}", 0), "is not a string");
        assertRejected(raw("{\"a\":1,\"a\":2}", 0), "duplicate key");
        byte[] deep = raw("[".repeat(5000), 0);
        deep[8] = '{';
        assertRejected(deep, "not valid JSON");
        byte[] badUtf8 = raw("{\"x\":1}", 0);
        badUtf8[10] = (byte) 0xff;
        assertRejected(badUtf8, "UTF-8");
    }

    @Test
    void streamReaderBoundsWhatItHolds() throws IOException {
        byte[] content = bytes(new SafetensorsWriter().add("w", DType.F32, new long[] {1024}, new float[1024]));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> SafetensorsFile.read(new ByteArrayInputStream(content), 1000, "small"));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
    }

    @Test
    void readsTheSharedTrmGoldenFile() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.optional("golden/trm/trm_seed0.safetensors"))) {
            assertArrayEquals(new long[] {4, 81}, f.info("input.tokens").shape());
            assertEquals(DType.I32, f.info("input.tokens").dtype());
            float[] q = f.floats("output.q_hat", 4, 1);
            assertArrayEquals(new float[] {-5, -5, -5, -5}, q, "the Q head starts at exactly -5");
        }
    }

    private void assertRejected(byte[] content, String messagePart) throws IOException {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(write(content)));
        assertTrue(e.getMessage().contains(messagePart), "message \"" + e.getMessage() + "\" should contain \"" + messagePart + "\"");
    }
}
