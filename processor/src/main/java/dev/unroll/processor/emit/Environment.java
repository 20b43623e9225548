package dev.unroll.processor.emit;

/**
 * What the compilation the processor runs in can see.
 *
 * @param vectorApi {@code jdk.incubator.vector} is readable: emit SIMD flavours
 * @param tornado TornadoVM's API is on the class path: emit {@code @Parallel}, TornadoMath and glue
 */
public record Environment(boolean vectorApi, boolean tornado) {}
