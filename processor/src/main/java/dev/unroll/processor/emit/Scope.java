package dev.unroll.processor.emit;

import java.util.HashMap;
import java.util.Map;

/** Loop variables bound to constants while a loop is unrolled. Immutable; {@link #with} extends it. */
final class Scope {
    static final Scope EMPTY = new Scope(Map.of());

    private final Map<String, Long> bound;

    private Scope(Map<String, Long> bound) {
        this.bound = bound;
    }

    Scope with(String var, long value) {
        Map<String, Long> m = new HashMap<>(bound);
        m.put(var, value);
        return new Scope(m);
    }

    Long value(String var) {
        return bound.get(var);
    }
}
