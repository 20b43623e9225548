package dev.unroll.runtime.weights;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Named float tensors to load weights from: a safetensors file, or arrays in memory. */
public interface TensorSource {
    /** @return what this source is, for messages */
    String description();

    /** @return the tensor names */
    Set<String> names();

    /**
     * @param name a tensor
     * @return its shape
     */
    long[] shape(String name);

    /**
     * @param name a tensor
     * @return its elements as doubles, row-major
     */
    double[] doubles(String name);

    /**
     * @param name a tensor
     * @return its elements as floats, row-major
     */
    default float[] floats(String name) {
        double[] d = doubles(name);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * @param keep which names to keep
     * @return a view holding only those names
     */
    default TensorSource filter(Predicate<String> keep) {
        dev.unroll.runtime.internal.Checks.notNull("TensorSource.filter: the predicate", keep);
        TensorSource outer = this;
        Set<String> kept = names().stream().filter(keep).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        return new TensorSource() {
            @Override
            public String description() {
                return outer.description();
            }

            @Override
            public Set<String> names() {
                return kept;
            }

            @Override
            public long[] shape(String name) {
                return outer.shape(name);
            }

            @Override
            public double[] doubles(String name) {
                return outer.doubles(name);
            }

            @Override
            public float[] floats(String name) {
                return outer.floats(name);
            }

            @Override
            public BlockCodes blockCodes(String name) {
                return outer.blockCodes(name);
            }

            @Override
            public float[] floatRows(String name, int firstRow, int rows) {
                return outer.floatRows(name, firstRow, rows);
            }

            @Override
            public boolean readsRows() {
                return outer.readsRows();
            }

            @Override
            public WeightFormat blockFormat(String name) {
                return outer.blockFormat(name);
            }

            @Override
            public BlockCodes blockCodes(String name, int firstRow, int rows) {
                return outer.blockCodes(name, firstRow, rows);
            }
        };
    }

    /**
     * @param file an open safetensors file
     * @return its tensors
     */
    static TensorSource of(SafetensorsFile file) {
        return new TensorSource() {
            @Override
            public String description() {
                return file.source();
            }

            @Override
            public Set<String> names() {
                return file.names();
            }

            @Override
            public long[] shape(String name) {
                return file.info(name).shape();
            }

            @Override
            public double[] doubles(String name) {
                return file.doubles(name);
            }

            @Override
            public float[] floats(String name) {
                return file.floats(name);
            }
        };
    }

    /**
     * A tensor held in memory.
     *
     * @param shape dimensions
     * @param data elements
     */
    record Array(long[] shape, double[] data) {
        /**
         * @param shape dimensions
         * @param data elements, row-major
         */
        public Array {
            dev.unroll.runtime.internal.Checks.notNull("TensorSource.Array: shape", shape);
            dev.unroll.runtime.internal.Checks.notNull("TensorSource.Array: data", data);
        }
    }

    /**
     * @param description what the arrays are
     * @param tensors name to tensor, in order
     * @return a source over them
     */
    static TensorSource of(String description, Map<String, Array> tensors) {
        Map<String, Array> copy = new LinkedHashMap<>(dev.unroll.runtime.internal.Checks.notNull("TensorSource.of: the tensors", tensors));
        for (Map.Entry<String, Array> e : copy.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new UnrollException(description + ": a tensor named " + e.getKey() + " with " + (e.getValue() == null ? "no data (null)" : "data"));
            }
            // a JSON tensor states its shape and its data separately: they must agree before anyone indexes by the shape
            long n = 1;
            for (long d : e.getValue().shape()) {
                if (d < 0) {
                    throw new UnrollException(description + ": tensor '" + e.getKey() + "' has a negative dimension in shape "
                            + Arrays.toString(e.getValue().shape()));
                }
                n = Limits.product("tensor '" + e.getKey() + "'", n, d);
            }
            if (n != e.getValue().data().length) {
                throw new UnrollException(description + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(e.getValue().shape())
                        + " (" + n + " values) but holds " + e.getValue().data().length + " values");
            }
        }
        return new TensorSource() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public Set<String> names() {
                return copy.keySet();
            }

            @Override
            public long[] shape(String name) {
                return get(name).shape().clone();
            }

            @Override
            public double[] doubles(String name) {
                return get(name).data().clone();
            }

            private Array get(String name) {
                Array a = copy.get(name);
                if (a == null) {
                    throw new UnrollException(description + ": no tensor '" + name + "'");
                }
                return a;
            }
        };
    }

    /**
     * @param shape a shape
     * @return it formatted like {@code [4, 16]}
     */
    static String format(long[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The tensor's codes and scales, when it is stored in a block format a kernel reads as it is (a
     * GGUF file's Q8_0 and Q4_0 matrices): a model of that format then keeps them instead of
     * quantising the widened values again.
     *
     * @param name a tensor
     * @return its codes and scales, or null when it is not stored in blocks (the default)
     */
    default BlockCodes blockCodes(String name) {
        return null;
    }

    /**
     * Rows of a matrix, for a model that packs it a chunk at a time. By default the whole tensor is
     * read and the rows copied out of it; a source that reads only the rows asked for says so with
     * {@link #readsRows()} (a GGUF file's tensors).
     *
     * @param name a tensor of two dimensions
     * @param firstRow its first row wanted
     * @param rows how many, at least 1
     * @return rows {@code firstRow .. firstRow + rows - 1}, row-major, widened to F32
     * @throws UnrollException when the tensor is not a matrix or the rows are outside it, naming them
     */
    default float[] floatRows(String name, int firstRow, int rows) {
        int cols = checkRows(this, name, firstRow, rows);
        return Arrays.copyOfRange(floats(name), firstRow * cols, (firstRow + rows) * cols);
    }

    /**
     * @param name a tensor
     * @return the block format it is stored in ({@link #blockCodes}: a GGUF file's Q8_0 or Q4_0
     *     matrix), or null; by default read from {@link #blockCodes}, which sources that know it from
     *     a header answer without reading the tensor
     */
    default WeightFormat blockFormat(String name) {
        BlockCodes c = blockCodes(name);
        return c == null ? null : c.format();
    }

    /**
     * Rows of a matrix's codes and scales, for a model that packs them a chunk at a time. By default
     * cut from the whole {@link #blockCodes}.
     *
     * @param name a tensor of two dimensions
     * @param firstRow its first row wanted
     * @param rows how many, at least 1
     * @return those rows' codes and scales, or null when the tensor is not stored in blocks
     * @throws UnrollException when the tensor is not a matrix or the rows are outside it, naming them
     */
    default BlockCodes blockCodes(String name, int firstRow, int rows) {
        checkRows(this, name, firstRow, rows);
        BlockCodes c = blockCodes(name);
        return c == null ? null : c.rows(firstRow, rows);
    }

    /** @return whether {@link #floatRows} reads only the rows asked for (by default it reads the whole tensor) */
    default boolean readsRows() {
        return false;
    }

    /**
     * Checks a range of a matrix's rows.
     *
     * @param source the source, for the message and the shape
     * @param name a tensor
     * @param firstRow the first row wanted
     * @param rows how many
     * @return the matrix's columns
     * @throws UnrollException when the tensor is not a matrix, or the rows are not within it
     */
    private static int checkRows(TensorSource source, String name, int firstRow, int rows) {
        long[] shape = source.shape(dev.unroll.runtime.internal.Checks.notNull(source.description() + ": the tensor name", name));
        if (shape.length != 2) {
            throw new UnrollException(source.description() + ": tensor '" + name + "' has shape " + format(shape) + ", not a matrix's rows");
        }
        String bad = dev.unroll.runtime.internal.Checks.rowRangeError("'" + name + "'", firstRow, rows, shape[0]);
        if (bad != null) {
            throw new UnrollException(source.description() + ": " + bad);
        }
        Limits.arrayLength(source.description() + ": rows of '" + name + "'", rows, shape[1]);
        return (int) shape[1];
    }
}
