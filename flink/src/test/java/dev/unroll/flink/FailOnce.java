package dev.unroll.flink;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Injected faults: passes outputs through, and throws once at least two checkpoints have completed
 * since the last failure, until {@code failures} have been thrown. The counters are static: they
 * outlive the restarts they cause (the MiniCluster runs in this JVM).
 */
final class FailOnce implements MapFunction<AttentionOutput<String>, AttentionOutput<String>>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger THROWN = new AtomicInteger();
    static final AtomicLong CHECKPOINTS = new AtomicLong();
    static final AtomicLong AT_LAST_FAILURE = new AtomicLong();

    private final int failures;

    FailOnce(int failures) {
        this.failures = failures;
        THROWN.set(0);
        CHECKPOINTS.set(0);
        AT_LAST_FAILURE.set(0);
    }

    @Override
    public AttentionOutput<String> map(AttentionOutput<String> o) {
        if (THROWN.get() < failures && CHECKPOINTS.get() >= AT_LAST_FAILURE.get() + 2) {
            AT_LAST_FAILURE.set(CHECKPOINTS.get());
            THROWN.incrementAndGet();
            throw new IllegalStateException("injected failure " + THROWN.get() + " after " + CHECKPOINTS.get() + " checkpoints");
        }
        return o;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        CHECKPOINTS.incrementAndGet();
    }
}
