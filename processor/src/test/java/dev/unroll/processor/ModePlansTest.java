package dev.unroll.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.processor.plan.mode.ModePlans;
import org.junit.jupiter.api.Test;

class ModePlansTest {
    @Test
    void everyModeHasAKernelPlan() {
        for (AttentionMode m : AttentionMode.values()) {
            assertNotNull(ModePlans.of(m), m.name());
            assertEquals(m, ModePlans.of(m).mode());
        }
    }
}
