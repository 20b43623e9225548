package dev.unroll.processor.host;

/**
 * A descriptor's host plan: its generated layer or model class, and its TornadoVM glue.
 *
 * @param jvm the layer or model class
 * @param device the glue, or null when the descriptor runs on the JVM only (F64 precision, compact weights)
 * @param workGroupKernels whether the glue also runs the work-group matrix-vector kernels ({@code FooGpuKernels})
 */
public record HostPlan(HostClass jvm, HostClass device, boolean workGroupKernels) {}
