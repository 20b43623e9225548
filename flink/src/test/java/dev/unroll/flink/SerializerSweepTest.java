package dev.unroll.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.sweep.RuntimeValues;
import dev.unroll.runtime.sweep.Surface;
import dev.unroll.runtime.sweep.Sweep;
import dev.unroll.runtime.sweep.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.junit.jupiter.api.Test;

/**
 * The Flink state serializer under the generated hostile-argument sweep (see the runtime's
 * {@code RuntimeApiSweepTest}): every public method of {@link AttentionStateSerializer}, found by
 * reflection, with hostile states and hostile serialised records (empty, cut, a lying length prefix,
 * another descriptor's state, a NaN value); every call returns or throws one clean UnrollException.
 */
class SerializerSweepTest {
    static Values values() {
        Values v = RuntimeValues.create();
        v.add(AttentionStateSerializer.class, "GLA d16", () -> new AttentionStateSerializer(RuntimeValues.GLA));
        for (Map.Entry<String, byte[]> e : SerializerFuzzTest.records().entrySet()) {
            v.add(DataInputView.class, e.getKey(), () -> new DataInputDeserializer(e.getValue()));
        }
        v.add(DataOutputView.class, "a growing buffer", () -> new DataOutputSerializer(16));
        return v;
    }

    @Test
    void everyPublicMethodEndsCleanlyOnHostileArguments() {
        String saved = System.getProperty(Limits.BUDGET_PROPERTY);
        System.setProperty(Limits.BUDGET_PROPERTY, "256m");
        Sweep.Report r;
        try {
            r = Sweep.run(Surface.of(AttentionStateSerializer.class, List.of("dev.unroll.flink"), c -> c == AttentionStateSerializer.class), values(),
                    Map.of(), Duration.ofSeconds(20));
        } finally {
            if (saved == null) {
                System.clearProperty(Limits.BUDGET_PROPERTY);
            } else {
                System.setProperty(Limits.BUDGET_PROPERTY, saved);
            }
        }
        System.out.println("[Unroll sweep] Flink state serializer: " + r.summary());
        assertEquals(List.of(), r.uncovered(), "public methods the sweep cannot call");
        assertTrue(r.violations().isEmpty(), () -> r.violations().stream().map(Sweep.Outcome::toString).collect(Collectors.joining("\n")));
        assertTrue(r.outcomes().stream().anyMatch(o -> o.executable().startsWith("AttentionStateSerializer.deserialize(")), "deserialize is swept");
    }
}
