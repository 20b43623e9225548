package dev.unroll.runtime.attention;

import dev.unroll.runtime.backend.DeviceGlue;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.StreamsRunner;

/**
 * The TornadoVM glue of a generated linear-attention layer for many streams at once ({@link DeviceGlue});
 * generated code implements it.
 */
public interface AttentionStreamsGlue extends DeviceGlue {
    /**
     * Builds the task graph of one batched step and compiles its kernels.
     *
     * @param layer a layer of the class this glue runs, in any flavour (the glue moves its weights into the scalar layout)
     * @param states the streams, distinct, of this layer, owned by the runner until it is closed
     * @param device the device to run on
     * @return the runner
     */
    StreamsRunner open(LinearAttentionLayer layer, AttentionState[] states, DeviceIndex device);
}
