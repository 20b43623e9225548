package dev.unroll.runtime.attention;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.attention.definition.Findings;
import dev.unroll.runtime.attention.definition.HeadTensors;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The validation rules of {@code @LinearAttention}, shared by the annotation processor (which
 * anchors each finding on the annotation member) and by run-time builders (which throw). The
 * shape rules are here; each mode's own rules are in its {@link ModeDefinition}. Rules run in a fixed
 * order and all findings are reported. See {@code docs/linear-attention.md}.
 */
public final class AttentionRules {
    private AttentionRules() {}

    /**
     * @param b raw member values
     * @param explicit members the user set explicitly
     * @return findings in rule order
     */
    static List<Violation> check(AttentionSpec.Builder b, Set<String> explicit) {
        Findings out = new Findings();
        out.positive("width", b.width);
        out.positive("heads", b.heads);
        if (explicit.contains("keyWidth") || b.keyWidth != 0) {
            out.positive("keyWidth", b.keyWidth);
        }
        if (explicit.contains("valueWidth") || b.valueWidth != 0) {
            out.positive("valueWidth", b.valueWidth);
        }
        boolean derived = b.keyWidth == 0 || b.valueWidth == 0;
        if (derived && b.width >= 1 && b.heads >= 1 && b.width % b.heads != 0) {
            String which = b.keyWidth == 0 && b.valueWidth == 0 ? "keyWidth and valueWidth default"
                    : b.keyWidth == 0 ? "keyWidth defaults" : "valueWidth defaults";
            out.add(Diagnostic.HEADS_NOT_DIVISOR, "heads", "width", b.width, "heads", b.heads, " (" + which + " to width / heads)");
        }
        if (b.seed == 0) {
            out.add(Diagnostic.SEED_ZERO, "seed");
        }
        List<Violation> limits = new ArrayList<>();
        Limits.atMost(limits, "width", "width", b.width, Limits.MAX_WIDTH, WIDTH_WHY);
        Limits.atMost(limits, "heads", "heads", b.heads, Limits.MAX_HEADS, "one kernel method per head step, and a state per head");
        Limits.atMost(limits, "keyWidth", "keyWidth", b.keyWidth, Limits.MAX_WIDTH, WIDTH_WHY);
        Limits.atMost(limits, "valueWidth", "valueWidth", b.valueWidth, Limits.MAX_WIDTH, WIDTH_WHY);
        limits.forEach(out::add);
        ModeDefinition mode = Modes.of(b.mode);
        ParameterValues values = b.modeValues();
        List<Violation> ranges = new ArrayList<>();
        for (Parameter<?> p : mode.parameters()) {
            p.check(values.get(p), ranges);
        }
        ranges.forEach(out::add);
        mode.check(values, out);
        unusedParameters(out, mode, values, explicit);
        if (out.list().stream().noneMatch(Violation::isError)) {
            derivedSizes(out, b.buildUnchecked());
        }
        return out.list();
    }

    private static final String WIDTH_WHY = "a Unroll kernel's widths stay within 65,536";
    private static final String ARRAY_WHY = "one Java array holds it";

    /** The sizes the kernels allocate as single arrays, computed exactly: each must fit one array. */
    private static void derivedSizes(Findings out, AttentionSpec spec) {
        List<Violation> found = new ArrayList<>();
        long perHead = Modes.of(spec.mode()).stateSizePerHead(spec);
        Limits.atMost(found, "heads", "the state (heads x " + perHead + " values per head)", (long) spec.heads() * perHead, Limits.MAX_ARRAY, ARRAY_WHY);
        long headRows = 0;
        ModeDefinition d = Modes.of(spec.mode());
        headRows += d.usesKey() ? spec.keyWidth() : 0;
        headRows += d.usesValue() ? spec.valueWidth() : 0;
        headRows += d.usesQuery() ? spec.keyWidth() : 0;
        for (HeadTensors.Entry e : HeadTensors.declared(spec)) {
            headRows += e.projection() ? e.rows() : 0;
        }
        Limits.atMost(found, "width", "the fused input projection (heads x " + headRows + " rows x width)",
                (long) spec.heads() * headRows * spec.width(), Limits.MAX_ARRAY, ARRAY_WHY);
        Limits.atMost(found, "width", "the output projection (width x heads x valueWidth)",
                (long) spec.width() * spec.heads() * spec.valueWidth(), Limits.MAX_ARRAY, ARRAY_WHY);
        found.forEach(out::add);
    }

    /** A parameter set explicitly must matter: another mode's parameter, or one the mode ignores for these values. */
    private static void unusedParameters(Findings out, ModeDefinition mode, ParameterValues values, Set<String> explicit) {
        for (var p : Modes.allParameters()) {
            if (!explicit.contains(p.name())) {
                continue;
            }
            ModeDefinition owner = Modes.ownerOf(p.name());
            Object value = values.get(p);
            if (owner == mode) {
                mode.ownParameter(p.name(), value, values, out);
            } else {
                mode.foreignParameter(p.name(), owner.mode(), value, values, out);
            }
        }
    }
}
