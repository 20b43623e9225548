package dev.unroll.flink;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.flink.example.ExampleInputs;
import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.attention.AttentionSpec;
import java.util.stream.Stream;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and careless inputs of the flink module, each ending in one clean error that names what
 * is wrong: checkpoint bytes (a state record's length, its truncation, another descriptor's state,
 * the serializer snapshot's version), the layer source's choices, the example's options.
 */
class FlinkHostileCasesTest {
    static final AttentionStateSerializer SERIALIZER = new AttentionStateSerializer(SensorFeaturesLayer.SPEC);

    static Stream<Hostile.Case> cases() {
        return Stream.of(
                Hostile.rejects("a state record of 2 GB", "corrupt attention state record: length 2000000000, a state of "
                        + "@LinearAttention(mode = GATED_DELTA_NET", () -> SERIALIZER.deserialize(record(2_000_000_000, new byte[0]))),
                Hostile.rejects("a negative record length", "corrupt attention state record: length -4", () -> SERIALIZER.deserialize(record(-4, new byte[0]))),
                Hostile.rejects("a copy of a 2 GB record", "corrupt attention state record: length 2000000000",
                        () -> SERIALIZER.copy(record(2_000_000_000, new byte[0]), new DataOutputSerializer(16))),
                Hostile.rejects("a truncated record", "truncated attention state record: its length prefix says 100 bytes, 10 follow",
                        () -> SERIALIZER.deserialize(record(100, new byte[10]))),
                Hostile.rejects("another descriptor's state", "cannot be restored into a layer @LinearAttention(mode = GATED_DELTA_NET", () -> {
                    AttentionSpec other = AttentionSpec.builder(AttentionMode.GLA, 32).heads(4).build();
                    byte[] b = new dev.unroll.runtime.attention.AttentionState(other).toBytes();
                    SERIALIZER.deserialize(record(b.length, b));
                }),
                Hostile.rejects("a snapshot of version 7", "attention state serializer snapshot version 7: this Unroll reads version 1",
                        () -> new AttentionStateSerializerSnapshot().readSnapshot(7, new DataInputDeserializer(new byte[0]), null)),
                Hostile.rejects("a snapshot with a truncated descriptor", "corrupt attention state serializer snapshot",
                        () -> new AttentionStateSerializerSnapshot().readSnapshot(1, new DataInputDeserializer(new byte[] {0, 9, 'x'}), null)),
                Hostile.rejects("no flavour", "LayerSource.withFlavour(null): name a flavour, SCALAR or SIMD",
                        () -> LayerSource.seeded(SensorFeaturesLayer.SPEC).withFlavour(null)),
                Hostile.rejects("no choice", "LayerSource.ifFlavourUnavailable(null)",
                        () -> LayerSource.seeded(SensorFeaturesLayer.SPEC).ifFlavourUnavailable(null)),
                Hostile.rejects("a negative event count", "--events -5: must be at least 0", () -> ExampleInputs.jobArguments("--events", "-5")),
                Hostile.rejects("an option without value", "--rate needs a value", () -> ExampleInputs.jobArguments("--rate")),
                Hostile.accepts("printed lines of any kind", () -> ExampleInputs.checkLines(java.util.List.of("out a b c", "state \u001b x y", "1> out k 0 ff"))));
    }

    private static DataInputDeserializer record(int length, byte[] body) throws java.io.IOException {
        DataOutputSerializer out = new DataOutputSerializer(16 + body.length);
        out.writeInt(length);
        out.write(body);
        return new DataInputDeserializer(out.getCopyOfBuffer());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endsInOneCleanError(Hostile.Case c) {
        Hostile.check(c);
    }
}
