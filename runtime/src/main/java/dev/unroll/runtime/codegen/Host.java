package dev.unroll.runtime.codegen;

import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.Parallel;
import java.util.function.IntConsumer;

/**
 * The runtime calls generated host code makes besides its base class: argument checks and the
 * parallel loop. Generated classes live in users' modules, which cannot read the runtime's support
 * layer; this class is their door to it.
 */
public final class Host {
    private Host() {}

    /**
     * Runs {@code body.accept(i)} for i in [0, n) over the runtime's threads when worthwhile; items
     * must be independent, and exceptions reach the caller.
     *
     * @param n item count
     * @param body the work of one item
     */
    public static void forEach(int n, IntConsumer body) {
        Parallel.forEach(n, body);
    }

    /**
     * @param name the argument
     * @param value its value
     * @return the value
     * @throws dev.unroll.runtime.UnrollException unless it is at least 1
     */
    public static int positive(String name, int value) {
        return Checks.positive(name, value);
    }

    /**
     * @param name the argument
     * @param array its value
     * @param length the length it must have
     * @return the array
     * @throws dev.unroll.runtime.UnrollException when it is null or of another length
     */
    public static float[] length(String name, float[] array, int length) {
        return Checks.length(name, array, length);
    }
}
