package dev.unroll.flink;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.LinearAttentionLayer;

/**
 * The layer a task runs and how it came to run it.
 *
 * @param layer the layer
 * @param flavour the flavour its kernels run, or null for the generic engine (no generated kernel
 *     for the descriptor on this class path)
 * @param warning why this is not the job's flavour, or null when it is
 */
record TaskLayer(LinearAttentionLayer layer, Flavour flavour, String warning) {}
