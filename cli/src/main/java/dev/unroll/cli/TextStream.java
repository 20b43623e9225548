package dev.unroll.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Prints generated text as it comes, token by token, flushing after each: bytes are held back while
 * they end in an incomplete UTF-8 character (a character split over byte-fallback tokens), so that the
 * stream prints exactly the text that decoding the whole sequence at the end would.
 */
final class TextStream {
    private final PrintWriter out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    TextStream(PrintWriter out) {
        this.out = out;
    }

    /** @param bytes the next token's bytes */
    void write(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] b = pending.toByteArray();
        int complete = completePrefix(b);
        if (complete > 0) {
            out.print(new String(b, 0, complete, StandardCharsets.UTF_8));
            out.flush();
            pending.reset();
            pending.write(b, complete, b.length - complete);
        }
    }

    /** Prints what is held back (decoded as the whole text would be) and ends the line. */
    void end() {
        out.println(pending.toString(StandardCharsets.UTF_8));
        out.flush();
        pending.reset();
    }

    /** @return the length of the longest prefix that does not end inside a UTF-8 character */
    static int completePrefix(byte[] b) {
        int n = b.length;
        // a character is at most 4 bytes: look back at most 3 for the lead byte of the last one
        for (int back = 1; back <= Math.min(4, n); back++) {
            int c = b[n - back] & 0xff;
            if ((c & 0xC0) == 0x80) {
                continue; // a continuation byte: the lead is further back
            }
            int need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
            return back >= need ? n : n - back;
        }
        return n; // only continuation bytes: malformed, print it as the whole decode would
    }
}
