package dev.unroll.flink;

import dev.unroll.flink.example.Reading;
import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * One side of {@link RestoreThroughputTest}, in a fresh JVM as a TaskManager is: {@code before}
 * steps {@value #KEYS} new streams of the example layer and writes their states as a checkpoint
 * does (through {@link AttentionStateSerializer}); {@code after} restores them from that file and
 * steps on. Both print this thread's CPU time per event in the best of {@value #WINDOWS} windows of
 * {@value #WINDOW} events after {@value #WARM_UP} events of warm-up: {@code ns/event N}. The best
 * window, not the median: the claim is the speed a restored JVM reaches once its compiler has caught
 * up (on a busy machine that can take seconds), and a kernel stuck at a lower tier is slow in every
 * window.
 */
public final class RestoreThroughput {
    static final int KEYS = 1000;
    static final int WINDOW = 50_000;
    static final int WARM_UP = 400_000;
    static final int WINDOWS = 9;

    private RestoreThroughput() {}

    /**
     * @param args {@code before|after FLAVOUR FILE}
     * @throws IOException when the file cannot be written or read
     */
    public static void main(String[] args) throws IOException {
        boolean after = args[0].equals("after");
        Flavour flavour = Flavour.valueOf(args[1]);
        Path file = Path.of(args[2]);
        LinearAttentionLayer layer = LayerSource.seeded(SensorFeaturesLayer.SPEC).withFlavour(flavour).layer();
        AttentionStateSerializer serializer = new AttentionStateSerializer(layer.spec());
        AttentionState[] states = new AttentionState[KEYS];
        long first = 0;
        if (after) { // the restore: every key's state read back as the heap backend reads a checkpoint
            DataInputDeserializer in = new DataInputDeserializer(Files.readAllBytes(file));
            first = in.readLong();
            for (int k = 0; k < KEYS; k++) {
                states[k] = serializer.deserialize(in);
            }
        } else {
            for (int k = 0; k < KEYS; k++) {
                states[k] = layer.newState();
            }
        }
        int width = layer.spec().width();
        float[][] xs = new float[KEYS * 4][];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Reading.synthetic(i, KEYS, width).values;
        }
        float[] y = new float[width];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long i = first;
        for (int w = 0; w < WARM_UP; w++, i++) {
            layer.step(states[(int) (i % KEYS)], xs[(int) (i % xs.length)], y);
        }
        double[] ns = new double[WINDOWS];
        for (int r = 0; r < WINDOWS; r++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int w = 0; w < WINDOW; w++, i++) {
                layer.step(states[(int) (i % KEYS)], xs[(int) (i % xs.length)], y);
            }
            ns[r] = (cpu.getCurrentThreadCpuTime() - t0) / (double) WINDOW;
        }
        Arrays.sort(ns);
        if (!after) {
            DataOutputSerializer out = new DataOutputSerializer(KEYS * 1300);
            out.writeLong(i);
            for (AttentionState s : states) {
                serializer.serialize(s, out);
            }
            Files.write(file, out.getCopyOfBuffer());
        }
        System.out.printf("ns/event %.1f (%s, %s, %s)%n", ns[0], args[0], flavour, layer.implementation());
    }
}
