package dev.unroll.runtime.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values of descriptor parameters, by name, in their table's order. Immutable; absent parameters
 * read as their defaults. Two instances are equal when they hold the same values.
 */
public final class ParameterValues {
    private static final ParameterValues EMPTY = new ParameterValues(new LinkedHashMap<>());

    private final Map<String, Object> values;

    private ParameterValues(LinkedHashMap<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * @param values values by parameter name (copied)
     * @return the values
     */
    public static ParameterValues of(Map<String, Object> values) {
        return dev.unroll.runtime.internal.Checks.notNull("ParameterValues.of: values", values).isEmpty() ? EMPTY : new ParameterValues(new LinkedHashMap<>(values));
    }

    /** @return no values */
    public static ParameterValues empty() {
        return EMPTY;
    }

    /**
     * @param p a parameter
     * @param <T> its type
     * @return its value, or its default when absent
     */
    public <T> T get(Parameter<T> p) {
        Object v = values.get(dev.unroll.runtime.internal.Checks.notNull("ParameterValues.get: the parameter", p).name());
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
        return o instanceof ParameterValues m && m.values.equals(values);
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
