package dev.unroll.runtime.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One structured edit of a seed file, as a fuzzer makes them: flipped bits, hostile integers written
 * over header fields, numbers and strings of embedded JSON replaced by edge values, truncation,
 * growth, repeated and deleted ranges. Positions are fractions of the length so that one mutation
 * applies to any seed, and a failing list prints as a readable recipe.
 *
 * @param kind what is edited
 * @param at where, as a fraction of the seed's length (or of its count of numbers or strings)
 * @param pick which edge value (an index into the tables below, or random bits)
 * @param length how many bytes a range edit covers
 */
public record Mutation(Kind kind, double at, int pick, int length) {
    /** The edits. */
    public enum Kind {
        /** Flip one bit. */
        FLIP_BIT,
        /** Overwrite one byte with arbitrary bits. */
        SET_BYTE,
        /** Write an edge 32-bit little-endian integer at a 4-byte boundary of the first 64 bytes (binary headers). */
        SET_HEADER_INT,
        /** Write an edge 32-bit little-endian integer anywhere. */
        SET_INT,
        /** Write an edge float (NaN, infinities, huge) anywhere. */
        SET_FLOAT,
        /** Replace one JSON number (embedded headers and JSON files) by an edge number. */
        SET_NUMBER,
        /** Replace one JSON string by an edge string. */
        SET_STRING,
        /** Cut the file short. */
        TRUNCATE,
        /** Append bytes. */
        APPEND,
        /** Repeat a range in place. */
        DUPLICATE,
        /** Delete a range. */
        DELETE
    }

    static final int[] INTS = {0, 1, -1, 2, 3, 7, 8, 255, 256, 65535, 65536, 1 << 20, 1 << 24, 0x7fff_fffe, Integer.MAX_VALUE,
        Integer.MIN_VALUE, -2, 268_435_331, 40_000};
    static final float[] FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f,
        Float.MIN_VALUE, -0.0f, 0.0f, 1e4f};
    static final String[] NUMBERS = {"0", "-1", "1", "2", "-0", "0.5", "1e9", "1e308", "1e400", "-1e308", "2147483647", "2147483648",
        "4294967312", "9223372036854775807", "9223372036854775808", "18446744073709551616", "65536", "1048576", "40000", "3.5",
        "1e-320", "100000", "NaN", "Infinity", "-Infinity", "00", "1.", "--1", "0x10", "1000000000000"};
    static final String[] STRINGS = {"", "F32", "F64", "BF16", "I64", "U8", "BOOL", "GLA", "LOG_LINEAR", "FOO", "\\u0000", "\\u001b[31m",
        "\\ud800", "input.x", "expected.y", "__metadata__", "a\\nFAKE: PASS", "x".repeat(300), "width", "wdith"};

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern STRING = Pattern.compile("\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\""); // possessive: no recursion on long strings

    /**
     * @param r the random source
     * @return one to four mutations, applied in order
     */
    public static List<Mutation> random(SplittableRandom r) {
        int n = 1 + r.nextInt(4);
        List<Mutation> out = new ArrayList<>(n);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < n; i++) {
            out.add(new Mutation(kinds[r.nextInt(kinds.length)], r.nextDouble(), r.nextInt(1 << 20), 1 + r.nextInt(96)));
        }
        return out;
    }

    /**
     * @param seed the bytes of a seed file
     * @param edits the mutations
     * @return the mutated copy (the seed is not changed)
     */
    public static byte[] applyAll(byte[] seed, List<Mutation> edits) {
        byte[] b = seed.clone();
        for (Mutation m : edits) {
            b = m.apply(b);
        }
        return b;
    }

    /**
     * Edits only the JSON header of a safetensors file and writes the matching length prefix, so
     * that the edits reach the header parser and the shape checks instead of the length check.
     *
     * @param file a well-formed safetensors file
     * @param edits the mutations of its header
     * @return the edited copy
     */
    public static byte[] inSafetensorsHeader(byte[] file, List<Mutation> edits) {
        int n = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] header = applyAll(Arrays.copyOfRange(file, 8, 8 + n), edits);
        int body = file.length - 8 - n;
        return ByteBuffer.allocate(8 + header.length + body).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header)
                .put(file, 8 + n, body).array();
    }

    /**
     * @param in bytes
     * @return the edited copy
     */
    public byte[] apply(byte[] in) {
        int n = in.length;
        int pos = n == 0 ? 0 : (int) Math.min(n - 1, Math.floor(at * n));
        byte[] b = in.clone();
        switch (kind) {
            case FLIP_BIT -> {
                if (n > 0) {
                    b[pos] ^= (byte) (1 << (pick & 7));
                }
            }
            case SET_BYTE -> {
                if (n > 0) {
                    b[pos] = (byte) pick;
                }
            }
            case SET_HEADER_INT -> putInt(b, 4 * (int) Math.floor(at * 16), INTS[pick % INTS.length]);
            case SET_INT -> putInt(b, pos, INTS[pick % INTS.length]);
            case SET_FLOAT -> putInt(b, pos, Float.floatToRawIntBits(FLOATS[pick % FLOATS.length]));
            case SET_NUMBER -> b = replaceMatch(b, NUMBER, NUMBERS[pick % NUMBERS.length]);
            case SET_STRING -> b = replaceMatch(b, STRING, "\"" + STRINGS[pick % STRINGS.length] + "\"");
            case TRUNCATE -> b = Arrays.copyOf(b, pos);
            case APPEND -> {
                b = Arrays.copyOf(b, n + length);
                for (int i = n; i < b.length; i++) {
                    b[i] = (byte) (pick >>> (8 * (i % 3)));
                }
            }
            case DUPLICATE -> {
                int len = Math.min(length, n - pos);
                byte[] out = new byte[n + len];
                System.arraycopy(b, 0, out, 0, pos + len);
                System.arraycopy(b, pos, out, pos + len, n - pos);
                b = out;
            }
            case DELETE -> {
                int len = Math.min(length, n - pos);
                byte[] out = new byte[n - len];
                System.arraycopy(b, 0, out, 0, pos);
                System.arraycopy(b, pos + len, out, pos, n - pos - len);
                b = out;
            }
            default -> throw new AssertionError(kind);
        }
        return b;
    }

    private static void putInt(byte[] b, int pos, int value) {
        if (pos + 4 <= b.length) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(pos, value);
        }
    }

    /** Replaces the match chosen by {@code at} among all matches (ISO-8859-1 keeps every byte as it is). */
    private byte[] replaceMatch(byte[] b, Pattern p, String replacement) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        Matcher m = p.matcher(text);
        int count = 0;
        while (m.find()) {
            count++;
        }
        if (count == 0) {
            return b;
        }
        int target = (int) Math.min(count - 1, Math.floor(at * count));
        m.reset();
        for (int i = 0; i <= target; i++) {
            m.find();
        }
        String out = text.substring(0, m.start()) + replacement + text.substring(m.end());
        return out.getBytes(StandardCharsets.ISO_8859_1);
    }
}
