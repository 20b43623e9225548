package dev.unroll.flink.example;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;

/**
 * Hands every partition to a source subtask as soon as it registers: partition {@code p} to
 * subtask {@code p % parallelism}, then no more. Partitions come back here when a subtask fails
 * before a checkpoint recorded them, and go out again when it registers anew.
 */
final class SensorEnumerator implements SplitEnumerator<SensorPartition, List<SensorPartition>> {
    private final SplitEnumeratorContext<SensorPartition> context;
    private final Map<Integer, SensorPartition> pending = new TreeMap<>();

    SensorEnumerator(SplitEnumeratorContext<SensorPartition> context, List<SensorPartition> pending) {
        this.context = context;
        pending.forEach(p -> this.pending.put(p.partition(), p));
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String host) {} // partitions are pushed when a reader registers

    @Override
    public void addSplitsBack(List<SensorPartition> splits, int subtask) {
        splits.forEach(p -> pending.put(p.partition(), p));
    }

    @Override
    public void addReader(int subtask) {
        int n = context.currentParallelism();
        List<SensorPartition> mine = new ArrayList<>();
        pending.values().removeIf(p -> p.partition() % n == subtask && mine.add(p));
        if (!mine.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(Map.of(subtask, mine)));
        }
        context.signalNoMoreSplits(subtask);
    }

    @Override
    public List<SensorPartition> snapshotState(long checkpointId) {
        return new ArrayList<>(pending.values());
    }

    @Override
    public void close() {}
}
