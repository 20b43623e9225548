package dev.unroll.annotations;

/** Floating-point precision of a generated kernel: the same plan is emitted for either. */
public enum Precision {
    /** 32-bit floats: the fast default. */
    F32,
    /** 64-bit doubles: for reference-exact work (the reference implementations compute in f64). */
    F64
}
