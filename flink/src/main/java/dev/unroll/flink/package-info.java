/**
 * Unroll's linear-attention layers as Apache Flink operators: {@link dev.unroll.flink.UnrollFlink}
 * is the entry point; per-key state is Flink keyed state ({@link dev.unroll.flink.AttentionStateSerializer});
 * weights are built once per task manager ({@link dev.unroll.flink.LayerSource}).
 */
package dev.unroll.flink;
