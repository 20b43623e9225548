package dev.unroll.processor.emit;

/**
 * What the compilation of one descriptor can see.
 *
 * @param vectorApi {@code jdk.incubator.vector} is readable: emit SIMD flavours
 * @param tornado TornadoVM's API is on the class path: emit the TornadoVM kernels and glue
 * @param generatedAnnotation {@code javax.annotation.processing.Generated} is readable from the descriptor's
 *     module (a module that does not require {@code java.compiler} cannot see it): mark the output with it
 */
public record Environment(boolean vectorApi, boolean tornado, boolean generatedAnnotation) {}
