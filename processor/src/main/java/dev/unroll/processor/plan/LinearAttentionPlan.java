package dev.unroll.processor.plan;

import dev.unroll.processor.model.LinearAttentionDescriptor;
import java.util.List;

/**
 * The plan of one linear-attention layer: its kernels, and how the canonical weight tensors pack
 * into the kernels' fused buffers.
 *
 * @param descriptor the descriptor planned
 * @param kernels the kernel class
 * @param projection per-head segments of the fused input projection {@code wIn [H*HEAD_ROWS][D]}
 * @param aux per-head segments of {@code aux [H][AUX_PER_HEAD]} (element-wise vectors), may be empty
 */
public record LinearAttentionPlan(
        LinearAttentionDescriptor descriptor,
        KernelPlan kernels,
        List<Segment> projection,
        List<Segment> aux) implements FamilyPlan {}
