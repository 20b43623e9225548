package dev.unroll.processor.plan.mode;

import dev.unroll.annotations.AttentionMode;
import java.util.EnumMap;
import java.util.Map;

/** The registry of mode plans: one line per mode. */
public final class ModePlans {
    private static final Map<AttentionMode, ModePlan> PLANS = new EnumMap<>(AttentionMode.class);

    static {
        register(new RetNetPlan());
        register(new HawkPlan());
        register(new GlaPlan());
        register(new GlaVectorPlan());
        register(new DeltaNetPlan());
        register(new GatedDeltaNetPlan());
        register(new RwkvPlan());
        register(new MlstmPlan());
        register(new DeltaProductPlan());
        register(new Rwkv7Plan());
        register(new Hgrn2Plan());
        register(new LogLinearPlan());
        for (AttentionMode m : AttentionMode.values()) {
            if (!PLANS.containsKey(m)) {
                throw new IllegalStateException("no kernel plan registered for attention mode " + m);
            }
        }
    }

    private ModePlans() {}

    private static void register(ModePlan p) {
        if (PLANS.put(p.mode(), p) != null) {
            throw new IllegalStateException("two kernel plans for attention mode " + p.mode());
        }
    }

    /**
     * @param mode a mode
     * @return its plan
     */
    public static ModePlan of(AttentionMode mode) {
        return PLANS.get(mode);
    }
}
