package dev.unroll.flink;

/**
 * What a task does when its TaskManager cannot run the job's kernel flavour (the SIMD flavour
 * needs {@code --add-modules jdk.incubator.vector} in the TaskManager's JVM options).
 */
public enum IfFlavourUnavailable {
    /**
     * The task fails with an {@code UnrollException} naming the TaskManager, the flavour and the
     * missing JVM option (the default: a job computes in one flavour or not at all).
     */
    FAIL,
    /**
     * The task logs a warning naming the TaskManager and runs the scalar flavour: its keys' outputs
     * then differ from the job's flavour in the last bits (a few float ulps), and it runs slower (the
     * example layer's scalar flavour at about 0.3x the SIMD one).
     */
    WARN
}
