package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code unroll bench}'s figures: a median with its spread, and a speedup only from figures that
 * settled, spread at most 25 % and came from a machine no busier than its cores; otherwise the
 * report says which figure cannot carry it and why.
 */
class QuickTimerTest {
    private static final QuickTimer.Rate STEADY_FAST = QuickTimer.of(new double[] {1000, 980, 1010, 990, 1005}, true);
    private static final QuickTimer.Rate STEADY_SLOW = QuickTimer.of(new double[] {100, 98, 101, 99, 102}, true);

    private static String report(QuickTimer.Rate generated, QuickTimer.Rate generic, String load) {
        StringWriter s = new StringWriter();
        QuickTimer.report(new PrintWriter(s, true), "tokens/s", generated, generic, load);
        return s.toString();
    }

    @Test
    void aFigureIsTheMedianWindowWithTheSlowestAndFastestAsItsSpread() {
        assertEquals(new QuickTimer.Rate(1000, 980, 1010, true), STEADY_FAST);
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
        QuickTimer.Rate unsettled = QuickTimer.of(new double[] {1000, 1000, 1000, 1000, 1000}, false);
        String r = report(unsettled, STEADY_SLOW, null);
        assertTrue(r.contains("speedup   not reported: the generated kernel's figure: its warm-up never settled"), r);
        assertTrue(!r.contains("x (windows"), r);
        QuickTimer.Rate wide = QuickTimer.of(new double[] {20, 100, 60, 90, 95}, true);
        r = report(STEADY_FAST, wide, null);
        assertTrue(r.contains("not reported: the generic engine's figure: its windows spread 89 % (more than 25 %)"), r);
        String load = QuickTimer.loadWarning(5.1, 2);
        assertEquals("load average 5.10 on 2 cores: other work shares these cores, so these figures are unreliable", load);
        r = report(STEADY_FAST, STEADY_SLOW, load);
        assertTrue(r.contains("not reported: load average 5.10 on 2 cores"), r);
    }

    @Test
    void aLoadAtOrBelowTheCoresOrUnknownGivesNoWarning() {
        assertNull(QuickTimer.loadWarning(2.0, 2));
        assertNull(QuickTimer.loadWarning(0.3, 16));
        assertNull(QuickTimer.loadWarning(Double.NaN, 2));
    }
}
