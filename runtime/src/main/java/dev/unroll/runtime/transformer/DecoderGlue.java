package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;

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

    /**
     * Builds the task graphs of a step over many sequences ({@link DeviceDecoder#stepSequences}): the same
     * schedule for every sequence, each with caches of its own on the device, no feedback.
     *
     * @param model a model of the class this glue runs
     * @param schedule the layers one token runs through, in order
     * @param sequences how many sequences, at least 1
     * @param device the device to run on
     * @return the decoder, every cache empty
     * @throws UnrollException when this glue was generated without many sequences
     */
    default DeviceDecoder openSequences(TransformerModel model, int[] schedule, int sequences, DeviceIndex device) {
        throw new UnrollException("this TornadoVM glue was generated without many sequences: regenerate it with this version of Unroll");
    }
}
