package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code unroll bench}'s figures: a median with its spread, and a speedup only from figures that
 * settled, spread at most 25 % and whose thread had its core (or, where that is not measured, came
 * from a machine no busier than its cores); otherwise the report says which figure cannot carry it and why.
 */
class QuickTimerTest {
    private static final QuickTimer.Rate STEADY_FAST = QuickTimer.of(new double[] {1000, 980, 1010, 990, 1005}, true, 0.99);
    private static final QuickTimer.Rate STEADY_SLOW = QuickTimer.of(new double[] {100, 98, 101, 99, 102}, true, 0.98);

    private static String report(QuickTimer.Rate generated, QuickTimer.Rate generic, String load) {
        StringWriter s = new StringWriter();
        QuickTimer.report(new PrintWriter(s, true), "tokens/s", generated, generic, load);
        return s.toString();
    }

    @Test
    void aFigureIsTheMedianWindowWithTheSlowestAndFastestAsItsSpread() {
        assertEquals(new QuickTimer.Rate(1000, 980, 1010, true, 0.99), STEADY_FAST);
        assertEquals(0.03, STEADY_FAST.spread(), 1e-12);
        assertNull(STEADY_FAST.doubt());
    }

    @Test
    void steadyFiguresOnAQuietMachineGiveASpeedupWithItsRange() {
        String r = report(STEADY_FAST, STEADY_SLOW, null);
        assertTrue(r.contains("speedup             10.0x (windows: 9.6x to 10.3x)"), r);
        assertTrue(r.contains("generated          1,000 tokens/s (windows 980 to 1,010)"), r);
    }

    @Test
    void aFigureThatNeverSettledOrSpreadsWideOrALoadedMachineWithholdsTheSpeedup() {
        QuickTimer.Rate unsettled = QuickTimer.of(new double[] {1000, 1000, 1000, 1000, 1000}, false, 0.99);
        String r = report(unsettled, STEADY_SLOW, null);
        assertTrue(r.contains("speedup   not reported: the generated kernel's figure: its warm-up never settled"), r);
        assertTrue(!r.contains("x (windows"), r);
        QuickTimer.Rate wide = QuickTimer.of(new double[] {20, 100, 60, 90, 95}, true, 0.99);
        r = report(STEADY_FAST, wide, null);
        assertTrue(r.contains("not reported: the generic engine's figure: its windows spread 89 % (more than 25 %)"), r);
        QuickTimer.Rate shared = QuickTimer.of(new double[] {1000, 980, 1010, 990, 1005}, true, 0.6);
        r = report(shared, STEADY_SLOW, null);
        assertTrue(r.contains("not reported: the generated kernel's figure: its thread ran only 60 % of a window's time (other work took the core)"), r);
        String load = QuickTimer.loadWarning(5.1, 2);
        assertEquals("load average 5.10 on 2 cores: other work shares these cores, so these figures are unreliable", load);
        // a load average that cannot be checked against the thread's own share of its core withholds the ratio
        QuickTimer.Rate unmeasured = QuickTimer.of(new double[] {1000, 980, 1010, 990, 1005}, true, Double.NaN);
        r = report(unmeasured, STEADY_SLOW, load);
        assertTrue(r.contains("not reported: load average 5.10 on 2 cores"), r);
    }

    /** The load average still counts work that ended a minute ago: a thread that had its core all along is trusted. */
    @Test
    void aThreadThatHadItsCoreIsTrustedWhateverTheLoadAverage() {
        String r = report(STEADY_FAST, STEADY_SLOW, QuickTimer.loadWarning(5.1, 2));
        assertTrue(r.contains("speedup             10.0x"), r);
    }

    @Test
    void aLoadAtOrBelowTheCoresOrUnknownGivesNoWarning() {
        assertNull(QuickTimer.loadWarning(2.0, 2));
        assertNull(QuickTimer.loadWarning(0.3, 16));
        assertNull(QuickTimer.loadWarning(Double.NaN, 2));
    }
}
