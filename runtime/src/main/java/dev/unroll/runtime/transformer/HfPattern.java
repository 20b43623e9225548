package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code pattern} of a {@code tokenizer.json} ({@code {"String": ...}} or {@code {"Regex": ...}})
 * as a Java pattern. Regexes are written for Oniguruma and JavaScript, whose {@code \s} is Unicode
 * white space: it is spelt out here, as the reference (JavaScript) reads it; {@code \p{L}},
 * {@code \p{N}}, {@code (?i:...)} and look-ahead mean the same in Java.
 */
final class HfPattern {
    /** JavaScript's {@code \s}: WhiteSpace and LineTerminator. */
    static final String SPACE_CLASS = "\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";

    /** The longest pattern accepted. */
    static final int MAX_LENGTH = 4096;

    private HfPattern() {}

    /** @return the pattern the node declares */
    static Pattern of(HfNode node) {
        HfNode s = node.at("String");
        HfNode r = node.at("Regex");
        if (s.isNull() == r.isNull()) {
            throw node.error("must hold exactly one of \"String\" and \"Regex\"");
        }
        if (!s.isNull()) {
            String literal = s.string();
            if (literal.isEmpty()) {
                throw s.error("is empty: an empty pattern matches everywhere");
            }
            return Pattern.compile(Pattern.quote(literal));
        }
        String regex = r.string();
        if (regex.length() > MAX_LENGTH) {
            throw r.error("is " + regex.length() + " characters long, more than " + MAX_LENGTH);
        }
        try {
            return Pattern.compile(translate(regex, r), Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw r.error("does not compile as a Java regex: " + e.getDescription() + " at index " + e.getIndex());
        }
    }

    /** Spells out {@code \s} and {@code \S}, outside and inside character classes. */
    static String translate(String regex, HfNode at) {
        StringBuilder out = new StringBuilder(regex.length() + 64);
        int classDepth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char n = regex.charAt(++i);
                if (n == 's') {
                    out.append(classDepth > 0 ? SPACE_CLASS : "[" + SPACE_CLASS + "]");
                } else if (n == 'S') {
                    if (classDepth > 0) {
                        throw at.unsupported("\\S inside a character class");
                    }
                    out.append("[^" + SPACE_CLASS + "]");
                } else {
                    out.append(c).append(n);
                }
                continue;
            }
            if (c == '[') {
                classDepth++;
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * The pieces between and including the matches (empty ones left out), as the reference's
     * {@code Isolated} split; a pattern recursing too deep on a long text is a clean failure.
     */
    static List<String> split(Pattern p, String text, boolean keepMatches, boolean keepGaps) {
        List<String> out = new ArrayList<>();
        try {
            Matcher m = p.matcher(text);
            int prev = 0;
            while (m.find()) {
                if (keepGaps && prev < m.start()) {
                    out.add(text.substring(prev, m.start()));
                }
                if (keepMatches && m.end() > m.start()) {
                    out.add(m.group());
                }
                prev = m.end();
                if (m.end() == m.start() && m.end() >= text.length()) {
                    break;
                }
            }
            if (keepGaps && prev < text.length()) {
                out.add(text.substring(prev));
            }
        } catch (StackOverflowError e) {
            throw new UnrollException("the pattern /" + p.pattern() + "/ recursed too deep on a text of " + text.length() + " characters");
        }
        return out;
    }

    /** @return whether the character is white space for JavaScript's {@code trim} */
    static boolean jsSpace(char c) {
        return c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == ' ' || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
    }

    static String trimEnd(String s) {
        int e = s.length();
        while (e > 0 && jsSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(0, e);
    }

    static String trimStart(String s) {
        int b = 0;
        while (b < s.length() && jsSpace(s.charAt(b))) {
            b++;
        }
        return s.substring(b);
    }
}
