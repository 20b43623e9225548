package dev.unroll.flink;

import java.io.Serializable;
import java.util.function.Function;

/**
 * Reads an event's input vector (one token of the layer's width).
 *
 * @param <IN> the event type
 */
@FunctionalInterface
public interface VectorOf<IN> extends Function<IN, float[]>, Serializable {}
