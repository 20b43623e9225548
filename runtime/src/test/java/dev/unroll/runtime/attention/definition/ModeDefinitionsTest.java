package dev.unroll.runtime.attention.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.spec.Parameter;
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
    void everyParameterHasExactlyOneOwningMode() {
        for (ModeDefinition d : Modes.all()) {
            for (Parameter<?> p : d.parameters()) {
                assertSame(d, Modes.ownerOf(p.name()), p.name());
            }
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
