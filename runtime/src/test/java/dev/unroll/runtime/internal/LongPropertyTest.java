package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.runtime.UnrollException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Settings typed as {@code -D} options ({@code unroll.threads}, {@code unroll.streamsPerThread},
 * {@code unroll.decodeParts}, ...) are read through {@link Checks#longProperty}: unset gives the
 * default, a whole number in range its value, anything else an error naming the option and its
 * range, never the default in silence.
 */
class LongPropertyTest {
    private static final String KEY = "unroll.test.longProperty";

    @AfterEach
    void clear() {
        System.clearProperty(KEY);
    }

    private static long read() {
        return Checks.longProperty(KEY, 16, 1, 64, "a test setting");
    }

    @Test
    void unsetGivesTheDefaultAndAValueInRangeItself() {
        assertEquals(16, read());
        System.setProperty(KEY, " 7 ");
        assertEquals(7, read());
        System.setProperty(KEY, "64");
        assertEquals(64, read());
    }

    @Test
    void anythingElseIsAnErrorNamingTheOptionAndItsRange() {
        for (String bad : new String[] {"", "abc", "0", "65", "-3", "1.5", "99999999999999999999"}) {
            System.setProperty(KEY, bad);
            UnrollException e = assertThrows(UnrollException.class, LongPropertyTest::read, bad);
            assertEquals("-D" + KEY + "=" + bad + ": a test setting must be a whole number in [1, 64]", e.getMessage());
        }
    }
}
