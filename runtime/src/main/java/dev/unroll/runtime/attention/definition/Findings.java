package dev.unroll.runtime.attention.definition;

import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoublePredicate;

/** The findings of a descriptor's checks, in rule order, with the common range rules. */
public final class Findings {
    private final List<Violation> out = new ArrayList<>();

    /**
     * @param v a finding
     * @return this
     */
    public Findings add(Violation v) {
        out.add(v);
        return this;
    }

    /**
     * @param d a catalogue entry
     * @param member the member at fault
     * @param args the message's arguments
     * @return this
     */
    public Findings add(Diagnostic d, String member, Object... args) {
        return add(new Violation(d, member, d.format(args)));
    }

    /**
     * {@code value >= 1}.
     *
     * @param member the member
     * @param value its value
     */
    public void positive(String member, long value) {
        if (value < 1) {
            add(Diagnostic.NON_POSITIVE, member, member, value);
        }
    }

    /**
     * A finite value in the open interval {@code (lo, hi)}.
     *
     * @param member the member
     * @param v its value
     * @param lo lower bound (excluded)
     * @param hi upper bound (excluded)
     * @param why the consequence of a value outside, for the message
     */
    public void open(String member, double v, double lo, double hi, String why) {
        range(member, v, x -> x > lo && x < hi, "(" + format(lo) + ", " + format(hi) + ")", why);
    }

    /**
     * A finite value accepted by {@code ok}.
     *
     * @param member the member
     * @param v its value
     * @param ok the accepted values
     * @param range the accepted values in interval notation
     * @param why the consequence of a value outside, for the message
     */
    public void range(String member, double v, DoublePredicate ok, String range, String why) {
        if (!Double.isFinite(v)) {
            add(Diagnostic.NOT_FINITE, member, member, v);
        } else if (!ok.test(v)) {
            add(Diagnostic.OUT_OF_RANGE, member, member, v, range, why);
        }
    }

    /** @return the findings so far */
    public List<Violation> list() {
        return Collections.unmodifiableList(out);
    }

    private static String format(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
