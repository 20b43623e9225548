package dev.unroll.runtime.attention;

import dev.unroll.runtime.backend.DeviceGlue;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.SequenceRunner;

/** The TornadoVM glue of a generated linear-attention layer ({@link DeviceGlue}); generated code implements it. */
public interface AttentionGlue extends DeviceGlue {
    /**
     * Builds the task graph of one chunk and compiles its kernels.
     *
     * @param layer a layer of the class this glue runs, in any flavour (the glue moves its weights into the scalar layout)
     * @param state the stream, owned by the runner until it is closed
     * @param tokens tokens per chunk, at least 1
     * @param device the device to run on
     * @return the runner
     */
    SequenceRunner open(LinearAttentionLayer layer, AttentionState state, int tokens, DeviceIndex device);
}
