package dev.unroll.runtime.attention.mode;

import dev.unroll.runtime.internal.json.Json;

/**
 * One parameter of an attention mode: its name (the {@code @LinearAttention} member and the JSON key),
 * its type and default (the annotation member's default), and its key in the reference's config.
 *
 * @param name member name, e.g. {@code gamma}
 * @param type value type: {@code Double}, {@code Integer}, {@code Boolean} or an enum
 * @param defaultValue the default, equal to the annotation member's
 * @param referenceKey its key in the reference's mode object, e.g. {@code gamma}
 * @param description one line for reports and javadoc
 * @param <T> value type
 */
public record ModeParameter<T>(String name, Class<T> type, T defaultValue, String referenceKey, String description) {

    /**
     * @param name member name
     * @param defaultValue default
     * @param referenceKey reference key
     * @param description one line
     * @return a real parameter
     */
    public static ModeParameter<Double> real(String name, double defaultValue, String referenceKey, String description) {
        return new ModeParameter<>(name, Double.class, defaultValue, referenceKey, description);
    }

    /**
     * @param name member name
     * @param defaultValue default
     * @param referenceKey reference key
     * @param description one line
     * @return an int parameter
     */
    public static ModeParameter<Integer> integer(String name, int defaultValue, String referenceKey, String description) {
        return new ModeParameter<>(name, Integer.class, defaultValue, referenceKey, description);
    }

    /**
     * @param name member name
     * @param defaultValue default
     * @param referenceKey reference key
     * @param description one line
     * @return a boolean parameter
     */
    public static ModeParameter<Boolean> flag(String name, boolean defaultValue, String referenceKey, String description) {
        return new ModeParameter<>(name, Boolean.class, defaultValue, referenceKey, description);
    }

    /**
     * @param name member name
     * @param type the enum
     * @param defaultValue default
     * @param referenceKey reference key
     * @param description one line
     * @param <E> the enum
     * @return an enum parameter
     */
    public static <E extends Enum<E>> ModeParameter<E> choice(String name, Class<E> type, E defaultValue, String referenceKey,
                                                              String description) {
        return new ModeParameter<>(name, type, defaultValue, referenceKey, description);
    }

    /**
     * Converts a value of this parameter's type, or its JSON form (a number, a boolean, an enum
     * constant's name), to the type.
     *
     * @param raw the value
     * @return the typed value
     * @throws IllegalArgumentException naming the parameter when the value does not fit
     */
    public T cast(Object raw) {
        if (type.isInstance(raw)) {
            return type.cast(raw);
        }
        if (type == Double.class && raw instanceof Number n) {
            return type.cast(n.doubleValue());
        }
        if (type == Integer.class && raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return type.cast(n.intValue());
        }
        if (type.isEnum() && raw instanceof String s) {
            for (T c : type.getEnumConstants()) {
                if (((Enum<?>) c).name().equals(s)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("parameter " + name + " expects " + typeName() + ", got " + raw);
    }

    /**
     * @param value a value of this parameter
     * @return its JSON form (enum constants by name)
     */
    public Object toJson(Object value) {
        return value instanceof Enum<?> e ? e.name() : value;
    }

    /**
     * Reads this parameter from the reference's mode object; the key must be present.
     *
     * @param modeObj the reference's mode object
     * @return the value
     */
    public T fromReference(java.util.Map<String, Object> modeObj) {
        Object raw = Json.required(modeObj, referenceKey);
        if (type == Boolean.class) {
            return type.cast(Boolean.TRUE.equals(raw));
        }
        return cast(raw);
    }

    /** @return the type as the annotation declares it: double, int, boolean or the enum's simple name */
    public String typeName() {
        if (type == Double.class) {
            return "double";
        }
        if (type == Integer.class) {
            return "int";
        }
        if (type == Boolean.class) {
            return "boolean";
        }
        return type.getSimpleName();
    }
}
