package dev.unroll.cli;

import dev.unroll.runtime.transformer.HfTokenizer;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Prints a generation's text as it comes, through a tokenizer.json's decoder. A new token's text is
 * what decoding a short window ending with it adds to the same window without it: a step decodes a
 * few tokens, not the whole sequence again (which made streaming quadratic in the text's length).
 * Text is held back while it ends inside a character (a byte-level or byte-fallback character split
 * over tokens); where a decoder looks back further than the window, the whole sequence is decoded.
 */
final class HfTextStream {
    /** Tokens of context before the first new one: enough for any decoder the runtime reads to see a word's start. */
    static final int CONTEXT = 8;

    private final HfTokenizer tok;
    private final PrintWriter out;
    private int[] ids = new int[64];
    private int count;
    /** Tokens whose text is printed. */
    private int committed;
    private final StringBuilder printed = new StringBuilder();

    HfTextStream(HfTokenizer tok, PrintWriter out) {
        this.tok = tok;
        this.out = out;
    }

    /**
     * @param id the next token (the prompt's, then each generated one); its text prints once it ends
     *     on a whole character
     */
    void add(int id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, 2 * count);
        }
        ids[count++] = id;
        int from = Math.max(0, committed - CONTEXT);
        String text = decode(from, count);
        if (text.endsWith("\ufffd")) {
            return;
        }
        String base = decode(from, committed);
        String fresh;
        if (text.startsWith(base)) {
            fresh = text.substring(base.length());
        } else {
            String all = decode(0, count);
            if (!startsWithPrinted(all)) {
                return;
            }
            fresh = all.substring(printed.length());
        }
        out.print(fresh);
        out.flush();
        printed.append(fresh);
        committed = count;
    }

    /**
     * Ends the text: prints what decoding the whole sequence gives beyond what was printed (or, where
     * that differs from what was printed, a new line and the whole text), and a line break.
     *
     * @param all every token of the generation
     */
    void end(int[] all) {
        String text = tok.decode(all, true);
        out.println(startsWithPrinted(text) ? text.substring(printed.length()) : System.lineSeparator() + text);
        out.flush();
    }

    private boolean startsWithPrinted(String text) {
        return text.length() >= printed.length() && text.regionMatches(0, printed.toString(), 0, printed.length());
    }

    private String decode(int from, int to) {
        return from == to ? "" : tok.decode(Arrays.copyOfRange(ids, from, to), true);
    }
}
