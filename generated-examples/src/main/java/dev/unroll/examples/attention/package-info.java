/**
 * A {@code @LinearAttention} descriptor for every mode and variant of the reference's golden data,
 * each at width 16 (f32 and f64) and width 64, 4 heads, seed 42.
 */
package dev.unroll.examples.attention;
