package dev.unroll.runtime.transformer;

import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.weights.BlockCodes;
import dev.unroll.runtime.weights.TensorSource;
import java.util.Map;

/**
 * A decoder's tensors read from an open source each time they are asked for
 * ({@link TransformerWeights#onDemand}): F32 values checked finite, and a matrix's codes and scales
 * where the source stores it in blocks.
 */
final class SourceReader implements TransformerWeights.Reader {
    private final TensorSource source;
    private final Map<String, long[]> shapes;

    SourceReader(TensorSource source, Map<String, long[]> shapes) {
        this.source = source;
        this.shapes = shapes;
    }

    @Override
    public float[] read(String name) {
        return finite(name, source.floats(name), 0);
    }

    @Override
    public float[] readRows(String name, int first, int count, int cols) {
        return finite(name, source.floatRows(name, first, count), (long) first * cols);
    }

    @Override
    public boolean readsRows() {
        return source.readsRows();
    }

    /** @param index the tensor's element index of {@code a[0]}, for the message */
    private float[] finite(String name, float[] a, long index) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new UnrollException(source.description() + ": tensor '" + name + "' element " + (index + i) + " is " + a[i]);
            }
        }
        return a;
    }

    @Override
    public BlockCodes blockCodes(String name) {
        long[] shape = shapes.get(name);
        if (shape == null || shape.length != 2) {
            return null;
        }
        BlockCodes c = source.blockCodes(name);
        if (c != null && (c.rows() != shape[0] || c.cols() != shape[1])) {
            throw new ShapeMismatchException(source.description(), name, shape, new long[] {c.rows(), c.cols()});
        }
        return c;
    }

    @Override
    public dev.unroll.annotations.WeightFormat blockFormat(String name) {
        long[] shape = shapes.get(name);
        return shape == null || shape.length != 2 ? null : source.blockFormat(name);
    }

    @Override
    public BlockCodes blockRows(String name, int first, int count) {
        long[] shape = shapes.get(name);
        return shape == null || shape.length != 2 ? null : source.blockCodes(name, first, count);
    }

    @Override
    public String description() {
        return source.description();
    }
}
