package dev.unroll.runtime.gguf;

import static dev.unroll.runtime.UnrollException.safe;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.internal.ChunkedReads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (version 3, or 2, whose layout is the same), llama.cpp's model format: a header of
 * metadata (typed key/value pairs) and tensor entries, then the tensors' data, each at an aligned
 * offset.
 *
 * <p>Opening reads and checks the whole header before any tensor: every count and length against the
 * bytes the file has, every tensor's type (F32, F16, BF16, Q8_0, Q4_0), whole blocks per row, its
 * byte range inside the data section at an aligned offset, and no two tensors overlapping. Tensors are
 * then read one at a time by positional chunks (not mapped: a file truncated by another process while
 * it is read is a clean error, not a fault) and widened to F32 ({@link #floats}). Any violation is a
 * {@link GgufFormatException} naming the key or tensor.
 */
public final class GgufFile implements AutoCloseable {
    /** The magic number: "GGUF" in little-endian bytes. */
    private static final int MAGIC = 0x46554747;
    /** ggml's default data alignment. */
    private static final int DEFAULT_ALIGNMENT = 32;

    private final String source;
    private final FileChannel channel;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufTensor> tensors;
    private final long dataStart;

    private GgufFile(String source, FileChannel channel, int version, Map<String, Object> metadata, Map<String, GgufTensor> tensors, long dataStart) {
        this.source = source;
        this.channel = channel;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.dataStart = dataStart;
    }

    /**
     * Opens a file and checks its header; tensor data are read when asked for.
     *
     * @param path the file
     * @return the open file; close it to release the channel
     */
    public static GgufFile open(Path path) {
        dev.unroll.runtime.internal.Checks.notNull("GgufFile.open: path", path);
        if (!Files.isRegularFile(path)) {
            throw new GgufFormatException(path + ": not a regular file (a GGUF model is a file on disk)");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            GgufFile f = read(ch, path.toString(), ch.size());
            ch = null; // owned by f now
            return f;
        } catch (IOException e) {
            throw new GgufFormatException(path + ": cannot read: " + e.getMessage(), e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the original failure is what matters
                }
            }
        }
    }

    private static GgufFile read(FileChannel ch, String source, long size) {
        GgufHeader h = new GgufHeader(ch, source, size);
        if (size < 24 || h.i32("the magic number") != MAGIC) {
            throw new GgufFormatException(source + ": not a GGUF file (it does not start with \"GGUF\")");
        }
        int version = h.i32("the version");
        if (version != 2 && version != 3) {
            throw new GgufFormatException(source + ": GGUF version " + Integer.toUnsignedString(version) + " is not read (read: 2 and 3)");
        }
        // a tensor entry takes at least 32 bytes, a metadata pair at least 13
        long tensorCount = h.count("the tensor count", size / 32);
        long kvCount = h.count("the metadata count", size / 13);
        Map<String, Object> metadata = Collections.unmodifiableMap(h.metadata(kvCount));
        List<GgufTensor> entries = new ArrayList<>();
        Map<String, GgufTensor> byName = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            GgufTensor t = h.tensor(i);
            if (byName.put(t.name(), t) != null) {
                throw new GgufFormatException(source + ": tensor '" + safe(t.name()) + "' appears twice");
            }
            entries.add(t);
        }
        long alignment = alignment(metadata, source);
        long dataStart = (h.offset() + alignment - 1) / alignment * alignment;
        long dataBytes = size - dataStart;
        entries.sort(Comparator.comparingLong(GgufTensor::offset));
        long end = 0;
        for (GgufTensor t : entries) {
            String name = "tensor '" + safe(t.name()) + "'";
            if (t.offset() < 0 || t.offset() % alignment != 0) {
                throw new GgufFormatException(source + ": " + name + " starts at data offset " + Long.toUnsignedString(t.offset())
                        + ", not a multiple of the alignment " + alignment);
            }
            if (t.offset() < end) {
                throw new GgufFormatException(source + ": " + name + " at data offset " + t.offset() + " overlaps the tensor before it (which ends at " + end + ")");
            }
            if (t.offset() > dataBytes || t.bytes() > dataBytes - t.offset()) {
                throw new GgufFormatException(source + ": " + name + " needs " + t.bytes() + " bytes from data offset " + t.offset()
                        + ", past the data section's " + Math.max(0, dataBytes) + " (truncated?)");
            }
            end = t.offset() + t.bytes();
        }
        return new GgufFile(source, ch, version, metadata, Collections.unmodifiableMap(byName), dataStart);
    }

    private static long alignment(Map<String, Object> metadata, String source) {
        Object a = metadata.get("general.alignment");
        if (a == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!(a instanceof Long v) || v < 1 || v > (1 << 20) || Long.bitCount(v) != 1) {
            throw new GgufFormatException(source + ": general.alignment is " + safe(String.valueOf(a)) + ", not a power of two up to 1 MiB");
        }
        return v;
    }

    /** @return where the file came from */
    public String source() {
        return source;
    }

    /** @return the GGUF version (2 or 3) */
    public int version() {
        return version;
    }

    /**
     * The metadata as read: integers of every width as {@link Long}, floats as {@link Double}, bools,
     * strings, and arrays as lists of those.
     *
     * @return key to value, in the file's order
     */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** @return every tensor entry, in the file's order */
    public Map<String, GgufTensor> tensors() {
        return tensors;
    }

    /**
     * @param name a tensor
     * @return its entry
     * @throws GgufFormatException when the file has no such tensor
     */
    public GgufTensor tensor(String name) {
        GgufTensor t = tensors.get(name);
        if (t == null) {
            throw new GgufFormatException(source + ": no tensor '" + safe(String.valueOf(name)) + "'");
        }
        return t;
    }

    /**
     * @param key a metadata key
     * @return its integer value
     * @throws GgufFormatException when absent or not an integer, naming the key
     */
    public long integer(String key) {
        Object v = metadata.get(key);
        if (!(v instanceof Long l)) {
            throw new GgufFormatException(source + ": metadata " + safe(String.valueOf(key)) + (v == null ? " is missing" : " is not an integer"));
        }
        return l;
    }

    /**
     * @param key a metadata key
     * @return its value as a number (an integer or a float)
     * @throws GgufFormatException when absent or not a number, naming the key
     */
    public double real(String key) {
        Object v = metadata.get(key);
        if (v instanceof Long l) {
            return l;
        }
        if (!(v instanceof Double d)) {
            throw new GgufFormatException(source + ": metadata " + safe(String.valueOf(key)) + (v == null ? " is missing" : " is not a number"));
        }
        return d;
    }

    /**
     * @param key a metadata key
     * @return its string value
     * @throws GgufFormatException when absent or not a string, naming the key
     */
    public String string(String key) {
        Object v = metadata.get(key);
        if (!(v instanceof String s)) {
            throw new GgufFormatException(source + ": metadata " + safe(String.valueOf(key)) + (v == null ? " is missing" : " is not a string"));
        }
        return s;
    }

    /** The most bytes read from the file at once, a whole number of any type's blocks. */
    private static final int CHUNK = 34 * 18 * 4096;

    /**
     * Reads a tensor widened to F32 (F16 and BF16 converted, Q8_0 and Q4_0 blocks dequantised), row-major.
     *
     * @param name the tensor
     * @return its elements, the slowest dimension first
     */
    public float[] floats(String name) {
        GgufTensor t = tensor(name);
        int n = Limits.arrayLength(source + ": tensor '" + safe(name) + "'", t.elements());
        Limits.checkBudget(source + ": tensor '" + safe(name) + "' (" + n + " " + t.type() + " values read as F32)", 4L * n);
        float[] out = new float[n];
        GgmlType type = t.type();
        readBlocks(name, t, (buf, block) -> type.decode(buf, out, block * type.blockSize(), buf.limit() / type.blockBytes() * type.blockSize()));
        return out;
    }

    /**
     * Reads rows of a matrix widened to F32, as {@link #floats} would give them, reading only their
     * bytes: a model packs a large tensor a chunk of rows at a time this way.
     *
     * @param name a tensor of two dimensions ({@code [rows][cols]} as {@link GgufTensor#shape})
     * @param firstRow its first row wanted
     * @param rows how many, at least 1
     * @return rows {@code firstRow .. firstRow + rows - 1}, row-major
     * @throws GgufFormatException when there is no such tensor or it cannot be read
     * @throws dev.unroll.runtime.UnrollException when it is not a matrix or the rows are outside it
     */
    public float[] floatRows(String name, int firstRow, int rows) {
        GgufTensor t = tensor(name);
        long[] shape = t.shape();
        if (shape.length != 2) {
            throw new GgufFormatException(source + ": tensor '" + safe(name) + "' has shape " + java.util.Arrays.toString(shape) + ", not a matrix's rows");
        }
        checkRows(name, t, firstRow, rows);
        int n = Limits.arrayLength(source + ": rows of '" + safe(name) + "'", rows, shape[1]);
        Limits.checkBudget(source + ": " + rows + " rows of tensor '" + safe(name) + "' (" + n + " " + t.type() + " values read as F32)", 4L * n);
        GgmlType type = t.type();
        long rowBytes = shape[1] / type.blockSize() * type.blockBytes(); // a row is whole blocks: ggml's rule, checked at open
        float[] out = new float[n];
        readBlocks(name, t, firstRow * rowBytes, rows * rowBytes,
                (buf, block) -> type.decode(buf, out, block * type.blockSize(), buf.limit() / type.blockBytes() * type.blockSize()));
        return out;
    }

    /** Receives a tensor's bytes a whole number of blocks at a time. */
    @FunctionalInterface
    private interface Blocks {
        /**
         * @param bytes the next blocks, from the buffer's position to its limit
         * @param block the index of the first of them
         */
        void accept(java.nio.ByteBuffer bytes, int block);
    }

    /** Reads a tensor's bytes by chunks of whole blocks; a file that shrinks meanwhile, or cannot be read, is named. */
    private void readBlocks(String name, GgufTensor t, Blocks sink) {
        readBlocks(name, t, 0, t.bytes(), sink);
    }

    /** Reads bytes {@code [from, from + length)} of a tensor (whole blocks) as {@link #readBlocks(String, GgufTensor, Blocks)}; blocks count from {@code from}. */
    private void readBlocks(String name, GgufTensor t, long from, long length, Blocks sink) {
        GgmlType type = t.type();
        int chunk = CHUNK / type.blockBytes() * type.blockBytes();
        try {
            ChunkedReads.read(channel, dataStart + t.offset() + from, length, chunk, (buf, done) -> sink.accept(buf, (int) (done / type.blockBytes())),
                    size -> new GgufFormatException(source + ": the file changed while tensor '" + safe(name) + "' was read: it now ends at byte "
                            + size + " (truncated by another process?); read it again once it is complete"));
        } catch (IOException e) {
            throw new GgufFormatException(source + ": cannot read tensor '" + safe(name) + "': " + e.getMessage(), e);
        }
    }

    /**
     * Reads a Q8_0 or Q4_0 matrix as its codes and scales, not widened: what a model of the same
     * block format ({@link dev.unroll.annotations.WeightFormat#Q8}, {@code Q4}) keeps as it is.
     *
     * @param name the tensor
     * @return its codes and scales ({@code [rows][cols]} as {@link GgufTensor#shape}), or null when it
     *     is not a two-dimensional Q8_0 or Q4_0 tensor
     */
    public dev.unroll.runtime.weights.BlockCodes blockCodes(String name) {
        GgufTensor t = tensor(name);
        if (blockFormat(t) == null) {
            return null;
        }
        return blockRows(name, t, 0, (int) Math.min(Integer.MAX_VALUE, t.shape()[0]));
    }

    /**
     * Reads rows of a Q8_0 or Q4_0 matrix as their codes and scales, reading only their blocks.
     *
     * @param name the tensor
     * @param firstRow its first row wanted
     * @param rows how many, at least 1
     * @return those rows' codes and scales, or null when it is not a two-dimensional Q8_0 or Q4_0 tensor
     * @throws GgufFormatException when there is no such tensor, the rows are outside it, or it cannot be read
     */
    public dev.unroll.runtime.weights.BlockCodes blockCodes(String name, int firstRow, int rows) {
        GgufTensor t = tensor(name);
        if (blockFormat(t) == null) {
            return null;
        }
        checkRows(name, t, firstRow, rows);
        return blockRows(name, t, firstRow, rows);
    }

    /** @return the block format of a two-dimensional Q8_0 or Q4_0 tensor, whose codes a model can keep; null for any other */
    static dev.unroll.annotations.WeightFormat blockFormat(GgufTensor t) {
        return t.shape().length == 2 ? t.type().blockFormat() : null;
    }

    /** Rows {@code [firstRow, firstRow + rows)} must lie within the matrix {@code t}. */
    private void checkRows(String name, GgufTensor t, int firstRow, int rows) {
        String bad = dev.unroll.runtime.internal.Checks.rowRangeError("'" + safe(name) + "'", firstRow, rows, t.shape()[0]);
        if (bad != null) {
            throw new GgufFormatException(source + ": " + bad);
        }
    }

    /** Rows of a block matrix: their blocks read, unpacked into codes and scales, each scale checked finite. */
    private dev.unroll.runtime.weights.BlockCodes blockRows(String name, GgufTensor t, int firstRow, int rows) {
        GgmlType type = t.type();
        long[] shape = t.shape();
        int n = Limits.arrayLength(source + ": tensor '" + safe(name) + "'", rows, shape[1]);
        Limits.checkBudget(source + ": " + rows + " rows of tensor '" + safe(name) + "' (" + n + " " + type + " codes and their scales)", n + 4L * (n / 32));
        byte[] codes = new byte[n];
        float[] scales = new float[n / 32];
        long rowBytes = shape[1] / type.blockSize() * type.blockBytes();
        readBlocks(name, t, firstRow * rowBytes, rows * rowBytes, (buf, block) -> type.codes(buf, codes, scales, block, buf.limit() / type.blockBytes()));
        long blocksPerRow = shape[1] / 32;
        for (int i = 0; i < scales.length; i++) {
            if (!Float.isFinite(scales[i])) {
                throw new GgufFormatException(source + ": tensor '" + safe(name) + "' block " + (firstRow * blocksPerRow + i) + " has the scale " + scales[i]);
            }
        }
        return new dev.unroll.runtime.weights.BlockCodes(type.blockFormat(), rows, (int) shape[1], codes, scales);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new GgufFormatException(source + ": cannot close: " + e.getMessage(), e);
        }
    }
}
