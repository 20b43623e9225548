package dev.unroll.runtime.attention.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.LinearAttention;
import dev.unroll.runtime.attention.AttentionSpec;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The definitions agree with the annotation users write and with the reference's names. */
class ModeDefinitionsTest {
    @Test
    void everyModeHasOneDefinition() {
        Set<AttentionMode> seen = new HashSet<>();
        for (ModeDefinition d : Modes.all()) {
            assertSame(d, Modes.of(d.mode()));
            seen.add(d.mode());
            assertSame(d, Modes.byReferenceName(d.referenceName()), "reference name " + d.referenceName());
        }
        assertEquals(Set.of(AttentionMode.values()), seen);
    }

    @Test
    void everyParameterIsAnAnnotationMemberWithTheSameTypeAndDefault() throws Exception {
        for (ModeParameter<?> p : Modes.allParameters()) {
            Method member = LinearAttention.class.getMethod(p.name());
            Object annotationDefault = member.getDefaultValue();
            assertNotNull(annotationDefault, p.name() + " has no default in @LinearAttention");
            assertEquals(p.defaultValue(), annotationDefault, "default of " + p.name());
            assertEquals(p.typeName(), member.getReturnType().getSimpleName(), "type of " + p.name());
            assertSame(Modes.ownerOf(p.name()), Modes.ownerOf(p.name()), "one owner");
        }
    }

    @Test
    void specsKeepExactlyTheParametersTheirModeDeclares() {
        for (ModeDefinition d : Modes.all()) {
            AttentionSpec s = AttentionSpec.builder(d.mode(), 16).build();
            for (String name : s.parameters().asMap().keySet()) {
                assertSame(d, Modes.ownerOf(name), name + " in a " + d.mode() + " spec");
            }
        }
    }
}
