package dev.unroll.runtime.internal;

import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.weights.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a tensor source holds exactly the tensors a model needs: none missing, none extra,
 * each of the right shape. Errors name the tensor, the expected and the actual shape.
 */
public final class WeightSetCheck {
    private WeightSetCheck() {}

    /**
     * @param model what needs the weights (for messages)
     * @param expected name to shape, in load order
     * @param source the tensors
     * @throws UnrollException naming every missing and extra tensor
     * @throws ShapeMismatchException for the first wrongly-shaped tensor
     */
    public static void requireExactly(String model, Map<String, long[]> expected, TensorSource source) {
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
            StringBuilder sb = new StringBuilder(source.description()).append(": weights do not match ").append(model);
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
                throw new ShapeMismatchException(e.getKey(), e.getValue(), actual);
            }
        }
    }

    /**
     * @return an insertion-ordered map for building expectations
     */
    public static Map<String, long[]> expectations() {
        return new LinkedHashMap<>();
    }
}
