package dev.unroll.runtime.spec;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a spec builder collects, member by member, over its family's parameter table: each
 * starts at the annotation's default (null for a required member), each set value is cast to the
 * member's type, and a parameter of another table is refused.
 */
public final class TableBuilder {
    private final String annotation;
    private final List<Parameter<?>> table;
    private final Map<String, Object> values = new LinkedHashMap<>();

    /**
     * @param annotation the annotation, for messages ({@code @TinyRecursiveModel})
     * @param table its parameter table
     */
    public TableBuilder(String annotation, List<Parameter<?>> table) {
        this.annotation = annotation;
        this.table = Checks.noNulls("TableBuilder: the table", table);
        for (Parameter<?> p : table) {
            values.put(p.name(), p.defaultValue());
        }
    }

    /**
     * @param p one of the table's parameters
     * @param value a value of its type, or its JSON form (cast)
     * @throws UnrollException when the parameter is not in the table
     */
    public void set(Parameter<?> p, Object value) {
        if (!table.contains(Checks.notNull(annotation + ": the parameter", p))) {
            throw new UnrollException(p.name() + " is not a " + annotation + " member");
        }
        values.put(p.name(), p.cast(Checks.notNull(annotation + " member " + p.name(), value)));
    }

    /**
     * @param p one of the table's parameters
     * @param <T> its type
     * @return its value so far (null for a required member not yet set)
     */
    public <T> T get(Parameter<T> p) {
        Checks.notNull(annotation + ": the parameter", p);
        return p.type().cast(values.get(p.name()));
    }

    /** @return the values so far, by name, in table order (a copy) */
    public Map<String, Object> values() {
        return new LinkedHashMap<>(values);
    }

    /** @throws UnrollException naming the first required member not set */
    public void requireAll() {
        for (Parameter<?> p : table) {
            if (values.get(p.name()) == null) {
                throw new UnrollException(annotation + " member " + p.name() + " is required");
            }
        }
    }
}
