package dev.unroll.runtime.fla;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import java.util.Arrays;

/**
 * A float tensor as PyTorch holds it: row-major data and a shape ({@code [B, T, H, K]} and so on).
 * The shape is copied in and out (it is the tensor's invariant: its product is the data's length);
 * the data array is shared, not copied, so that a large input costs no second copy: writing into it
 * changes the tensor's values, never its shape.
 *
 * @param data elements, row-major
 * @param shape dimensions
 */
public record Tensor(float[] data, int[] shape) {
    /**
     * Checks that the shape's product is the data's length.
     *
     * @param data elements
     * @param shape dimensions
     */
    public Tensor {
        if (shape == null) {
            throw new UnrollException("a tensor's shape is null: give its dimensions, e.g. [B, T, H, K]");
        }
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new UnrollException("a tensor of shape " + Arrays.toString(shape) + ": negative dimension " + d);
            }
            n *= d; // at most 2^31 per factor: a product past 2^62 is caught below before it can wrap
            if (n > Integer.MAX_VALUE) {
                throw new UnrollException("a tensor of shape " + Arrays.toString(shape) + " has more values than one Java array holds");
            }
        }
        if (data == null || n != data.length) {
            throw new UnrollException("a tensor of shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + (data == null ? "null" : data.length));
        }
    }

    /**
     * @param data elements (shared, not copied)
     * @param shape dimensions
     * @return the tensor
     */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape);
    }

    /**
     * @param shape dimensions
     * @return a tensor of zeros
     * @throws UnrollException when the shape is negative, larger than one Java array or than the
     *     memory budget ({@link Limits#memoryBudget()})
     */
    public static Tensor zeros(int... shape) {
        if (shape == null) {
            throw new UnrollException("Tensor.zeros: the shape is null");
        }
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new UnrollException("Tensor.zeros" + Arrays.toString(shape) + ": negative dimension " + shape[i]);
            }
            dims[i] = shape[i];
        }
        int n = Limits.arrayLength("a tensor of shape " + Arrays.toString(shape), dims);
        Limits.checkBudget("a tensor of shape " + Arrays.toString(shape), 4L * n);
        return new Tensor(new float[n], shape);
    }

    /** @return a copy of the dimensions */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param i an axis
     * @return its size
     */
    public int dim(int i) {
        if (i < 0 || i >= shape.length) {
            throw new UnrollException("axis " + i + " of a tensor of shape " + Arrays.toString(shape) + ": it has axes 0.." + (shape.length - 1));
        }
        return shape[i];
    }

    /**
     * Checks this tensor's shape against what an op expects.
     *
     * @param name the argument's name in the op
     * @param expected the expected shape
     */
    void require(String name, int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new ShapeMismatchException(name, Arrays.stream(expected).asLongStream().toArray(), Arrays.stream(shape).asLongStream().toArray());
        }
    }

    /** @return whether this tensor has the given shape */
    boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /**
     * @param flat a row-major offset
     * @return its index, e.g. {@code [0, 3, 1, 2]}
     */
    String index(int flat) {
        int[] at = new int[shape.length];
        int rest = flat;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] > 0) {
                at[i] = rest % shape[i];
                rest /= shape[i];
            }
        }
        return Arrays.toString(at);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
