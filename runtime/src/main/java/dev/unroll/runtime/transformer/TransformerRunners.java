package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceGlues;
import dev.unroll.runtime.backend.DeviceIndex;

/**
 * Opens a {@link DecodeRunner} for a model on a backend: the generated {@code FooTornado} glue (one
 * decoding step per execution of one TornadoVM task graph, the KV caches on the device), found through
 * {@link dev.unroll.runtime.backend.DeviceGlue}, or the JVM's {@link DecodeSession}. Hooks read and change the stream between kernels,
 * which the device does not expose: with hooks the JVM runs, and asking for TornadoVM is an error.
 */
public final class TransformerRunners {
    private TransformerRunners() {}

    /**
     * @param model the model (generated, for the TornadoVM backend)
     * @param recurrence the recurrent pass, or null (validated by the caller)
     * @param hooks hooks, or null
     * @param backend the backend to run on, or null for {@link Backend#choose}'s choice
     * @param positions positions the generation will use (the JVM sizes its caches by them)
     * @return a runner with empty caches
     * @throws UnrollException when TornadoVM is asked for and cannot run this model or these hooks
     */
    public static DecodeRunner open(TransformerModel model, RecurrentPassSpec recurrence, Hooks hooks, Backend backend, int positions) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerRunners.open: model", model);
        DecoderGlue glue = DeviceGlues.find(DecoderGlue.class, model.getClass());
        boolean asked = backend != null || System.getProperty(Backend.PROPERTY) != null;
        Backend b = hooks != null && !asked ? Backend.JVM : Backend.resolve(backend, glue, model.getClass());
        if (b == Backend.JVM) {
            return new DecodeSession(model, recurrence, hooks, positions);
        }
        if (hooks != null) {
            throw new UnrollException("hooks run on the JVM backend only: the TornadoVM glue keeps the stream on the device (use -Dunroll.backend=jvm)");
        }
        DeviceIndex device = DeviceIndex.fromProperty();
        return DeviceDecodeSession.open(model.spec(), recurrence,
                (schedule, nudgeAt) -> DeviceGlues.open(glue, () -> glue.open(model, schedule, nudgeAt, device)));
    }

    /**
     * Opens a runner that decodes many independent sequences together, one token of each per call
     * ({@link BatchDecodeRunner}), each with its own caches: on the JVM through
     * {@link TransformerModel#forwardTokens} (the weights read once for all sequences), on TornadoVM
     * through the generated glue with every cache on the device. Each call runs the model's whole
     * forward, its descriptor's recurrent block included.
     *
     * @param model the model (generated, for the TornadoVM backend)
     * @param sequences how many sequences, at least 1
     * @param backend the backend to run on, or null for {@link Backend#choose}'s choice
     * @return a checked runner with every cache empty
     * @throws UnrollException naming the argument when the model is null, sequences is below 1, the caches
     *     of that many sequences exceed the memory budget, or TornadoVM is asked for and cannot run this model
     */
    public static BatchDecodeRunner openBatch(TransformerModel model, int sequences, Backend backend) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerRunners.openBatch: model", model);
        if (sequences < 1) {
            throw new UnrollException("TransformerRunners.openBatch: sequences = " + sequences + ": a batch decodes at least one sequence");
        }
        TransformerSpec s = model.spec();
        long perSequence = dev.unroll.runtime.Limits.product("one sequence's KV caches", model.forwardCaches(), 2L * s.kvWidth() * s.maxSeq(), 4);
        dev.unroll.runtime.Limits.checkResident("TransformerRunners.openBatch over " + sequences + " sequences",
                dev.unroll.runtime.Limits.product(sequences + " sequences' KV caches", sequences, perSequence, 1));
        DecoderGlue glue = DeviceGlues.find(DecoderGlue.class, model.getClass());
        Backend b = Backend.resolve(backend, glue, model.getClass());
        BatchDecodeRunner inner;
        if (b == Backend.JVM) {
            inner = new JvmBatchDecode(model, sequences);
        } else {
            RecurrentPassSpec own = s.block() == null ? null : RecurrentPassSpec.of(s.block());
            int[] schedule = DeviceDecodeSession.schedule(s, own);
            DeviceIndex device = DeviceIndex.fromProperty();
            inner = new DeviceBatchDecode(DeviceGlues.open(glue, () -> glue.openSequences(model, schedule, sequences, device)));
        }
        return new CheckedBatchDecode(inner, s);
    }
}
