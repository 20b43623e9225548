package dev.unroll.runtime.trm;

import dev.unroll.runtime.backend.DeviceGlue;
import dev.unroll.runtime.backend.DeviceIndex;

/** The TornadoVM glue of a generated Tiny Recursive Model ({@link DeviceGlue}); generated code implements it. */
public interface TrmGlue extends DeviceGlue {
    /**
     * Builds the task graph of one supervision step and compiles its kernels.
     *
     * @param model a model of the class this glue runs
     * @param batch puzzles per step, at least 1
     * @param device the device to run on
     * @return the runner, with a fresh carry
     */
    TrmRunner open(TrmModel model, int batch, DeviceIndex device);
}
