package dev.unroll.runtime.weights;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A model's f32 tensors by name, each with the shape its model expects, in the model's load order:
 * what the TRM's and the transformer's weight classes hold. Loading checks the whole set at once
 * (every missing and every extra tensor named, then each shape), and every element for finiteness.
 *
 * <p>Thread-safety: immutable by contract: {@link #get} returns the stored arrays themselves (models
 * share them without copying), so read them and never write them.
 */
public final class NamedTensors {
    private final String owner;
    private final Map<String, long[]> shapes;
    private final Map<String, float[]> tensors;

    private NamedTensors(String owner, Map<String, long[]> shapes, Map<String, float[]> tensors) {
        this.owner = owner;
        this.shapes = Collections.unmodifiableMap(shapes);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Tensors already in memory (seeded or converted); the set must be exactly the expected one.
     *
     * @param owner the model they belong to, for messages
     * @param shapes every expected name and shape, in load order
     * @param tensors the arrays (kept, not copied)
     * @return the tensors
     */
    public static NamedTensors of(String owner, Map<String, long[]> shapes, Map<String, float[]> tensors) {
        shapes(owner, shapes);
        Checks.notNull(owner + ": the tensors", tensors);
        if (!shapes.keySet().equals(tensors.keySet())) {
            throw new UnrollException(owner + ": tensors " + tensors.keySet() + " are not the expected " + shapes.keySet());
        }
        Map<String, float[]> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            float[] a = Checks.notNull(owner + ": tensor '" + e.getKey() + "'", tensors.get(e.getKey()));
            long n = Limits.arrayLength(owner + ": tensor '" + e.getKey() + "'", e.getValue());
            if (a.length != n) {
                throw new UnrollException(owner + ": tensor '" + e.getKey() + "' has " + a.length + " elements, its shape "
                        + Arrays.toString(e.getValue()) + " needs " + n);
            }
            ordered.put(e.getKey(), a);
        }
        return new NamedTensors(owner, new LinkedHashMap<>(shapes), ordered);
    }

    /**
     * Loads exactly the expected tensors, converted to f32.
     *
     * @param owner the model they belong to, for messages
     * @param shapes every expected name and shape, in load order
     * @param source where they are
     * @return the tensors
     * @throws UnrollException naming every missing and extra tensor, or a non-finite element
     * @throws ShapeMismatchException for the first wrongly-shaped tensor
     */
    public static NamedTensors load(String owner, Map<String, long[]> shapes, TensorSource source) {
        requireExactly(owner, shapes, source);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (String n : shapes.keySet()) {
            float[] a = source.floats(n);
            for (int i = 0; i < a.length; i++) {
                if (!Float.isFinite(a[i])) {
                    throw new UnrollException(source.description() + ": tensor '" + n + "' element " + i + " is " + a[i]);
                }
            }
            m.put(n, a);
        }
        return new NamedTensors(owner, new LinkedHashMap<>(shapes), m);
    }

    /**
     * Checks that a source holds exactly the expected tensors: none missing, none extra, each of the
     * expected shape.
     *
     * @param owner what needs them, for messages
     * @param expected name to shape
     * @param source the tensors
     * @throws UnrollException naming every missing and extra tensor
     * @throws ShapeMismatchException for the first wrongly-shaped tensor
     */
    public static void requireExactly(String owner, Map<String, long[]> expected, TensorSource source) {
        shapes(owner, expected);
        Checks.notNull(owner + ": the tensor source", source);
        List<String> missing = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (!source.names().contains(name)) {
                missing.add(name + Arrays.toString(expected.get(name)));
            }
        }
        List<String> extra = new ArrayList<>();
        for (String name : source.names()) {
            if (!expected.containsKey(name)) {
                extra.add(name + Arrays.toString(source.shape(name)));
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder sb = new StringBuilder(source.description()).append(": weights do not match ").append(owner);
            if (!missing.isEmpty()) {
                sb.append("; missing tensor").append(missing.size() > 1 ? "s " : " ").append(String.join(", ", missing));
            }
            if (!extra.isEmpty()) {
                sb.append("; unexpected tensor").append(extra.size() > 1 ? "s " : " ").append(String.join(", ", extra));
            }
            throw new UnrollException(sb.toString());
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] actual = source.shape(e.getKey());
            if (!Arrays.equals(actual, e.getValue())) {
                throw new ShapeMismatchException(source.description() + " (as " + owner + ")", e.getKey(), e.getValue(), actual);
            }
        }
    }

    /** Every name and shape present; a shape's elements counted without overflow. */
    private static void shapes(String owner, Map<String, long[]> shapes) {
        Checks.notNull(owner + ": the shapes", shapes);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            Checks.notNull(owner + ": a tensor name", e.getKey());
            Limits.arrayLength(owner + ": tensor '" + e.getKey() + "'", Checks.notNull(owner + ": the shape of '" + e.getKey() + "'", e.getValue()));
        }
    }

    /**
     * @param name a tensor
     * @return it (not a copy: do not modify)
     * @throws UnrollException when there is no such tensor
     */
    public float[] get(String name) {
        float[] a = tensors.get(name);
        if (a == null) {
            throw new UnrollException("no tensor '" + name + "' in " + owner);
        }
        return a;
    }

    /** @return a name-to-array view in load order (the arrays themselves: do not modify) */
    public Map<String, float[]> asMap() {
        return tensors;
    }

    /** @return every name and shape, in load order */
    public Map<String, long[]> shapes() {
        return shapes;
    }

    /**
     * @param f called with each name and a fresh copy of its array (which it may change); returns the new array
     * @return a copy with every tensor replaced by the function's result
     */
    public NamedTensors map(BiFunction<String, float[], float[]> f) {
        Checks.notNull("NamedTensors.map: the function", f);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            m.put(e.getKey(), f.apply(e.getKey(), e.getValue().clone()));
        }
        return of(owner, shapes, m);
    }

    /**
     * @param owner the model the result belongs to
     * @param shapes its names and shapes
     * @param replace the tensors to add or replace (the others are kept)
     * @return a copy with those tensors, for a model of these shapes
     */
    public NamedTensors with(String owner, Map<String, long[]> shapes, Map<String, float[]> replace) {
        shapes(owner, shapes);
        Checks.notNull(owner + ": the replacements", replace);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (String n : shapes.keySet()) {
            m.put(n, replace.containsKey(n) ? replace.get(n) : tensors.get(n));
        }
        return of(owner, shapes, m);
    }

    /**
     * @param writer destination
     * @param prefix prepended to each name
     */
    public void writeTo(SafetensorsWriter writer, String prefix) {
        Checks.notNull("NamedTensors.writeTo: writer", writer);
        Checks.notNull("NamedTensors.writeTo: prefix", prefix);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            writer.add(prefix + e.getKey(), DType.F32, e.getValue(), tensors.get(e.getKey()));
        }
    }
}
