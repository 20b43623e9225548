package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.spec.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of mode definitions: one line per mode. */
public final class Modes {
    private static final Map<AttentionMode, ModeDefinition> BY_MODE = new EnumMap<>(AttentionMode.class);
    private static final Map<String, ModeDefinition> OWNERS = new LinkedHashMap<>();

    static {
        register(new RetNetDefinition());
        register(new HawkDefinition());
        register(new GlaDefinition());
        register(new GlaVectorDefinition());
        register(new DeltaNetDefinition());
        register(new GatedDeltaNetDefinition());
        register(new RwkvDefinition());
        register(new MlstmDefinition());
        register(new DeltaProductDefinition());
        register(new Rwkv7Definition());
        register(new Hgrn2Definition());
        register(new LogLinearDefinition());
        for (AttentionMode m : AttentionMode.values()) {
            if (!BY_MODE.containsKey(m)) {
                throw new IllegalStateException("no definition registered for attention mode " + m);
            }
        }
    }

    private Modes() {}

    private static void register(ModeDefinition d) {
        if (BY_MODE.put(d.mode(), d) != null) {
            throw new IllegalStateException("two definitions of attention mode " + d.mode());
        }
        for (Parameter<?> p : d.parameters()) {
            ModeDefinition other = OWNERS.put(p.name(), d);
            if (other != null) {
                throw new IllegalStateException("parameter " + p.name() + " is declared by " + other + " and " + d);
            }
        }
    }

    /**
     * @param mode a mode
     * @return its definition
     */
    public static ModeDefinition of(AttentionMode mode) {
        return BY_MODE.get(mode);
    }

    /** @return every definition in the enum's order */
    public static List<ModeDefinition> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_MODE.values()));
    }

    /**
     * @param name a parameter name
     * @return the mode declaring it, or null
     */
    public static ModeDefinition ownerOf(String name) {
        return OWNERS.get(name);
    }

    /**
     * @param name a parameter name
     * @return the parameter, or null
     */
    public static Parameter<?> parameter(String name) {
        ModeDefinition owner = OWNERS.get(name);
        if (owner == null) {
            return null;
        }
        for (Parameter<?> p : owner.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** @return every mode's parameters, in mode and declaration order */
    public static List<Parameter<?>> allParameters() {
        List<Parameter<?>> out = new ArrayList<>();
        for (ModeDefinition d : BY_MODE.values()) {
            out.addAll(d.parameters());
        }
        return out;
    }

    /**
     * @param name a reference mode name such as {@code GatedDeltaNet}
     * @return its definition
     * @throws IllegalArgumentException for an unknown name
     */
    public static ModeDefinition byReferenceName(String name) {
        for (ModeDefinition d : BY_MODE.values()) {
            if (d.referenceName().equals(name)) {
                return d;
            }
        }
        throw new UnrollException("unknown reference mode \"" + name + "\" (expected one of "
                + BY_MODE.values().stream().map(ModeDefinition::referenceName).toList() + ")");
    }
}
