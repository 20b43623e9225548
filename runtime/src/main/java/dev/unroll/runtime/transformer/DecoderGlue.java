package dev.unroll.runtime.transformer;

import dev.unroll.runtime.backend.DeviceGlue;
import dev.unroll.runtime.backend.DeviceIndex;

/** The TornadoVM glue of a generated decoder ({@link DeviceGlue}); generated code implements it. */
public interface DecoderGlue extends DeviceGlue {
    /**
     * Builds the task graphs of one decoding step over a layer schedule and compiles their kernels.
     *
     * @param model a model of the class this glue runs (the weights are read from it)
     * @param schedule the layers one token runs through, in order; entry i has cache i
     * @param nudgeAt the schedule entry before which the feedback is added, or -1 for none
     * @param device the device to run on
     * @return the decoder, its caches empty
     */
    DeviceDecoder open(TransformerModel model, int[] schedule, int nudgeAt, DeviceIndex device);
}
