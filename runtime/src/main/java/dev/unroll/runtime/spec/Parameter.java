package dev.unroll.runtime.spec;

import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.internal.json.JsonException;
import java.util.List;
import java.util.Map;

/**
 * One member of a descriptor annotation, described once for every reader of it: the annotation
 * member and JSON key, the value type, the annotation's default (null for a required member), the
 * values it accepts, its key in the family's reference configuration, and one line for docs and
 * reports. Each family lists its parameters in one table ({@code TrmSpec.PARAMETERS},
 * {@code TransformerSpec.PARAMETERS}, an attention mode's {@code parameters()}); the processor's
 * readers, the builders, JSON, {@code describe()} and the docs loop over it.
 *
 * @param name member name, e.g. {@code hidden}
 * @param type value type: {@code Integer}, {@code Long}, {@code Double}, {@code Boolean} or an enum
 * @param defaultValue the annotation member's default, or null when the member is required
 * @param range the values it accepts
 * @param referenceKey its key in the reference's configuration (e.g. a Hugging Face {@code config.json}), or null
 * @param description one line for reports and javadoc
 * @param <T> value type
 */
public record Parameter<T>(String name, Class<T> type, T defaultValue, Range range, String referenceKey, String description) {

    /**
     * @param name member name
     * @param defaultValue default, or null for a required member
     * @param range accepted values
     * @param referenceKey reference key, or null
     * @param description one line
     * @return an int parameter
     */
    public static Parameter<Integer> integer(String name, Integer defaultValue, Range range, String referenceKey, String description) {
        return new Parameter<>(name, Integer.class, defaultValue, range, referenceKey, description);
    }

    /**
     * @param name member name
     * @param defaultValue default
     * @param range accepted values
     * @param referenceKey reference key, or null
     * @param description one line
     * @return a long parameter
     */
    public static Parameter<Long> longInteger(String name, long defaultValue, Range range, String referenceKey, String description) {
        return new Parameter<>(name, Long.class, defaultValue, range, referenceKey, description);
    }

    /**
     * @param name member name
     * @param defaultValue default
     * @param range accepted values
     * @param referenceKey reference key, or null
     * @param description one line
     * @return a real parameter
     */
    public static Parameter<Double> real(String name, double defaultValue, Range range, String referenceKey, String description) {
        return new Parameter<>(name, Double.class, defaultValue, range, referenceKey, description);
    }

    /**
     * @param name member name
     * @param defaultValue default
     * @param referenceKey reference key, or null
     * @param description one line
     * @return a boolean parameter
     */
    public static Parameter<Boolean> flag(String name, boolean defaultValue, String referenceKey, String description) {
        return new Parameter<>(name, Boolean.class, defaultValue, Range.any(), referenceKey, description);
    }

    /**
     * @param name member name
     * @param type the enum
     * @param defaultValue default
     * @param referenceKey reference key, or null
     * @param description one line
     * @param <E> the enum
     * @return an enum parameter
     */
    public static <E extends Enum<E>> Parameter<E> choice(String name, Class<E> type, E defaultValue, String referenceKey, String description) {
        return new Parameter<>(name, type, defaultValue, Range.any(), referenceKey, description);
    }

    /** @return whether the annotation member has no default */
    public boolean required() {
        return defaultValue == null;
    }

    /**
     * Checks a value against the range.
     *
     * @param value a value of this parameter's type
     * @param out where findings go, on this parameter's member
     */
    public void check(Object value, List<Violation> out) {
        range.check(name, value, out);
    }

    /**
     * Converts a value of this parameter's type, or its JSON form (a number, a boolean, an enum
     * constant's name), to the type.
     *
     * @param raw the value
     * @return the typed value
     * @throws dev.unroll.runtime.UnrollException naming the parameter when the value does not fit
     */
    public T cast(Object raw) {
        if (type.isInstance(raw)) {
            return type.cast(raw);
        }
        if (type == Double.class && raw instanceof Number n) {
            return type.cast(n.doubleValue());
        }
        if ((type == Integer.class || type == Long.class) && raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            double d = n.doubleValue();
            if (type == Integer.class && Math.abs(d) <= Integer.MAX_VALUE) {
                return type.cast(n.intValue());
            }
            if (type == Long.class && Math.abs(d) < 0x1p63) {
                return type.cast(raw instanceof Long l ? l : n.longValue());
            }
        }
        if (type.isEnum() && raw instanceof String s) {
            for (T c : type.getEnumConstants()) {
                if (((Enum<?>) c).name().equals(s)) {
                    return c;
                }
            }
        }
        throw new dev.unroll.runtime.UnrollException("parameter " + name + " expects " + typeName() + ", got " + raw);
    }

    /**
     * Reads this parameter's value from descriptor JSON.
     *
     * @param raw the JSON value: a number, a boolean, an enum constant's name
     * @return the typed value
     * @throws dev.unroll.runtime.internal.json.JsonException naming the member when the value does not fit its type
     */
    public T fromJson(Object raw) {
        Object v;
        if (type == Integer.class) {
            v = Json.asInt(raw, name);
        } else if (type == Long.class) {
            v = Json.asLong(raw, name);
        } else if (type == Double.class) {
            v = Json.asDouble(raw, name);
        } else if (type == Boolean.class) {
            if (!(raw instanceof Boolean)) {
                throw new JsonException(name + " must be true or false, got " + raw);
            }
            v = raw;
        } else {
            v = enumFromJson(raw);
        }
        return type.cast(v);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object enumFromJson(Object raw) {
        return Json.asEnum(raw, (Class) type, name);
    }

    /**
     * @param value a value of this parameter
     * @return its JSON form (enum constants by name)
     */
    public Object toJson(Object value) {
        return value instanceof Enum<?> e ? e.name() : value;
    }

    /**
     * @param value a value of this parameter
     * @return it as annotation source: {@code 0.95}, {@code 42L} is written {@code 42}, enum constants by name
     */
    public String toSource(Object value) {
        return value instanceof Enum<?> e ? e.name() : String.valueOf(value);
    }

    /**
     * Reads this parameter from the reference's configuration; the key must be present.
     *
     * @param config the reference's configuration object
     * @return the value
     * @throws IllegalStateException when this parameter has no reference key
     */
    public T fromReference(Map<String, Object> config) {
        if (referenceKey == null) {
            throw new IllegalStateException(name + " has no reference key");
        }
        Object raw = Json.required(config, referenceKey);
        if (type == Boolean.class) {
            return type.cast(Boolean.TRUE.equals(raw));
        }
        return cast(raw);
    }

    /** @return the type as the annotation declares it: double, int, long, boolean or the enum's simple name */
    public String typeName() {
        if (type == Double.class) {
            return "double";
        }
        if (type == Integer.class) {
            return "int";
        }
        if (type == Long.class) {
            return "long";
        }
        if (type == Boolean.class) {
            return "boolean";
        }
        return type.getSimpleName();
    }
}
