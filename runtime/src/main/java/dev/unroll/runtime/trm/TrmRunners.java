package dev.unroll.runtime.trm;

import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.backend.DeviceGlues;
import dev.unroll.runtime.backend.DeviceIndex;

/**
 * Opens a {@link TrmRunner} for a model on a backend: the generated {@code FooTornado} glue (the whole
 * supervision step as one TornadoVM task graph), found through {@link dev.unroll.runtime.backend.DeviceGlue}, or the model's JVM kernels.
 */
public final class TrmRunners {
    private TrmRunners() {}

    /**
     * On the backend {@link Backend#choose} picks.
     *
     * @param model a model
     * @param batch puzzles per step
     * @return a runner with a fresh carry
     */
    public static TrmRunner open(TrmModel model, int batch) {
        return open(model, batch, null);
    }

    /**
     * @param model a model (generated, for the TornadoVM backend)
     * @param batch puzzles per step
     * @param backend the backend to run on, or null for {@link Backend#choose}'s choice
     * @return a runner with a fresh carry
     * @throws dev.unroll.runtime.UnrollException when TornadoVM is asked for and cannot run this model
     */
    public static TrmRunner open(TrmModel model, int batch, Backend backend) {
        Checks.notNull("TrmRunners.open: model", model);
        Checks.positive("batch", batch);
        TrmGlue glue = DeviceGlues.find(TrmGlue.class, model.getClass());
        Backend b = Backend.resolve(backend, glue, model.getClass());
        if (b == Backend.TORNADOVM) {
            DeviceIndex device = DeviceIndex.fromProperty();
            return DeviceGlues.open(glue, () -> glue.open(model, batch, device));
        }
        return new JvmTrmRunner(model, batch);
    }

    /** The model's own step over a carry on the heap. */
    private static final class JvmTrmRunner implements TrmRunner {
        private final TrmModel model;
        private final int batch;
        private TrmCarry carry;

        JvmTrmRunner(TrmModel model, int batch) {
            this.model = model;
            this.batch = batch;
            this.carry = model.initialCarry(batch);
        }

        @Override
        public Backend backend() {
            return Backend.JVM;
        }

        @Override
        public TrmSpec spec() {
            return model.spec();
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public void reset() {
            carry = model.initialCarry(batch);
        }

        @Override
        public TrmStep step(int[] tokens) {
            TrmRunner.checkTokens(model.spec(), batch, tokens);
            return model.step(tokens, carry);
        }

        @Override
        public TrmCarry carry() {
            return carry.copy();
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
