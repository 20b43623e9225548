package dev.unroll.runtime.spec;

import dev.unroll.runtime.internal.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The values a descriptor parameter accepts, checked the same way wherever a descriptor comes from
 * (an annotation, a builder, JSON): each violation is a catalogue finding on the parameter's member.
 */
public sealed interface Range {
    /**
     * @param member the parameter's member name
     * @param value its value (of the parameter's type)
     * @param out where findings go
     */
    void check(String member, Object value, List<Violation> out);

    /** @return the range as the docs write it, e.g. {@code >= 1} */
    String describe();

    /** @return any value of the type */
    static Range any() {
        return new Any();
    }

    /** @return an integer of at least 1 ({@code [Unroll/NonPositive]}) */
    static Range positive() {
        return new Positive();
    }

    /**
     * @param why why, appended to the message (": ..."), or empty
     * @return a finite real above 0 ({@code [Unroll/NotFinite]}, {@code [Unroll/OutOfRange]})
     */
    static Range positiveReal(String why) {
        return new Interval(0, false, Double.POSITIVE_INFINITY, false, why);
    }

    /**
     * @param lo lower bound, excluded
     * @param hi upper bound, excluded (infinity for none)
     * @param why why, appended to the message (": ..."), or empty
     * @return a finite real in {@code (lo, hi)}
     */
    static Range open(double lo, double hi, String why) {
        return new Interval(lo, false, hi, false, why);
    }

    /**
     * @param lo lower bound
     * @param loClosed whether it is included
     * @param hi upper bound (infinity for none)
     * @param hiClosed whether it is included
     * @param why why, appended to the message (": ..."), or empty
     * @return a finite real in the interval
     */
    static Range interval(double lo, boolean loClosed, double hi, boolean hiClosed, String why) {
        return new Interval(lo, loClosed, hi, hiClosed, why);
    }

    /**
     * @param why why, appended to the message (": ..."), or empty
     * @param values the accepted integers
     * @return one of them ({@code [Unroll/OutOfRange]})
     */
    static Range oneOf(String why, long... values) {
        return new OneOf(Checks.notNull("Range.oneOf: values", values).clone(), why);
    }

    /** @return a seed of the xorshift64 generator: anything but 0 ({@code [Unroll/SeedZero]}) */
    static Range seed() {
        return new Seed();
    }

    /**
     * @param member the member, for messages
     * @param value what {@link #check} was given
     * @param out where findings go
     * @return the value as a number
     * @throws dev.unroll.runtime.UnrollException when it is not one, or out is null
     */
    private static Number number(String member, Object value, List<Violation> out) {
        Checks.notNull("Range.check: the findings list", out);
        if (!(value instanceof Number n)) {
            throw new dev.unroll.runtime.UnrollException(member + " must be a number, got " + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
        }
        return n;
    }

    /** Any value. */
    record Any() implements Range {
        @Override
        public void check(String member, Object value, List<Violation> out) {}

        @Override
        public String describe() {
            return "any";
        }
    }

    /** At least 1. */
    record Positive() implements Range {
        @Override
        public void check(String member, Object value, List<Violation> out) {
            if (number(member, value, out).longValue() < 1) {
                out.add(new Violation(Diagnostic.NON_POSITIVE, member, Diagnostic.NON_POSITIVE.format(member, value)));
            }
        }

        @Override
        public String describe() {
            return ">= 1";
        }
    }

    /**
     * A finite real in an interval.
     *
     * @param lo lower bound
     * @param loClosed whether it is included
     * @param hi upper bound
     * @param hiClosed whether it is included
     * @param why appended to the message, or empty
     */
    record Interval(double lo, boolean loClosed, double hi, boolean hiClosed, String why) implements Range {
        @Override
        public void check(String member, Object value, List<Violation> out) {
            double v = number(member, value, out).doubleValue();
            if (!Double.isFinite(v)) {
                out.add(new Violation(Diagnostic.NOT_FINITE, member, Diagnostic.NOT_FINITE.format(member, value)));
            } else if (!((loClosed ? v >= lo : v > lo) && (hiClosed ? v <= hi : v < hi))) {
                out.add(new Violation(Diagnostic.OUT_OF_RANGE, member, Diagnostic.OUT_OF_RANGE.format(member, value, describe(), why)));
            }
        }

        @Override
        public String describe() {
            return (loClosed ? "[" : "(") + bound(lo) + ", " + bound(hi) + (hiClosed ? "]" : ")");
        }

        private static String bound(double b) {
            return b == Double.POSITIVE_INFINITY ? "inf" : b == Math.rint(b) ? String.valueOf((long) b) : String.valueOf(b);
        }
    }

    /**
     * One of a few integers.
     *
     * @param values the accepted values
     * @param why appended to the message, or empty
     */
    record OneOf(long[] values, String why) implements Range {
        @Override
        public void check(String member, Object value, List<Violation> out) {
            long v = number(member, value, out).longValue();
            if (Arrays.stream(values).noneMatch(x -> x == v)) {
                out.add(new Violation(Diagnostic.OUT_OF_RANGE, member, Diagnostic.OUT_OF_RANGE.format(member, value, describe(), why)));
            }
        }

        @Override
        public String describe() {
            return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(", ", "{", "}"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OneOf other && Arrays.equals(values, other.values) && why.equals(other.why);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + why.hashCode();
        }

        @Override
        public String toString() {
            return "OneOf" + describe();
        }
    }

    /** Not 0. */
    record Seed() implements Range {
        @Override
        public void check(String member, Object value, List<Violation> out) {
            if (number(member, value, out).longValue() == 0) {
                out.add(new Violation(Diagnostic.SEED_ZERO, member, Diagnostic.SEED_ZERO.format()));
            }
        }

        @Override
        public String describe() {
            return "!= 0";
        }
    }
}
