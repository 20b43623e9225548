package dev.unroll.runtime.transformer;

import dev.unroll.runtime.backend.Backend;

/** {@link BatchDecodeRunner} on TornadoVM: the generated glue opened for many sequences, every cache on the device. */
final class DeviceBatchDecode implements BatchDecodeRunner {
    private final DeviceDecoder decoder;

    DeviceBatchDecode(DeviceDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Backend backend() {
        return Backend.TORNADOVM;
    }

    @Override
    public int sequences() {
        return decoder.sequences();
    }

    @Override
    public void next(int[] tokens, int[] positions, float[][] logits) {
        decoder.stepSequences(tokens, positions, logits);
    }

    @Override
    public void close() {
        decoder.close();
    }
}
