package dev.unroll.runtime.attention.mode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of a mode's parameters, by name, in the mode's declaration order. Immutable; absent
 * parameters read as their defaults. Two instances are equal when they hold the same values.
 */
public final class ModeValues {
    private static final ModeValues EMPTY = new ModeValues(new LinkedHashMap<>());

    private final Map<String, Object> values;

    private ModeValues(LinkedHashMap<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * @param values values by parameter name (copied)
     * @return the values
     */
    public static ModeValues of(Map<String, Object> values) {
        return values.isEmpty() ? EMPTY : new ModeValues(new LinkedHashMap<>(values));
    }

    /** @return no values */
    public static ModeValues empty() {
        return EMPTY;
    }

    /**
     * @param p a parameter
     * @param <T> its type
     * @return its value, or its default when absent
     */
    public <T> T get(ModeParameter<T> p) {
        Object v = values.get(p.name());
        return v == null ? p.defaultValue() : p.type().cast(v);
    }

    /**
     * @param name a parameter name
     * @return whether a value is held
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** @return the values by name, in declaration order (unmodifiable) */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModeValues m && m.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
