package dev.unroll.runtime.sweep;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the sweep passes, by parameter type: for each type a list of labelled values, the first one
 * benign (the baseline every other argument keeps while one is varied), the others hostile (zero,
 * negative and huge sizes, NaN and infinities, empty, mismatched and truncated things). Every
 * reference type also gets {@code null}, every enum each of its constants. Values are made fresh for
 * each case ({@link Value#make}): a method may change what it is given. The registered values of a
 * type are also the receivers of its instance methods.
 */
public final class Values {
    /**
     * One value.
     *
     * @param label how reports name it
     * @param make makes it, fresh for each case
     */
    public record Value(String label, Supplier<?> make) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static final Value NULL = new Value("null", () -> null);

    private final Map<String, List<Value>> byType = new LinkedHashMap<>();

    /**
     * Registers a value; the first one registered for a type is its baseline.
     *
     * @param type a class, or a parameterized type (keyed by its name, e.g. {@code java.util.Map<java.lang.String, java.lang.Object>})
     * @param label the report's name for it
     * @param make makes it
     * @return this
     */
    public Values add(Type type, String label, Supplier<?> make) {
        byType.computeIfAbsent(type.getTypeName(), k -> new ArrayList<>()).add(new Value(label, make));
        return this;
    }

    /**
     * @param type a parameter type
     * @return whether the sweep can make its values
     */
    public boolean covers(Type type) {
        return values(type, false) != null;
    }

    /**
     * @param type a parameter type
     * @return its values, the baseline first, {@code null} and enum constants included; null when not covered
     */
    public List<Value> of(Type type) {
        return values(type, true);
    }

    /**
     * @param type a declaring type
     * @return the instances its instance methods are called on (its registered values, without null)
     */
    public List<Value> receivers(Class<?> type) {
        List<Value> v = byType.get(type.getName());
        if (v == null && type.isEnum()) {
            v = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                v.add(new Value(c.toString(), () -> c));
            }
        }
        return v == null ? List.of() : Collections.unmodifiableList(v);
    }

    private List<Value> values(Type type, boolean withNull) {
        List<Value> out = new ArrayList<>();
        List<Value> exact = byType.get(type.getTypeName());
        Class<?> raw = raw(type);
        if (exact != null) {
            out.addAll(exact);
        } else if (byType.containsKey(raw.getName()) && !(type instanceof ParameterizedType)) {
            out.addAll(byType.get(raw.getName()));
        } else if (raw.isEnum()) {
            for (Object c : raw.getEnumConstants()) {
                out.add(new Value(c.toString(), () -> c));
            }
        } else if (type instanceof ParameterizedType p && (raw == List.class || raw == Set.class) && covers(p.getActualTypeArguments()[0])) {
            out.addAll(collections(raw, p.getActualTypeArguments()[0]));
        } else {
            return null;
        }
        if (withNull && !raw.isPrimitive()) {
            out.add(NULL);
        }
        return out;
    }

    /** A list or set: empty, of the element's baseline, of each element value (null included: List.of would refuse it). */
    private List<Value> collections(Class<?> raw, Type element) {
        List<Value> out = new ArrayList<>();
        List<Value> elements = of(element);
        Value base = elements.get(0);
        out.add(new Value("[" + base.label() + "]", () -> collection(raw, List.of(base))));
        out.add(new Value("[]", () -> collection(raw, List.of())));
        for (Value e : elements.subList(1, elements.size())) {
            out.add(new Value("[" + e.label() + "]", () -> collection(raw, List.of(e))));
        }
        return out;
    }

    private static Object collection(Class<?> raw, List<Value> elements) {
        List<Object> l = new ArrayList<>();
        for (Value v : elements) {
            l.add(v.make().get());
        }
        return raw == Set.class ? new HashSet<>(l) : l;
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }
}
