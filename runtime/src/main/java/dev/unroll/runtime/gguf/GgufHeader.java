package dev.unroll.runtime.gguf;

import static dev.unroll.runtime.UnrollException.safe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a GGUF file's header (magic, version, counts, metadata, tensor entries) from a channel,
 * sequentially through a small buffer. Every count and length is checked against the bytes the file
 * has left before anything is allocated for it, so a hostile header is a {@link GgufFormatException},
 * never an out-of-memory error.
 */
final class GgufHeader {
    /** Metadata value types, by GGUF's ids. */
    private static final int UINT8 = 0;
    private static final int INT8 = 1;
    private static final int UINT16 = 2;
    private static final int INT16 = 3;
    private static final int UINT32 = 4;
    private static final int INT32 = 5;
    private static final int FLOAT32 = 6;
    private static final int BOOL = 7;
    private static final int STRING = 8;
    private static final int ARRAY = 9;
    private static final int UINT64 = 10;
    private static final int INT64 = 11;
    private static final int FLOAT64 = 12;
    /** The longest key or tensor name read (llama.cpp's names are at most 64 bytes). */
    private static final int MAX_NAME = 4096;
    /** The longest string value read (a chat template is kilobytes). */
    static final long MAX_STRING = 16L << 20;
    /** The most string bytes a header may hold (a 150,000-token vocabulary and its merges are a few MB). */
    static final long MAX_STRING_BYTES = 64L << 20;
    /** The most metadata values a header may hold (a 150,000-token vocabulary, its types and merges: about 450,000). */
    static final long MAX_VALUES = 2_000_000;

    private long stringBytes;
    private long values;

    private final FileChannel ch;
    private final String source;
    private final long size;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    /** File offset of {@code buf}'s position 0. */
    private long bufStart;

    GgufHeader(FileChannel ch, String source, long size) {
        this.ch = ch;
        this.source = source;
        this.size = size;
        buf.limit(0);
    }

    /** @return the file offset of the next byte to read */
    long offset() {
        return bufStart + buf.position();
    }

    private long left() {
        return size - offset();
    }

    /** Makes {@code n} bytes (at most the buffer's capacity) readable from the buffer, refilling it from the file. */
    private void need(int n, String what) {
        if (buf.remaining() >= n) {
            return;
        }
        if (left() < n) {
            throw new GgufFormatException(source + ": the file ends at byte " + size + ", inside " + what + " (truncated?)");
        }
        long at = offset();
        buf.compact(); // the unread bytes move to the front; the file continues after them
        try {
            while (buf.position() < n) {
                if (ch.read(buf, at + buf.position()) < 0) {
                    throw new GgufFormatException(source + ": the file changed while it was read (it now ends before byte " + (at + n) + ")");
                }
            }
        } catch (IOException e) {
            throw new GgufFormatException(source + ": cannot read: " + e.getMessage(), e);
        }
        buf.flip();
        bufStart = at;
    }

    int u8(String what) {
        need(1, what);
        return buf.get() & 0xff;
    }

    int i32(String what) {
        need(4, what);
        return buf.getInt();
    }

    long u32(String what) {
        return i32(what) & 0xffffffffL;
    }

    long i64(String what) {
        need(8, what);
        return buf.getLong();
    }

    /** An unsigned 64-bit count or size, refused above {@code max}. */
    long count(String what, long max) {
        long v = i64(what);
        if (v < 0 || v > max) {
            throw new GgufFormatException(source + ": " + what + " is " + Long.toUnsignedString(v) + ", more than the file's " + left()
                    + " remaining bytes can hold");
        }
        return v;
    }

    String string(String what, long maxBytes) {
        long limit = Math.min(maxBytes, MAX_STRING);
        long len = i64(what + "'s length");
        if (len < 0 || len > left()) {
            throw new GgufFormatException(source + ": " + what + "'s length is " + Long.toUnsignedString(len) + ", more than the file's " + left()
                    + " remaining bytes");
        }
        if (len > limit) {
            throw new GgufFormatException(source + ": " + what + " is " + len + " bytes long, more than the " + limit + " read here");
        }
        stringBytes += len;
        if (stringBytes > MAX_STRING_BYTES) {
            throw new GgufFormatException(source + ": the header's strings pass " + MAX_STRING_BYTES + " bytes (at " + what + ")");
        }
        budget();
        byte[] b = new byte[(int) len];
        int done = 0;
        while (done < b.length) {
            if (!buf.hasRemaining()) {
                need(1, what);
            }
            int n = Math.min(buf.remaining(), b.length - done);
            buf.get(b, done, n);
            done += n;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new GgufFormatException(source + ": " + what + " is not valid UTF-8");
        }
    }

    /** The heap the metadata read so far takes, estimated: each string's bytes as chars and a copy, each value boxed in a list. */
    private long checkedAt = 1 << 20;

    /** Checks the memory budget each time the metadata's estimated size doubles (a hostile header is an error, not an OutOfMemoryError). */
    private void budget() {
        long estimate = 3 * stringBytes + 40 * values;
        if (estimate >= checkedAt) {
            checkedAt = 2 * estimate;
            dev.unroll.runtime.Limits.checkBudget(source + ": the metadata read so far (" + values + " values, " + stringBytes + " bytes of strings)",
                    2 * estimate); // what the header may take before the next check
        }
    }

    /** Reads one metadata value of GGUF type {@code type}. */
    Object value(int type, String key, int depth) {
        if (++values > MAX_VALUES) {
            throw new GgufFormatException(source + ": the metadata holds more than " + MAX_VALUES + " values (at " + key + ")");
        }
        budget();
        return switch (type) {
            case UINT8 -> (long) u8(key);
            case INT8 -> (long) (byte) u8(key);
            case UINT16 -> (long) (short16(key) & 0xffff);
            case INT16 -> (long) short16(key);
            case UINT32 -> u32(key);
            case INT32 -> (long) i32(key);
            // the float as written (1e-5, not its binary32's 9.99999974737875e-06): descriptors compare written values
            case FLOAT32 -> Double.parseDouble(Float.toString(Float.intBitsToFloat(i32(key))));
            case BOOL -> bool(key);
            case STRING -> string("the string of " + key, MAX_STRING);
            case ARRAY -> array(key, depth);
            case UINT64, INT64 -> i64(key);
            case FLOAT64 -> Double.longBitsToDouble(i64(key));
            default -> throw new GgufFormatException(source + ": metadata " + key + " has value type " + Integer.toUnsignedString(type)
                    + ", not a GGUF type (0..12)");
        };
    }

    private int short16(String what) {
        need(2, what);
        return buf.getShort();
    }

    private boolean bool(String what) {
        int b = u8(what);
        if (b > 1) {
            throw new GgufFormatException(source + ": metadata " + what + " is a bool of value " + b + " (0 or 1)");
        }
        return b == 1;
    }

    private List<Object> array(String key, int depth) {
        if (depth > 1) {
            throw new GgufFormatException(source + ": metadata " + key + " nests arrays deeper than an array of arrays");
        }
        int type = i32(key + "'s element type");
        if (type < 0 || type > FLOAT64) {
            throw new GgufFormatException(source + ": metadata " + key + " is an array of value type " + Integer.toUnsignedString(type)
                    + ", not a GGUF type (0..12)");
        }
        // every element takes at least one byte: a count above the bytes left is a lie
        long n = count(key + "'s element count", left());
        List<Object> out = new ArrayList<>((int) Math.min(n, 1 << 16));
        for (long i = 0; i < n; i++) {
            out.add(value(type, key, depth + 1));
        }
        return out;
    }

    /** Reads the metadata: {@code count} key/value pairs, keys unique. */
    Map<String, Object> metadata(long count) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            String key = string("metadata key " + i, MAX_NAME);
            String shown = safe(key);
            int type = i32("the type of metadata " + shown);
            if (m.put(key, value(type, shown, 0)) != null) {
                throw new GgufFormatException(source + ": metadata " + shown + " appears twice");
            }
        }
        return m;
    }

    /** Reads one tensor entry (name, dimensions, type, offset); the caller checks it against the data section. */
    GgufTensor tensor(long index) {
        String name = string("tensor " + index + "'s name", MAX_NAME);
        String n = safe(name);
        long nDims = u32("tensor '" + n + "''s dimension count");
        if (nDims < 1 || nDims > 4) {
            throw new GgufFormatException(source + ": tensor '" + n + "' has " + nDims + " dimensions (ggml tensors have 1 to 4)");
        }
        long[] dims = new long[(int) nDims];
        long elements = 1;
        for (int d = 0; d < dims.length; d++) {
            dims[d] = i64("tensor '" + n + "''s dimension " + d);
            if (dims[d] < 1) {
                throw new GgufFormatException(source + ": tensor '" + n + "' has dimension " + d + " of " + Long.toUnsignedString(dims[d]));
            }
            if (elements > Long.MAX_VALUE / dims[d]) {
                throw new GgufFormatException(source + ": tensor '" + n + "' has more elements than a file can hold");
            }
            elements *= dims[d];
        }
        long typeId = u32("tensor '" + n + "''s type");
        GgmlType type;
        try {
            type = GgmlType.of(typeId, n);
        } catch (GgufFormatException e) {
            throw new GgufFormatException(source + ": " + e.getMessage());
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new GgufFormatException(source + ": tensor '" + n + "' is " + type + " with rows of " + dims[0] + " elements, not whole blocks of "
                    + type.blockSize());
        }
        long offset = i64("tensor '" + n + "''s offset");
        if (offset < 0) {
            throw new GgufFormatException(source + ": tensor '" + n + "' starts at data offset " + Long.toUnsignedString(offset)
                    + ", beyond any file");
        }
        long blocks = elements / type.blockSize();
        if (blocks > Long.MAX_VALUE / type.blockBytes()) {
            throw new GgufFormatException(source + ": tensor '" + n + "' of " + elements + " " + type + " elements takes more bytes than a file can hold");
        }
        return new GgufTensor(name, dims, type, offset, blocks * type.blockBytes());
    }
}
