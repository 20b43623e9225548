package dev.unroll.runtime.fla;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import java.util.Arrays;

/**
 * A float tensor as PyTorch holds it: row-major data and a shape ({@code [B, T, H, K]} and so on).
 * The data array is used as given, not copied.
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
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new UnrollException("a tensor of shape " + Arrays.toString(shape) + ": negative dimension");
            }
            n = Limits.product("a tensor of shape " + Arrays.toString(shape), n, d);
        }
        if (data == null || n != data.length) {
            throw new UnrollException("a tensor of shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + (data == null ? "null" : data.length));
        }
    }

    /**
     * @param data elements
     * @param shape dimensions
     * @return the tensor
     */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape.clone());
    }

    /**
     * @param shape dimensions
     * @return a tensor of zeros
     */
    public static Tensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return new Tensor(new float[Math.toIntExact(n)], shape.clone());
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
