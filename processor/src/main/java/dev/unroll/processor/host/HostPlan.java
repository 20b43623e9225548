package dev.unroll.processor.host;

import java.util.List;

/**
 * A descriptor's host plan: its generated layer or model class, and its TornadoVM glue classes.
 *
 * @param jvm the layer or model class
 * @param devices the glue classes, empty when the descriptor runs on the JVM only (F64 precision, compact weights)
 * @param workGroupKernels whether the glue also runs the work-group matrix-vector kernels ({@code FooGpuKernels})
 */
public record HostPlan(HostClass jvm, List<HostClass> devices, boolean workGroupKernels) {
    /**
     * @param jvm the layer or model class
     * @param devices the glue classes (copied)
     * @param workGroupKernels whether the glue runs the work-group kernels
     */
    public HostPlan {
        devices = List.copyOf(devices);
    }

    /**
     * @param jvm the layer or model class
     * @param device its one glue class, or null for none
     * @param workGroupKernels whether the glue runs the work-group kernels
     * @return the plan
     */
    public static HostPlan of(HostClass jvm, HostClass device, boolean workGroupKernels) {
        return new HostPlan(jvm, device == null ? List.of() : List.of(device), workGroupKernels);
    }
}
