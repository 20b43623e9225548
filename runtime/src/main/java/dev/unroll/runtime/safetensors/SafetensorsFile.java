package dev.unroll.runtime.safetensors;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.internal.ChunkedReads;
import dev.unroll.runtime.internal.HalfFloats;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.internal.json.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file: an 8-byte little-endian header length, a JSON header naming every tensor's
 * dtype, shape and byte range, then the packed little-endian data.
 *
 * <p>Reading is hardened: the header is bounded ({@link #MAX_HEADER_BYTES}) and must fit in the
 * file; every tensor's byte range must match its dtype and shape, lie inside the data section, and
 * not overlap another; the data section must be covered without holes. Any violation is a
 * {@link SafetensorsFormatException} naming the tensor, never an out-of-memory error. Files opened
 * with {@link #open(Path)} are read one tensor at a time, by positional chunks of 4 MiB (not mapped:
 * a file truncated by another process while it is read is a clean error, not a fault);
 * {@link #read(InputStream, long, String)} streams a bounded amount into the heap.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";

    private final String source;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final long dataStart;
    private final FileChannel channel;
    private final ByteBuffer heapData;

    private SafetensorsFile(String source, Map<String, TensorInfo> tensors, Map<String, String> metadata,
            long dataStart, FileChannel channel, ByteBuffer heapData) {
        this.source = source;
        this.tensors = tensors;
        this.metadata = metadata;
        this.dataStart = dataStart;
        this.channel = channel;
        this.heapData = heapData;
    }

    /**
     * Opens a file and validates its header; tensor data are read when asked for, by positional chunks.
     *
     * @param path the file
     * @return the open file; close it to release the channel
     */
    public static SafetensorsFile open(Path path) {
        dev.unroll.runtime.internal.Checks.notNull("SafetensorsFile.open: path", path);
        if (!Files.isRegularFile(path)) {
            // a FIFO, device or directory would block or never end
            throw new SafetensorsFormatException(path + ": not a regular file (a safetensors file is a file on disk)");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsFormatException(path + ": file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path.toString());
            long headerLen = lenBuf.getLong(0);
            checkHeaderLength(headerLen, size, path.toString());
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8, path.toString());
            Parsed parsed = parseHeader(header.array(), size - 8 - headerLen, path.toString());
            SafetensorsFile f = new SafetensorsFile(path.toString(), parsed.tensors, parsed.metadata, 8 + headerLen, ch, null);
            ch = null; // owned by f now
            return f;
        } catch (IOException e) {
            throw new SafetensorsFormatException(path + ": cannot read: " + e.getMessage(), e);
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

    /**
     * Reads a whole file from a stream into memory, refusing more than {@code maxBytes}.
     *
     * @param in the stream (not closed)
     * @param maxBytes the most bytes this call may hold, header included
     * @param name a name for messages (a file name or resource)
     * @return the file, backed by the heap
     */
    public static SafetensorsFile read(InputStream in, long maxBytes, String name) {
        dev.unroll.runtime.internal.Checks.notNull("SafetensorsFile.read: the stream", in);
        try {
            byte[] lenBytes = in.readNBytes(8);
            if (lenBytes.length < 8) {
                throw new SafetensorsFormatException(name + ": stream ended after " + lenBytes.length + " bytes, before the 8-byte header length");
            }
            long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            checkHeaderLength(headerLen, maxBytes, name);
            byte[] header = in.readNBytes((int) headerLen);
            if (header.length < headerLen) {
                throw new SafetensorsFormatException(name + ": stream ended inside the " + headerLen + "-byte header");
            }
            long dataLimit = maxBytes - 8 - headerLen;
            Parsed parsed = parseHeader(header, -1, name);
            long dataLen = parsed.maxEnd;
            if (dataLen > dataLimit || dataLen > Integer.MAX_VALUE - 16) {
                throw new SafetensorsFormatException(name + ": header declares " + dataLen + " data bytes, more than the "
                        + Math.min(dataLimit, Integer.MAX_VALUE - 16) + " this reader may hold");
            }
            byte[] data = in.readNBytes((int) dataLen);
            if (data.length < dataLen) {
                throw new SafetensorsFormatException(name + ": truncated: header declares " + dataLen + " data bytes, stream has " + data.length);
            }
            if (in.read() != -1) {
                throw new SafetensorsFormatException(name + ": data section is longer than the tensors the header declares");
            }
            checkCoverage(parsed.tensors, dataLen, name);
            return new SafetensorsFile(name, parsed.tensors, parsed.metadata, 0, null, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new SafetensorsFormatException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void checkHeaderLength(long headerLen, long available, String name) {
        if (headerLen < 2) {
            throw new SafetensorsFormatException(name + ": header length " + headerLen + " is too small for a JSON object");
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(name + ": header length " + headerLen + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLen > available - 8) {
            throw new SafetensorsFormatException(name + ": header length " + headerLen + " exceeds the " + (available - 8) + " bytes after the length field");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, String name) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new SafetensorsFormatException(name + ": unexpected end of file");
            }
        }
    }

    private record Parsed(Map<String, TensorInfo> tensors, Map<String, String> metadata, long maxEnd) {}

    /** Parses and checks the header; {@code dataLen} is -1 when not known yet (streams). */
    private static Parsed parseHeader(byte[] headerBytes, long dataLen, String name) {
        String text;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes));
            text = cb.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(name + ": header is not valid UTF-8");
        }
        text = stripTrailingSpaces(text);
        if (!text.startsWith("{")) {
            throw new SafetensorsFormatException(name + ": header does not start with '{'");
        }
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (JsonException e) {
            throw new SafetensorsFormatException(name + ": header is not valid JSON: " + e.getMessage());
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        long maxEnd = 0;
        for (Map.Entry<String, Object> e : root.entrySet()) {
            String tname = e.getKey();
            if (tname.equals(METADATA)) {
                if (!(e.getValue() instanceof Map)) {
                    throw new SafetensorsFormatException(name + ": __metadata__ must be an object of strings");
                }
                for (Map.Entry<?, ?> m : ((Map<?, ?>) e.getValue()).entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw new SafetensorsFormatException(name + ": __metadata__ value of \"" + m.getKey() + "\" is not a string");
                    }
                    metadata.put((String) m.getKey(), (String) m.getValue());
                }
                continue;
            }
            TensorInfo info = tensorEntry(tname, e.getValue(), name);
            if (dataLen >= 0 && info.end() > dataLen) {
                throw new SafetensorsFormatException(name + ": tensor '" + tname + "' ends at byte " + info.end()
                        + " but the data section has only " + dataLen + " bytes (truncated file or lying offsets)");
            }
            maxEnd = Math.max(maxEnd, info.end());
            tensors.put(tname, info);
        }
        if (dataLen >= 0) {
            checkCoverage(tensors, dataLen, name);
        }
        return new Parsed(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata), maxEnd);
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    private static TensorInfo tensorEntry(String tname, Object value, String file) {
        String where = file + ": tensor '" + tname + "'";
        if (!(value instanceof Map)) {
            throw new SafetensorsFormatException(where + ": entry is not an object");
        }
        Map<?, ?> m = (Map<?, ?>) value;
        Object dt = m.get("dtype");
        Object sh = m.get("shape");
        Object off = m.get("data_offsets");
        if (!(dt instanceof String) || !(sh instanceof List) || !(off instanceof List)) {
            throw new SafetensorsFormatException(where + ": needs string \"dtype\", array \"shape\" and array \"data_offsets\"");
        }
        DType dtype = DType.parse((String) dt, tname);
        List<?> shapeList = (List<?>) sh;
        long[] shape = new long[shapeList.size()];
        long count = 1;
        try {
            for (int i = 0; i < shape.length; i++) {
                shape[i] = nonNegative(shapeList.get(i), where + ": shape[" + i + "]");
                count = Math.multiplyExact(count, shape[i]);
            }
        } catch (ArithmeticException ex) {
            throw new SafetensorsFormatException(where + ": shape " + shapeList + " overflows 64 bits");
        }
        List<?> offs = (List<?>) off;
        if (offs.size() != 2) {
            throw new SafetensorsFormatException(where + ": data_offsets must have 2 entries, has " + offs.size());
        }
        long begin = nonNegative(offs.get(0), where + ": data_offsets[0]");
        long end = nonNegative(offs.get(1), where + ": data_offsets[1]");
        if (end < begin) {
            throw new SafetensorsFormatException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(count, (long) dtype.bytes());
        } catch (ArithmeticException ex) {
            throw new SafetensorsFormatException(where + ": byte size overflows 64 bits");
        }
        if (end - begin != bytes) {
            throw new SafetensorsFormatException(where + ": " + dtype + Arrays.toString(shape) + " needs " + bytes
                    + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new TensorInfo(tname, dtype, shape, begin, end);
    }

    private static long nonNegative(Object v, String what) {
        long x;
        try {
            x = Json.asLong(v, what);
        } catch (JsonException e) {
            throw new SafetensorsFormatException(e.getMessage());
        }
        if (x < 0) {
            throw new SafetensorsFormatException(what + " is negative (" + x + ")");
        }
        return x;
    }

    private static void checkCoverage(Map<String, TensorInfo> tensors, long dataLen, String name) {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long cursor = 0;
        TensorInfo prev = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < cursor) {
                throw new SafetensorsFormatException(name + ": tensors '" + prev.name() + "' [" + prev.begin() + ", " + prev.end()
                        + ") and '" + t.name() + "' [" + t.begin() + ", " + t.end() + ") overlap");
            }
            if (t.begin() > cursor) {
                throw new SafetensorsFormatException(name + ": data bytes [" + cursor + ", " + t.begin() + ") belong to no tensor");
            }
            if (t.end() > cursor) {
                cursor = t.end();
                prev = t;
            } else if (prev == null) {
                prev = t;
            }
        }
        if (cursor != dataLen) {
            throw new SafetensorsFormatException(name + ": data bytes [" + cursor + ", " + dataLen + ") belong to no tensor");
        }
    }

    // ---------------------------------------------------------------- access

    /** @return where this file came from */
    public String source() {
        return source;
    }

    /** @return tensor names in header order (metadata excluded) */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** @return every tensor entry, in header order */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** @return the {@code __metadata__} strings (empty when absent) */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * @param name a tensor name
     * @return whether the file holds it
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * @param name a tensor name
     * @return its entry
     * @throws SafetensorsFormatException when absent
     */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new SafetensorsFormatException(source + ": no tensor '" + name + "'");
        }
        return t;
    }

    /**
     * Checks a tensor's converted size before allocating it: a 2-byte BF16 tensor read as doubles
     * takes four times its bytes on the heap.
     *
     * @return its element count as an array length
     */
    private int allocation(TensorInfo t, int bytesPerElement) {
        int n = Limits.arrayLength(source + ": tensor '" + t.name() + "'", t.elementCount());
        Limits.checkBudget(source + ": tensor '" + t.name() + "' (" + n + " " + t.dtype() + " values read as " + bytesPerElement + "-byte values)",
                (long) n * bytesPerElement);
        return n;
    }

    /**
     * Reads a floating-point tensor as floats, converting from F64, BF16 or F16.
     *
     * @param name the tensor
     * @param expectedShape the shape it must have (none: any)
     * @return the elements in row-major order
     */
    public float[] floats(String name, long... expectedShape) {
        TensorInfo t = checked(name, expectedShape, true);
        float[] out = new float[allocation(t, Float.BYTES)];
        read(t, (b, at, count) -> {
            switch (t.dtype()) {
                case F32 -> b.asFloatBuffer().get(out, at, count);
                case F64 -> {
                    for (int i = 0; i < count; i++) {
                        out[at + i] = (float) b.getDouble(i * 8);
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        out[at + i] = HalfFloats.bf16ToFloat(b.getShort(i * 2));
                    }
                }
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        out[at + i] = HalfFloats.f16ToFloat(b.getShort(i * 2));
                    }
                }
                default -> throw new IllegalStateException(t.dtype().name());
            }
        });
        return out;
    }

    /**
     * Reads a floating-point tensor as doubles.
     *
     * @param name the tensor
     * @param expectedShape the shape it must have (none: any)
     * @return the elements in row-major order
     */
    public double[] doubles(String name, long... expectedShape) {
        TensorInfo t = checked(name, expectedShape, true);
        if (t.dtype() != DType.F64) {
            allocation(t, Double.BYTES + Float.BYTES);
            float[] f = floats(name);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        double[] out = new double[allocation(t, Double.BYTES)];
        read(t, (b, at, count) -> b.asDoubleBuffer().get(out, at, count));
        return out;
    }

    /**
     * Reads an integer tensor (I32, or I64 whose values fit) as ints.
     *
     * @param name the tensor
     * @param expectedShape the shape it must have (none: any)
     * @return the elements in row-major order
     */
    public int[] ints(String name, long... expectedShape) {
        TensorInfo t = checked(name, expectedShape, false);
        int[] out = new int[allocation(t, Integer.BYTES)];
        read(t, (b, at, count) -> {
            if (t.dtype() == DType.I32) {
                b.asIntBuffer().get(out, at, count);
                return;
            }
            for (int i = 0; i < count; i++) {
                long v = b.getLong(i * 8);
                if (v != (int) v) {
                    throw new SafetensorsFormatException(source + ": tensor '" + name + "' element " + (at + i) + " (" + v + ") does not fit in an int");
                }
                out[at + i] = (int) v;
            }
        });
        return out;
    }

    /** Receives a tensor's bytes in order: {@code count} elements, the first being element {@code at}. */
    @FunctionalInterface
    private interface Chunk {
        void accept(ByteBuffer bytes, int at, int count);
    }

    /** The most bytes read from the file at once: a tensor of gigabytes costs its decoded array and this. */
    private static final int CHUNK = 1 << 22;

    /**
     * Hands a tensor's bytes to {@code sink}: its slice of a file read into memory, or the file read by
     * positional chunks ({@link ChunkedReads}: a short read is a clean error saying the file changed).
     */
    private void read(TensorInfo t, Chunk sink) {
        int element = t.dtype().bytes();
        long len = t.end() - t.begin();
        if (heapData != null) {
            sink.accept(heapData.slice((int) t.begin(), (int) len).order(ByteOrder.LITTLE_ENDIAN), 0, (int) (len / element));
            return;
        }
        try {
            ChunkedReads.read(channel, dataStart + t.begin(), len, CHUNK, (buf, done) -> sink.accept(buf, (int) (done / element), buf.limit() / element),
                    size -> new SafetensorsFormatException(source + ": the file changed while tensor '" + t.name() + "' was read: it now ends at byte "
                            + size + ", before the tensor's bytes " + (dataStart + t.begin()) + ".." + (dataStart + t.end())
                            + " (truncated by another process?); read it again once it is complete"));
        } catch (IOException e) {
            throw new SafetensorsFormatException(source + ": cannot read tensor '" + t.name() + "': " + e.getMessage(), e);
        }
    }

    private TensorInfo checked(String name, long[] expectedShape, boolean floating) {
        TensorInfo t = info(name);
        if (t.dtype().isFloating() != floating) {
            throw new SafetensorsFormatException(source + ": tensor '" + name + "' is " + t.dtype() + ", expected "
                    + (floating ? "a floating-point" : "an integer") + " dtype");
        }
        if (expectedShape.length > 0 && !Arrays.equals(expectedShape, t.shape())) {
            throw new ShapeMismatchException(name, expectedShape, t.shape());
        }
        if (t.elementCount() > Integer.MAX_VALUE - 16) {
            throw new SafetensorsFormatException(source + ": tensor '" + name + "' has " + t.elementCount() + " elements, too many for one Java array");
        }
        return t;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new SafetensorsFormatException(source + ": cannot close: " + e.getMessage(), e);
            }
        }
    }
}
