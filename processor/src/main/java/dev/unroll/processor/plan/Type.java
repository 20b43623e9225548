package dev.unroll.processor.plan;

/**
 * Types of the kernel IR. {@link #REAL} is the plan's precision (float or double), so one plan
 * emits either; the array types hold that precision too.
 */
public enum Type {
    /** float or double, per the plan's precision. */
    REAL,
    /** 32-bit int. */
    INT,
    /** 64-bit long. */
    LONG,
    /** boolean. */
    BOOLEAN,
    /** REAL[]. */
    REAL_ARRAY,
    /** int[]. */
    INT_ARRAY,
    /** long[]. */
    LONG_ARRAY,
    /** byte[] (Q8 weight codes). */
    BYTE_ARRAY
}
