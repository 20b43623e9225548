package dev.unroll.runtime.internal.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and a deterministic writer, enough for safetensors headers,
 * golden files and descriptors, with no dependency.
 *
 * <p>Reading is hardened for hostile input: nesting is bounded, numbers and strings are checked
 * as they are scanned, and every error names the offset. Objects become insertion-ordered
 * {@link Map}s, arrays {@link List}s, integral numbers without fraction or exponent {@link Long}
 * (when they fit) and other numbers {@link Double}.
 */
public final class Json {
    /** Deepest nesting accepted: far beyond any header, far below a stack overflow. */
    public static final int MAX_DEPTH = 128;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses a JSON document.
     *
     * @param text the document
     * @return the value
     * @throws JsonException on any syntax error, with the offset
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected trailing characters");
        }
        return value;
    }

    /**
     * Parses a document that must be an object.
     *
     * @param text the document
     * @return the object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException("expected a JSON object at offset 0");
        }
        return (Map<String, Object>) v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) {
        pos++; // {
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        pos++; // [
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, start, pos);
                pos++;
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(text.charAt(pos + i), 16);
                            if (d < 0) {
                                throw error("bad \\u escape");
                            }
                            cp = cp * 16 + d;
                        }
                        pos += 4;
                        sb.append((char) cp);
                        break;
                    default:
                        pos--;
                        throw error("bad escape '\\" + e + "'");
                }
                start = pos;
            } else {
                pos++;
            }
        }
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("bad number");
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("bad number: digit expected after '.'");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("bad number: digit expected in exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        String s = text.substring(start, pos);
        if (integral && s.length() <= 18) {
            return Long.parseLong(s);
        }
        return Double.parseDouble(s);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected token");
        }
        pos += word.length();
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private JsonException error(String what) {
        return new JsonException(what + " at offset " + pos);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes a value compactly and deterministically (maps in their iteration order).
     *
     * @param value a Map, List, String, Number, Boolean or null
     * @return the JSON text
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            quote(sb, (String) v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new JsonException("cannot write non-finite number " + d);
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                sb.append((long) d).append(".0");
            } else {
                sb.append(d);
            }
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : (List<?>) v) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else {
            throw new JsonException("cannot write a " + v.getClass().getName());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    // ---------------------------------------------------------------- typed access

    /** The largest JSON file Unroll reads (reference golden files are a few MB). */
    public static final long MAX_FILE_BYTES = 64L << 20;

    /**
     * Reads a JSON document from a file: a regular file of at most {@link #MAX_FILE_BYTES}, strict UTF-8.
     *
     * @param path the file
     * @return the parsed value
     */
    public static Object parseFile(java.nio.file.Path path) {
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw new JsonException(path + ": not a regular file");
        }
        try {
            long size = java.nio.file.Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new JsonException(path + ": " + size + " bytes, more than the " + MAX_FILE_BYTES + " a JSON file may have here");
            }
            // the text as chars and the parsed values take a multiple of the file: checked before reading it
            dev.unroll.runtime.Limits.checkBudget(path + ": reading " + size + " bytes of JSON", dev.unroll.runtime.Limits.product(path + ": size", size, 16));
            byte[] bytes = java.nio.file.Files.readAllBytes(path);
            String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            try {
                return parse(text);
            } catch (JsonException e) {
                throw new JsonException(path + ": " + e.getMessage());
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new JsonException(path + ": not valid UTF-8");
        } catch (java.io.IOException e) {
            throw new JsonException(path + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * @param map an object
     * @param key a member that must be present
     * @return the member
     */
    public static Object required(Map<String, Object> map, String key) {
        if (map == null) {
            throw new JsonException("no object to read member \"" + key + "\" from (null)");
        }
        if (!map.containsKey(key)) {
            throw new JsonException("missing member \"" + key + "\"");
        }
        return map.get(key);
    }

    /**
     * @param v a parsed value
     * @param what name for the message
     * @return the value as an exact long
     */
    public static long asLong(Object v, String what) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (d == Math.rint(d) && Math.abs(d) <= 9.007199254740992e15) {
                return (long) d;
            }
        }
        throw new JsonException(what + " must be an integer, got " + v);
    }

    /**
     * @param v a parsed value
     * @param what name for the message
     * @return the value as an exact int
     */
    public static int asInt(Object v, String what) {
        long n = asLong(v, what);
        if (n != (int) n) {
            throw new JsonException(what + " must be a 32-bit integer, got " + n);
        }
        return (int) n;
    }

    /**
     * @param v a parsed value
     * @param type the enum
     * @param what name for the message
     * @param <E> the enum
     * @return the constant of that name
     */
    public static <E extends Enum<E>> E asEnum(Object v, Class<E> type, String what) {
        String name = asString(v, what);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new JsonException(what + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got \"" + name + "\"");
    }

    /**
     * @param object a descriptor or other object
     * @param known its members
     * @param what name for the message
     * @throws JsonException naming the first member that is not known (a misspelt member is never ignored)
     */
    public static void onlyKnown(Map<String, Object> object, java.util.Collection<String> known, String what) {
        if (object == null) {
            throw new JsonException(what + " is null: a JSON object is required");
        }
        for (String k : object.keySet()) {
            if (!known.contains(k)) {
                throw new JsonException(what + " has an unknown member \"" + k + "\" (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /**
     * @param v a parsed value
     * @param what name for the message
     * @return the value as a double
     */
    public static double asDouble(Object v, String what) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        throw new JsonException(what + " must be a number, got " + v);
    }

    /**
     * @param v a parsed value
     * @param what name for the message
     * @return the value as a string
     */
    public static String asString(Object v, String what) {
        if (v instanceof String) {
            return (String) v;
        }
        throw new JsonException(what + " must be a string, got " + v);
    }

    /**
     * @param v a parsed value
     * @param what name for the message
     * @return the value as a list
     */
    @SuppressWarnings("unchecked")
    public static List<Object> asList(Object v, String what) {
        if (v instanceof List) {
            return (List<Object>) v;
        }
        throw new JsonException(what + " must be an array, got " + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    /**
     * @param v a parsed value
     * @param what name for the message
     * @return the value as an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object v, String what) {
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw new JsonException(what + " must be an object, got " + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    /**
     * Flattens a (nested) numeric array to doubles.
     *
     * @param v a parsed number or nested array of numbers
     * @param what name for the message
     * @return the numbers in row-major order
     */
    public static double[] flatDoubles(Object v, String what) {
        List<Double> out = new ArrayList<>();
        flatten(v, what, out, 0);
        double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void flatten(Object v, String what, List<Double> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new JsonException(what + " nests too deeply");
        }
        if (v instanceof Number) {
            out.add(((Number) v).doubleValue());
        } else if (v instanceof List) {
            for (Object o : (List<?>) v) {
                flatten(o, what, out, depth + 1);
            }
        } else {
            throw new JsonException(what + " must hold only numbers");
        }
    }

}
