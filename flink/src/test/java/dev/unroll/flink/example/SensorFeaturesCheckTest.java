package dev.unroll.flink.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Flavour;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployment check: lone runs match, a changed bit, a missing line or a conflicting repeat do not. */
class SensorFeaturesCheckTest {
    static final SensorFeaturesCheck.Printed WANT = SensorFeaturesCheck.expected(300, 7, Flavour.SIMD);

    /** What a run prints: the expected lines, with the print sink's subtask prefix. */
    static List<String> lines() {
        List<String> l = new ArrayList<>();
        WANT.outputs().forEach((k, byToken) -> byToken.forEach((t, hex) -> l.add("2> out " + k + " " + t + " " + hex)));
        WANT.states().forEach((k, s) -> l.add("1> state " + k + " " + s));
        l.add("WARNING: Using incubator modules: jdk.incubator.vector");
        return l;
    }

    @Test
    void theLoneRunsPassAndRepeatedIdenticalLinesAreCounted() {
        List<String> l = lines();
        l.addAll(l.subList(0, 5)); // a restore printed these again
        SensorFeaturesCheck.Printed got = SensorFeaturesCheck.parse(l);
        assertEquals(5, got.duplicates());
        assertEquals(List.of(), SensorFeaturesCheck.check(got, WANT));
    }

    @Test
    void aChangedBitAMissingLineOrAConflictingRepeatFail() {
        List<String> l = lines();
        String first = l.get(0);
        char last = first.charAt(first.length() - 1);
        l.set(0, first.substring(0, first.length() - 1) + (last == '0' ? '1' : '0'));
        List<String> p = SensorFeaturesCheck.check(SensorFeaturesCheck.parse(l), WANT);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).endsWith("output differs from the sensor's readings run alone"), p.get(0));

        l = lines();
        l.remove(3);
        p = SensorFeaturesCheck.check(SensorFeaturesCheck.parse(l), WANT);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).endsWith(": no output"), p.get(0));

        l = lines();
        String changed = l.get(0).substring(0, l.get(0).length() - 1) + (last == '0' ? '1' : '0');
        l.add(changed);
        p = SensorFeaturesCheck.check(SensorFeaturesCheck.parse(l), WANT);
        assertTrue(p.get(0).endsWith("printed twice, differently"), p.toString());
    }
}
