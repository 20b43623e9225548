package dev.unroll.runtime.fla;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import java.util.Arrays;

/**
 * The argument checks of one fla call, before anything is computed or allocated: every message names
 * the op, the argument, its shape or value and the rule. Required tensors must not be null (a null
 * gate is not "no decay"), ranks and shapes must match the op's layout, values must be finite (a log
 * gate may be {@code -inf}, a full reset, where the op only exponentiates it), sizes derived from
 * the inputs (the K x V state) go through the memory budget, and outputs that overflowed are an
 * error, not a silent infinity.
 */
final class Call {
    private final String op;

    Call(String op) {
        this.op = op;
    }

    /**
     * @param name fla's name of the argument
     * @param t the argument
     * @param layout its layout, for messages (e.g. {@code [B, T, H, K]})
     * @return t, when non-null and of the layout's rank
     */
    Tensor required(String name, Tensor t, String layout) {
        if (t == null) {
            throw new UnrollException(op + ": " + name + " is null: it is a required argument, " + layout);
        }
        int rank = layout.split(",").length;
        if (t.rank() != rank) {
            throw new UnrollException(op + ": " + name + " has shape " + Arrays.toString(t.shape()) + " (rank " + t.rank() + "); the op takes it as "
                    + layout + " (rank " + rank + ")");
        }
        return t;
    }

    /** Checks a tensor's exact shape; the message names the op and the argument. */
    void shape(String name, Tensor t, int... expected) {
        if (t != null && !t.hasShape(expected)) {
            throw new ShapeMismatchException(op + ": " + name, Arrays.stream(expected).asLongStream().toArray(),
                    Arrays.stream(t.shape()).asLongStream().toArray());
        }
    }

    /** A width the op divides by or sizes a state with (K, V, D): at least 1. */
    int width(String what, int value) {
        if (value < 1) {
            throw new UnrollException(op + ": " + what + " = " + value + ": must be >= 1");
        }
        return value;
    }

    /**
     * @param name the argument
     * @param t a tensor (null: nothing to check)
     * @param logGate whether {@code -inf} is allowed (a log decay the op only exponentiates)
     */
    void finite(String name, Tensor t, boolean logGate) {
        if (t == null) {
            return;
        }
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            float x = d[i];
            if (!Float.isFinite(x) && !(logGate && x == Float.NEGATIVE_INFINITY)) {
                throw new UnrollException(op + ": " + name + t.index(i) + " is " + x + ": inputs must be finite"
                        + (logGate ? " (a log gate may be -inf, a full reset)" : ""));
            }
        }
    }

    /** @return the query scale: null is the op's default, otherwise a finite number */
    double scale(Double scale, double dflt) {
        if (scale == null) {
            return dflt;
        }
        if (!Double.isFinite(scale)) {
            throw new UnrollException(op + ": scale = " + scale + ": must be finite (null for the op's default)");
        }
        return scale;
    }

    /** Packed sequence offsets: from 0 to T, not decreasing, with batch size 1. */
    int[] cuSeqlens(int[] cu, int batch, int tokens) {
        if (cu == null) {
            return null;
        }
        if (batch != 1) {
            throw new UnrollException(op + ": cu_seqlens needs batch size 1 (packed sequences), got " + batch);
        }
        if (cu.length < 2 || cu[0] != 0 || cu[cu.length - 1] != tokens) {
            throw new UnrollException(op + ": cu_seqlens " + abbreviated(cu) + " must run from 0 to T = " + tokens);
        }
        for (int i = 1; i < cu.length; i++) {
            if (cu[i] < cu[i - 1]) {
                throw new UnrollException(op + ": cu_seqlens must not decrease: cu_seqlens[" + (i - 1) + "] = " + cu[i - 1] + ", then " + cu[i]);
            }
        }
        return cu.clone();
    }

    /**
     * @param what the array, for messages
     * @param elementBytes bytes per element
     * @param dims its dimensions
     * @return its length, within one Java array and the memory budget
     */
    int allocation(String what, int elementBytes, long... dims) {
        int n = Limits.arrayLength(op + ": " + what, dims);
        Limits.checkBudget(op + ": " + what + " " + Arrays.toString(dims), (long) n * elementBytes);
        return n;
    }

    /** Wraps a computed output, refusing values that overflowed. */
    Tensor output(String name, float[] data, int... shape) {
        Tensor t = Tensor.of(data, shape);
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new UnrollException(op + ": " + name + t.index(i) + " is " + data[i] + ": the recurrence overflowed float (a positive log "
                        + "gate, or inputs too large, grows the state without bound)");
            }
        }
        return t;
    }

    String op() {
        return op;
    }

    private static String abbreviated(int[] a) {
        return a.length <= 8 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 8)).replace("]", ", ... (" + a.length + " offsets)]");
    }
}
