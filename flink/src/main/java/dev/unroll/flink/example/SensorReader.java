package dev.unroll.flink.example;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

/**
 * Emits the readings of the partitions assigned to this subtask, one reading per call, taking the
 * partitions in turn; each partition's readings in its order.
 */
final class SensorReader implements SourceReader<Reading, SensorPartition> {
    private final SensorReadings layout;
    private final List<long[]> open = new ArrayList<>(); // {partition, emitted}
    private int next;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    SensorReader(SensorReadings layout) {
        this.layout = layout;
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<Reading> output) {
        while (!open.isEmpty()) {
            next %= open.size();
            long[] p = open.get(next);
            long i = layout.eventIndex((int) p[0], p[1]);
            if (i < 0) {
                open.remove(next); // this partition is done
                continue;
            }
            p[1]++;
            next++;
            output.collect(Reading.synthetic(i, layout.sensors(), layout.width()));
            return InputStatus.MORE_AVAILABLE;
        }
        if (noMoreSplits) {
            return InputStatus.END_OF_INPUT;
        }
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<SensorPartition> snapshotState(long checkpointId) {
        List<SensorPartition> l = new ArrayList<>(open.size());
        for (long[] p : open) {
            l.add(new SensorPartition((int) p[0], p[1]));
        }
        return l;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<SensorPartition> splits) {
        for (SensorPartition s : splits) {
            open.add(new long[] {s.partition(), s.emitted()});
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {}
}
