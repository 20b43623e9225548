package dev.unroll.processor.plan;

/**
 * A run of rows in a fused per-head weight block: the rows of one canonical tensor.
 *
 * @param field the per-head tensor field (e.g. {@code w_key})
 * @param offsetConstant the constant naming its first row within the head's block
 * @param offset that first row
 * @param rows how many rows (vectors of length D) it holds
 */
public record Segment(String field, String offsetConstant, int offset, int rows) {}
