package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TextStream} and {@link Progress}: what {@code run} prints while it works. */
class StreamingOutputTest {
    /** Every split of a text's bytes into pieces prints the whole text, and never half a character. */
    @Test
    void aCharacterSplitOverTokensIsHeldBackUntilWhole() {
        String text = "a\u00e9b \u6f22\u5b57 \ud83d\ude00!";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < b.length; cut++) {
            StringWriter sw = new StringWriter();
            List<String> seen = new ArrayList<>();
            TextStream t = new TextStream(new PrintWriter(sw));
            for (int i = 0; i < b.length; i += cut) {
                byte[] piece = java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + cut));
                t.write(piece);
                seen.add(sw.toString());
            }
            t.end();
            assertEquals(text + System.lineSeparator(), sw.toString(), "pieces of " + cut);
            for (String s : seen) {
                assertTrue(!s.contains("\ufffd"), "a replacement character was printed: " + s);
            }
        }
    }

    @Test
    void completePrefixStopsBeforeAnUnfinishedCharacter() {
        assertEquals(0, TextStream.completePrefix(new byte[] {(byte) 0xE6, (byte) 0xBC}));
        assertEquals(1, TextStream.completePrefix(new byte[] {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98}));
        assertEquals(5, TextStream.completePrefix(new byte[] {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}));
        assertEquals(2, TextStream.completePrefix(new byte[] {'a', 'b'}));
    }

    @Test
    void theBarCountsStepsAndIsErasedAndNothingIsDrawnWithoutAConsole() {
        StringWriter sw = new StringWriter();
        Progress p = new Progress(new PrintWriter(sw), "ACT", 16, true);
        assertEquals("ACT [#########...............] 6/16, 4.2 s", p.line(6, 4.2));
        assertEquals("ACT [########################] 16/16, 1.0 s", p.line(16, 1.0));
        p.update(16);
        assertTrue(sw.toString().startsWith("\rACT [########################] 16/16"), sw.toString());
        p.close();
        assertTrue(sw.toString().endsWith("\r"), "erased");
        StringWriter quiet = new StringWriter();
        try (Progress q = new Progress(new PrintWriter(quiet), "ACT", 16, false)) {
            q.update(3);
            q.update(16);
        }
        assertEquals("", quiet.toString());
    }
}
