package dev.unroll.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.TinyRecursiveModel;
import dev.unroll.annotations.Transformer;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.trm.TrmSpec;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every descriptor annotation against its family's parameter table: the same members (but
 * {@code weights}, the storage format, which is not a shape parameter), the same types and the
 * same defaults; a required member has no default in either. Each default is inside its range.
 */
class ParameterTablesTest {
    static Stream<Arguments> families() {
        List<Parameter<?>> attention = new ArrayList<>(AttentionSpec.PARAMETERS);
        attention.addAll(Modes.allParameters());
        return Stream.of(
                Arguments.of(LinearAttention.class, attention),
                Arguments.of(TinyRecursiveModel.class, TrmSpec.PARAMETERS),
                Arguments.of(Transformer.class, TransformerSpec.PARAMETERS),
                Arguments.of(RecurrentPass.class, TransformerSpec.BLOCK_PARAMETERS));
    }

    private static boolean hasConfig(Class<? extends Annotation> annotation) {
        return java.util.Arrays.stream(annotation.getDeclaredMethods()).anyMatch(m -> m.getName().equals("config"));
    }

    @ParameterizedTest(name = "@{0}")
    @MethodSource("families")
    void theAnnotationAndItsTableAgree(Class<? extends Annotation> annotation, List<Parameter<?>> table) throws Exception {
        TreeSet<String> members = new TreeSet<>();
        for (Method m : annotation.getDeclaredMethods()) {
            // weights is the kernels' storage and config the shape's source, not members of the shape
            if (!m.getName().equals("weights") && !m.getName().equals("config")) {
                members.add(m.getName());
            }
        }
        TreeSet<String> names = new TreeSet<>(table.stream().map(Parameter::name).toList());
        assertEquals(members, names, "@" + annotation.getSimpleName() + " members against its table");
        for (Parameter<?> p : table) {
            Method m = annotation.getMethod(p.name());
            assertEquals(m.getReturnType().getSimpleName(), p.typeName(), "type of " + p.name());
            if (p.required() && hasConfig(annotation)) {
                // a configuration file can give it: the annotation's 0 means "not written", and the reader requires it without config
                assertEquals(0, m.getDefaultValue(), "default of " + p.name());
            } else {
                assertEquals(m.getDefaultValue(), p.defaultValue(), "default of " + p.name());
            }
            if (!p.required()) {
                List<Violation> out = new ArrayList<>();
                p.check(p.defaultValue(), out);
                assertEquals(List.of(), out, "the default of " + p.name() + " is outside its range " + p.range().describe());
            }
        }
    }

    @ParameterizedTest(name = "@{0}")
    @MethodSource("families")
    void everyParameterIsDescribed(Class<? extends Annotation> annotation, List<Parameter<?>> table) {
        for (Parameter<?> p : table) {
            assertTrue(!p.description().isBlank() && p.range() != null, p.name());
        }
        assertEquals(table.size(), table.stream().map(Parameter::name).distinct().count(), "one entry per member");
    }

    /** Generated code names a member as {@code Keys.UPPER_SNAKE}: every table's keys are there under that name. */
    @org.junit.jupiter.api.Test
    void everyParameterIsAConstantOfItsKeyClass() throws Exception {
        List<Map.Entry<Class<?>, List<Parameter<?>>>> tables = new ArrayList<>(List.of(Map.entry(TrmSpec.class, TrmSpec.PARAMETERS),
                Map.entry(TransformerSpec.class, TransformerSpec.PARAMETERS), Map.entry(TransformerSpec.class, TransformerSpec.BLOCK_PARAMETERS),
                Map.entry(AttentionSpec.class, AttentionSpec.PARAMETERS)));
        for (dev.unroll.runtime.attention.definition.ModeDefinition d : Modes.all()) {
            if (!d.parameters().isEmpty()) {
                tables.add(Map.entry(d.keys(), d.parameters()));
            }
        }
        for (Map.Entry<Class<?>, List<Parameter<?>>> t : tables) {
            for (Parameter<?> p : t.getValue()) {
                String constant = p.name().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
                assertEquals(p, t.getKey().getField(constant).get(null), t.getKey().getSimpleName() + "." + constant);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void descriptorJsonRoundTripsThroughTheTables() {
        TrmSpec trm = TrmSpec.builder().set(TrmSpec.HIDDEN, 64).set(TrmSpec.MIXER, dev.unroll.annotations.TokenMixer.ATTENTION)
                .set(TrmSpec.HEADS, 4).build();
        assertEquals(trm, TrmSpec.fromJson(trm.toJson()));
        TransformerSpec t = TransformerSpec.builder(3, 64, 8, 172, 512, 256).set(TransformerSpec.KV_HEADS, 4).block(1, 2, 3).build();
        assertEquals(t, TransformerSpec.fromJson(t.toJson()));
        Map<String, Object> json = t.toJson();
        List<String> unscaled = TransformerSpec.PARAMETERS.stream().filter(t::applies).map(Parameter::name).toList();
        assertEquals(List.copyOf(json.keySet()).subList(0, unscaled.size()), unscaled, "JSON members in table order (no RoPE scaling)");
        TransformerSpec scaled = TransformerSpec.builder(3, 64, 8, 172, 512, 256).set(TransformerSpec.ROPE_SCALING, 8.0).build();
        assertEquals(scaled, TransformerSpec.fromJson(scaled.toJson()));
        assertEquals(List.copyOf(scaled.toJson().keySet()), TransformerSpec.PARAMETERS.stream()
                .filter(p -> p != TransformerSpec.QKV_BIAS && p != TransformerSpec.QK_NORM && p != TransformerSpec.HEAD_DIM).map(Parameter::name).toList(),
                "a scaled model's JSON has every member but the unset flags and head width");
        TransformerSpec qwen = TransformerSpec.builder(3, 64, 8, 172, 512, 256).set(TransformerSpec.QKV_BIAS, true)
                .set(TransformerSpec.QK_NORM, true).set(TransformerSpec.HEAD_DIM, 16).build();
        assertEquals(qwen, TransformerSpec.fromJson(qwen.toJson()));
        assertTrue(qwen.toJson().containsKey("qkvBias") && qwen.toJson().containsKey("qkNorm") && qwen.toJson().containsKey("headDim"),
                qwen.toJson().toString());
        assertEquals(t.withoutBlock(), TransformerSpec.builder(3, 64, 8, 172, 512, 256).set(TransformerSpec.KV_HEADS, 4)
                .set(TransformerSpec.ROPE_LOW_FREQ_FACTOR, 2.0).build(), "an unscaled model's scaling members compute nothing: equal descriptors");
        assertEquals(t, scaled.with(TransformerSpec.ROPE_SCALING, 1.0).with(TransformerSpec.KV_HEADS, 4).withBlock(t.block()));
    }
}
