package dev.unroll.runtime.codegen;

import dev.unroll.runtime.UnrollException;
import java.util.Locale;

/**
 * Which kernel shape the TornadoVM glue runs where it has two: {@code loops} (the default: the scalar
 * kernels' {@code @Parallel} loops, one output row per work-item) or {@code gpu} (the generated
 * {@code FooGpuKernels}: one output row per work-group with a local-memory reduction, the shape GPUs
 * prefer for matrix-vector products). Chosen with {@code -D}{@value #PROPERTY}.
 */
public final class KernelShape {
    /** The system property that chooses the shape. */
    public static final String PROPERTY = "unroll.tornado.kernels";

    private KernelShape() {}

    /**
     * @return whether the GPU-shaped kernels were asked for
     * @throws UnrollException when the property is malformed
     */
    public static boolean gpuShaped() {
        String v = System.getProperty(PROPERTY, "loops").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "loops" -> false;
            case "gpu" -> true;
            default -> throw new UnrollException("-D" + PROPERTY + "=" + v + ": expected loops or gpu");
        };
    }
}
