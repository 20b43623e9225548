package dev.unroll.flink;

import dev.unroll.flink.example.Reading;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The reference the Flink jobs are checked against: each key's stream run alone through the layer. */
final class Streams {
    private Streams() {}

    /** One key's expected outputs (by token) and final state. */
    record Alone(List<float[]> outputs, byte[] finalState) {}

    /**
     * @param layer the layer
     * @param events the events, in the order a source emits them
     * @return per key, its lone run
     */
    static Map<String, Alone> alone(LinearAttentionLayer layer, List<Reading> events) {
        Map<String, AttentionState> states = new HashMap<>();
        Map<String, List<float[]>> outs = new HashMap<>();
        for (Reading r : events) {
            AttentionState s = states.computeIfAbsent(r.sensor, k -> layer.newState());
            float[] y = new float[layer.spec().width()];
            layer.step(s, r.values, y);
            outs.computeIfAbsent(r.sensor, k -> new ArrayList<>()).add(y);
        }
        Map<String, Alone> m = new HashMap<>();
        states.forEach((k, s) -> m.put(k, new Alone(outs.get(k), s.toBytes())));
        return m;
    }

    /**
     * @param n how many
     * @param keys how many sensors
     * @param width values per reading
     * @return the synthetic readings 0..n-1
     */
    static List<Reading> readings(long n, int keys, int width) {
        List<Reading> r = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            r.add(Reading.synthetic(i, keys, width));
        }
        return r;
    }

    /**
     * Sorts a job's outputs by key and token and checks each key's against its lone run, exactly:
     * no output missing, none twice, none different.
     *
     * @param expected per key, the lone run
     * @param outputs the job's outputs, any order
     */
    static void assertSameAsAlone(Map<String, Alone> expected, List<AttentionOutput<String>> outputs) {
        Map<String, Map<Long, float[]>> got = new HashMap<>();
        for (AttentionOutput<String> o : outputs) {
            float[] before = got.computeIfAbsent(o.key, k -> new HashMap<>()).put(o.tokens, o.y);
            if (before != null) {
                throw new AssertionError(o.key + " token " + o.tokens + " emitted twice");
            }
        }
        if (!got.keySet().equals(expected.keySet())) {
            throw new AssertionError("keys " + got.keySet().size() + " emitted, " + expected.size() + " expected");
        }
        expected.forEach((k, alone) -> {
            Map<Long, float[]> g = got.get(k);
            if (g.size() != alone.outputs().size()) {
                throw new AssertionError(k + ": " + g.size() + " outputs, " + alone.outputs().size() + " expected");
            }
            for (int t = 0; t < alone.outputs().size(); t++) {
                if (!java.util.Arrays.equals(alone.outputs().get(t), g.get((long) t + 1))) {
                    throw new AssertionError(k + " token " + (t + 1) + " differs from the key's stream run alone: "
                            + java.util.Arrays.toString(alone.outputs().get(t)) + " alone, " + java.util.Arrays.toString(g.get((long) t + 1)) + " in the job");
                }
            }
        });
    }
}
