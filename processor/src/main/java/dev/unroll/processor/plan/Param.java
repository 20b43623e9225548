package dev.unroll.processor.plan;

/**
 * A kernel method parameter.
 *
 * @param type type
 * @param name name
 * @param doc javadoc text
 */
public record Param(Type type, String name, String doc) {}
