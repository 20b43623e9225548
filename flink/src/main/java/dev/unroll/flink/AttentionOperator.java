package dev.unroll.flink;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed operator: each key's {@link AttentionState} lives in Flink keyed state; events are
 * gathered (see {@link Batching}) and stepped in rounds of distinct keys, one round per batch for
 * every key present, later rounds for a key's later events, so that per-key order holds; each round
 * is one {@code stepBatch} call on the task's thread. The
 * buffer is always empty at a checkpoint (it is flushed before the barrier), so it needs no state of
 * its own and exactly-once holds as for any Flink operator.
 *
 * @param <K> key type
 * @param <IN> event type
 */
final class AttentionOperator<K, IN> extends AbstractStreamOperator<AttentionOutput<K>> implements OneInputStreamOperator<IN, AttentionOutput<K>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AttentionOperator.class);
    static final String STATE = "unroll-attention-state";

    private final LayerSource source;
    private final VectorOf<IN> vector;
    private final int maxEvents; // Batching's values: the operator travels with the job graph
    private final long maxDelayMillis;
    private final OutputTag<FinalState<K>> finalStates;

    private transient LinearAttentionLayer layer;
    private transient ValueStateDescriptor<AttentionState> descriptor;
    private transient ValueState<AttentionState> states;
    private transient List<Pending<K>> buffer;
    private transient boolean timerSet;

    /** A buffered event. */
    private record Pending<K>(K key, Long timestamp, float[] x) {}

    AttentionOperator(LayerSource source, VectorOf<IN> vector, Batching batching, OutputTag<FinalState<K>> finalStates) {
        this.source = source;
        this.vector = vector;
        this.maxEvents = batching.maxEvents();
        this.maxDelayMillis = batching.maxDelayMillis();
        this.finalStates = finalStates;
    }

    @Override
    public void open() throws Exception {
        super.open();
        String where = "Unroll task " + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks() + " on TaskManager "
                + getContainingTask().getEnvironment().getTaskManagerInfo().getTaskManagerExternalAddress();
        TaskLayer t;
        try {
            t = source.taskLayer();
        } catch (UnrollException e) {
            throw new UnrollException(where + ": " + e.getMessage(), e);
        }
        layer = t.layer();
        if (t.warning() != null) {
            LOG.warn("{}: {}", where, t.warning());
        }
        LOG.info("{} runs {}; the job's flavour: {}", where, layer.implementation(), t.flavour() == null ? "none (no generated kernel)" : source.flavour());
        descriptor = new ValueStateDescriptor<>(STATE, new AttentionStateSerializer(layer.spec()));
        states = getPartitionedState(descriptor);
        buffer = new ArrayList<>(maxEvents);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement(StreamRecord<IN> element) throws Exception {
        buffer.add(new Pending<>((K) getCurrentKey(), element.hasTimestamp() ? element.getTimestamp() : null, vector.apply(element.getValue())));
        if (buffer.size() >= maxEvents) {
            flush();
        } else if (!timerSet && maxDelayMillis > 0) {
            timerSet = true;
            long at = getProcessingTimeService().getCurrentProcessingTime() + maxDelayMillis;
            getProcessingTimeService().registerTimer(at, t -> {
                timerSet = false;
                flush();
            });
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush(); // outputs before the watermark that covers them
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(); // nothing buffered at a checkpoint: every event before the barrier is in state and emitted
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    /** At the end of the input: the last events, then every key's final state on the side output. */
    @Override
    public void finish() throws Exception {
        flush();
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor, (key, state) -> {
            AttentionState s = state.value();
            if (s != null) {
                @SuppressWarnings("unchecked")
                K k = (K) key;
                output.collect(finalStates, new StreamRecord<>(new FinalState<>(k, s.toBytes())));
            }
        });
        super.finish();
    }

    /** Steps every buffered event, in rounds of distinct keys, and emits the outputs in arrival order. */
    private void flush() throws Exception {
        int n = buffer.size();
        if (n == 0) {
            return;
        }
        int width = layer.spec().width();
        Map<K, Integer> seen = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int round = seen.merge(buffer.get(i).key(), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        List<AttentionOutput<K>> outputs = new ArrayList<>(Collections.nCopies(n, null));
        for (List<Integer> round : rounds) {
            int m = round.size();
            AttentionState[] s = new AttentionState[m];
            float[][] xs = new float[m][];
            float[][] ys = new float[m][width];
            for (int j = 0; j < m; j++) {
                Pending<K> p = buffer.get(round.get(j));
                setCurrentKey(p.key());
                AttentionState st = states.value();
                s[j] = st != null ? st : layer.newState();
                xs[j] = p.x();
            }
            // one batched call per round (the projections of all its keys one matrix product), on the task's own
            // thread: Flink's slots are the parallelism, an operator starts no threads of its own
            layer.stepBatch(s, xs, ys, 1);
            for (int j = 0; j < m; j++) {
                Pending<K> p = buffer.get(round.get(j));
                setCurrentKey(p.key());
                states.update(s[j]);
                outputs.set(round.get(j), new AttentionOutput<>(p.key(), p.timestamp(), s[j].tokens(), ys[j]));
            }
        }
        buffer.clear();
        StreamRecord<AttentionOutput<K>> record = new StreamRecord<>(null);
        for (AttentionOutput<K> o : outputs) {
            if (o.timestamp != null) {
                output.collect(record.replace(o, o.timestamp));
            } else {
                record.eraseTimestamp();
                output.collect(record.replace(o));
            }
        }
    }
}
