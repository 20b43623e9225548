package dev.unroll.processor.read;

import dev.unroll.runtime.spec.Parameter;
import java.util.Map;
import java.util.Set;

/**
 * The member values of one annotation as plain data (no {@code javax.lang.model}), defaults included,
 * with the members written explicitly: what a family's reader sees. Enum constants are their names.
 *
 * @param values every member's value, by name
 * @param explicit the members written in the source
 */
public record MemberValues(Map<String, Object> values, Set<String> explicit) {
    /**
     * @param values every member's value
     * @param explicit the members written
     */
    public MemberValues {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        explicit = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(explicit));
    }

    /**
     * @param member name
     * @return int value
     */
    public int getInt(String member) {
        return ((Number) values.get(member)).intValue();
    }

    /**
     * @param member name
     * @return long value
     */
    public long getLong(String member) {
        return ((Number) values.get(member)).longValue();
    }

    /**
     * @param member name
     * @return double value
     */
    public double getDouble(String member) {
        return ((Number) values.get(member)).doubleValue();
    }

    /**
     * @param member name
     * @return boolean value
     */
    public boolean getBoolean(String member) {
        return (Boolean) values.get(member);
    }

    /**
     * @param member name
     * @return enum constant name
     */
    public String getEnum(String member) {
        return (String) values.get(member);
    }

    /**
     * @param p a member described by a family's parameter table
     * @param <T> its type
     * @return its value (written or the annotation's default), as the table's type
     */
    public <T> T get(Parameter<T> p) {
        Object v;
        if (p.type() == Double.class) {
            v = getDouble(p.name());
        } else if (p.type() == Integer.class) {
            v = getInt(p.name());
        } else if (p.type() == Long.class) {
            v = getLong(p.name());
        } else if (p.type() == Boolean.class) {
            v = getBoolean(p.name());
        } else {
            v = p.cast(getEnum(p.name()));
        }
        return p.type().cast(v);
    }
}
