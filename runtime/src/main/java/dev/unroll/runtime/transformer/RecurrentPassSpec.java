package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a recurrent pass over the layer block {@code loopStart..loopEnd} (inclusive) does at run time:
 * the total number of passes ({@code depth}), the feedback entries ({@code h[position] += strength *
 * vector} before each pass after the first, which restarts from the pre-loop state), and whether the
 * feedback is also applied at the newest token of each generation step ({@code sustained}).
 * Duplicate positions add up, in list order.
 */
public final class RecurrentPassSpec {
    /**
     * One feedback entry.
     *
     * @param position token position
     * @param vector the direction (model width once validated)
     * @param shape the vector's shape as given (rank 1 once validated)
     * @param strength multiplier
     */
    public record Feedback(int position, float[] vector, long[] shape, float strength) {
        /**
         * Copies the arrays: an entry is immutable.
         *
         * @param position token position
         * @param vector the direction
         * @param shape the vector's shape as given
         * @param strength multiplier
         */
        public Feedback {
            vector = dev.unroll.runtime.internal.Checks.notNull("Feedback: vector", vector).clone();
            shape = dev.unroll.runtime.internal.Checks.notNull("Feedback: shape", shape).clone();
        }

        /** @return a copy of the direction */
        @Override
        public float[] vector() {
            return vector.clone();
        }

        /** @return a copy of the shape */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /**
         * {@code h += strength * vector}, the injection itself.
         *
         * @param h a hidden state of the vector's width
         */
        public void addTo(float[] h) {
            dev.unroll.runtime.ShapeMismatchException.checkLength("feedback target", vector.length, dev.unroll.runtime.internal.Checks.notNull("Feedback.addTo: the stream", h).length);
            for (int i = 0; i < h.length; i++) {
                h[i] += strength * vector[i];
            }
        }
    }

    private final int loopStart;
    private final int loopEnd;
    private final int depth;
    private final List<Feedback> feedback;
    private final boolean sustained;

    private RecurrentPassSpec(int loopStart, int loopEnd, int depth, List<Feedback> feedback, boolean sustained) {
        this.loopStart = loopStart;
        this.loopEnd = loopEnd;
        this.depth = depth;
        this.feedback = List.copyOf(feedback);
        this.sustained = sustained;
    }

    /**
     * @param loopStart first layer of the block
     * @param loopEnd last layer (inclusive)
     * @return a double pass without feedback (depth 2), as the reference's {@code no_feedback}
     */
    public static RecurrentPassSpec noFeedback(int loopStart, int loopEnd) {
        return new RecurrentPassSpec(loopStart, loopEnd, 2, List.of(), false);
    }

    /**
     * @param b a compile-time block
     * @return a spec with its block and depth, no feedback
     */
    public static RecurrentPassSpec of(TransformerSpec.Block b) {
        dev.unroll.runtime.internal.Checks.notNull("RecurrentPassSpec.of: the block", b);
        return new RecurrentPassSpec(b.loopStart(), b.loopEnd(), b.depth(), List.of(), false);
    }

    /**
     * @param d total passes
     * @return a copy with that depth
     */
    public RecurrentPassSpec withDepth(int d) {
        return new RecurrentPassSpec(loopStart, loopEnd, d, feedback, sustained);
    }

    /**
     * @param s sustained
     * @return a copy with the flag
     */
    public RecurrentPassSpec withSustained(boolean s) {
        return new RecurrentPassSpec(loopStart, loopEnd, depth, feedback, s);
    }

    /**
     * @param position token position
     * @param vector a vector of model width
     * @param strength multiplier
     * @return a copy with the entry appended
     */
    public RecurrentPassSpec addFeedback(int position, float[] vector, float strength) {
        return addFeedback(position, vector, new long[] {dev.unroll.runtime.internal.Checks.notNull("addFeedback: vector", vector).length}, strength);
    }

    /**
     * @param position token position
     * @param data the tensor's elements
     * @param shape its shape (validation requires rank 1 and the model width)
     * @param strength multiplier
     * @return a copy with the entry appended
     */
    public RecurrentPassSpec addFeedback(int position, float[] data, long[] shape, float strength) {
        List<Feedback> f = new ArrayList<>(feedback);
        f.add(new Feedback(position, data, shape, strength));
        return new RecurrentPassSpec(loopStart, loopEnd, depth, f, sustained);
    }

    /** @return first layer of the block */
    public int loopStart() {
        return loopStart;
    }

    /** @return last layer of the block */
    public int loopEnd() {
        return loopEnd;
    }

    /** @return total passes */
    public int depth() {
        return depth;
    }

    /** @return feedback entries in order */
    public List<Feedback> feedback() {
        return feedback;
    }

    /** @return whether feedback also goes to the newest token of each step */
    public boolean sustained() {
        return sustained;
    }

    /**
     * The reference's checks in its order, stopping at the first failure: depth, loopStart vs loopEnd,
     * loopEnd vs layers, then per entry its position and its width; plus the checks it misses
     * (a vector of rank other than 1, a strength that is not finite).
     *
     * @param layers decoder layers
     * @param seqLen length of the sequence the call sees
     * @param dModel model width
     * @return warnings (feedback that cannot act): feedback with depth 1, sustained without feedback
     * @throws UnrollException at the first violated rule, naming the field
     */
    public List<String> validate(int layers, int seqLen, int dModel) {
        if (depth < 1) {
            throw new UnrollException("depth (" + depth + ") must be >= 1");
        }
        if (depth > dev.unroll.runtime.Limits.MAX_DEPTH) {
            throw new UnrollException("depth (" + depth + ") must be <= " + dev.unroll.runtime.Limits.MAX_DEPTH
                    + ": each pass of the block keeps its own KV caches");
        }
        if (loopStart > loopEnd) {
            throw new UnrollException("loopStart (" + loopStart + ") must be <= loopEnd (" + loopEnd + ")");
        }
        if (loopEnd >= layers) {
            throw new UnrollException("loopEnd (" + loopEnd + ") must be < layers (" + layers + ")");
        }
        if (loopStart < 0) {
            throw new UnrollException("loopStart (" + loopStart + ") must be >= 0");
        }
        for (int i = 0; i < feedback.size(); i++) {
            Feedback f = feedback.get(i);
            if (f.position() < 0) {
                throw new UnrollException("feedback[" + i + "].position (" + f.position() + ") must be >= 0");
            }
            if (f.position() >= seqLen) {
                throw new UnrollException("feedback[" + i + "].position (" + f.position() + ") must be < sequence length (" + seqLen + ")");
            }
            if (f.shape().length != 1) {
                throw new UnrollException("feedback[" + i + "].vector has shape " + Arrays.toString(f.shape()) + ": it must be a vector (rank 1) of " + dModel);
            }
            if (f.shape()[0] != dModel || f.vector().length != dModel) {
                throw new UnrollException("feedback[" + i + "].vector has " + f.shape()[0] + " values, model width is " + dModel);
            }
            if (!Float.isFinite(f.strength())) {
                throw new UnrollException("feedback[" + i + "].strength (" + f.strength() + ") must be finite");
            }
            Finite.check("feedback[" + i + "].vector", f.vector());
        }
        List<String> warnings = new ArrayList<>();
        if (depth == 1 && !feedback.isEmpty()) {
            warnings.add("feedback has no effect with depth 1: the block runs once");
        }
        if (sustained && feedback.isEmpty()) {
            warnings.add("sustained has no effect without feedback");
        }
        return warnings;
    }

    @Override
    public String toString() {
        return "RecurrentPassSpec(loopStart = " + loopStart + ", loopEnd = " + loopEnd + ", depth = " + depth + ", feedback = " + feedback.size()
                + " entries, sustained = " + sustained + ")";
    }
}
