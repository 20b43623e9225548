package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Wrap}: long output lines folded at spaces within 100 columns, nothing lost. */
class WrapTest {
    @Test
    void foldsAtSpacesWithinTheWidthAndKeepsEveryWord() {
        String text = ("@LinearAttention(mode = LOG_LINEAR, width = 64, heads = 4, keyWidth = 16, valueWidth = 16, seed = 42, "
                + "precision = F32, inner = GLA, maxLevels = 32, lambdaInit = 0.03125, weights = Q8)").repeat(2);
        String folded = Wrap.lines("descriptor: ", text, "            ");
        for (String line : folded.split("\n")) {
            assertTrue(line.length() <= Wrap.WIDTH, line);
        }
        assertTrue(folded.startsWith("descriptor: @LinearAttention(mode"), folded);
        assertEquals(text, folded.substring("descriptor: ".length()).replace("\n            ", " "));
    }

    @Test
    void aWordLongerThanALineStaysWholeOnItsOwnLine() {
        String path = "/x".repeat(80);
        assertEquals("model:  " + path + "\n  F32", Wrap.lines("model:  ", path + " F32", "  "));
        assertEquals("short", Wrap.lines("", "short", "  "));
    }
}
