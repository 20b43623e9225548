package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A value of a {@code tokenizer.json} with its JSON path, so that every refusal names the file,
 * the member and the value at fault.
 */
final class HfNode {
    private final String file;
    private final String path;
    private final Object value;

    HfNode(String file, String path, Object value) {
        this.file = file;
        this.path = path;
        this.value = value;
    }

    String file() {
        return file;
    }

    String path() {
        return path;
    }

    Object raw() {
        return value;
    }

    boolean isNull() {
        return value == null;
    }

    boolean isObject() {
        return value instanceof Map;
    }

    /** @return the member (a null node when absent) */
    HfNode at(String key) {
        Map<String, Object> m = object();
        return new HfNode(file, path.isEmpty() ? key : path + "." + key, m.get(key));
    }

    boolean has(String key) {
        return object().containsKey(key);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object() {
        if (!(value instanceof Map)) {
            throw error("is " + describe(value) + ", expected an object");
        }
        return (Map<String, Object>) value;
    }

    List<HfNode> list() {
        if (!(value instanceof List)) {
            throw error("is " + describe(value) + ", expected an array");
        }
        List<?> l = (List<?>) value;
        List<HfNode> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(new HfNode(file, path + "[" + i + "]", l.get(i)));
        }
        return out;
    }

    String string() {
        if (!(value instanceof String)) {
            throw error("is " + describe(value) + ", expected a string");
        }
        return (String) value;
    }

    String stringOr(String otherwise) {
        return value == null ? otherwise : string();
    }

    boolean bool(boolean otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Boolean)) {
            throw error("is " + describe(value) + ", expected true or false");
        }
        return (Boolean) value;
    }

    /** @return an integer in [min, max] */
    int integer(long min, long max) {
        if (!(value instanceof Long)) {
            throw error("is " + describe(value) + ", expected an integer");
        }
        long v = (Long) value;
        if (v < min || v > max) {
            throw error("is " + v + ", outside [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    /** @return the {@code type} member of this object */
    String type() {
        return at("type").string();
    }

    UnrollException error(String what) {
        return new UnrollException(file + ": " + (path.isEmpty() ? "the document" : path) + " " + what);
    }

    /** @return a refusal of this value: {@code file: path "value" is not supported: why} */
    UnrollException unsupported(String why) {
        return error(describe(value) + " is not supported: " + why);
    }

    /** Refuses the member when it is present and not null (or, for strings, not empty). */
    void requireAbsent(String key, String why) {
        HfNode n = at(key);
        if (!n.isNull() && !"".equals(n.raw()) && !Boolean.FALSE.equals(n.raw())) {
            throw n.unsupported(why);
        }
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            String s = (String) v;
            return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return String.valueOf(v);
    }
}
