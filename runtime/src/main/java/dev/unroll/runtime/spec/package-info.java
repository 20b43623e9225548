/**
 * Descriptor findings shared by the annotation processor and the run-time builders: the catalogue of
 * stable diagnostic ids ({@link dev.unroll.runtime.spec.Diagnostic}), each finding anchored on the
 * member at fault ({@link dev.unroll.runtime.spec.Violation}), and the exception a builder throws.
 * Immutable.
 */
package dev.unroll.runtime.spec;
