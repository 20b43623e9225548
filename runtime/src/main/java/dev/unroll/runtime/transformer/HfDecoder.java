package dev.unroll.runtime.transformer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code decoder} of a {@code tokenizer.json}: a chain of steps over the tokens' strings,
 * {@code ByteLevel}, {@code Replace}, {@code ByteFallback}, {@code Fuse}, {@code Strip},
 * {@code Metaspace} and a {@code Sequence} of them, then joined.
 */
interface HfDecoder {
    /** Hexadecimal digits. */
    String HEX = "0123456789ABCDEF";

    /**
     * @param tokens the tokens' strings
     * @return them decoded
     */
    List<String> chain(List<String> tokens);

    /**
     * @param n the declaration
     * @param added the contents of the added tokens, which {@code ByteLevel} passes through
     * @return the decoder, or null when the file declares none (tokens are then joined by spaces)
     */
    static HfDecoder of(HfNode n, Set<String> added) {
        if (n.isNull()) {
            return null;
        }
        switch (n.type()) {
            case "ByteLevel":
                return tokens -> {
                    List<String> out = new ArrayList<>();
                    StringBuilder run = new StringBuilder();
                    for (String t : tokens) {
                        if (added.contains(t)) {
                            if (run.length() > 0) {
                                out.add(HfByteLevel.decode(run.toString()));
                                run.setLength(0);
                            }
                            out.add(t);
                        } else {
                            run.append(t);
                        }
                    }
                    if (run.length() > 0) {
                        out.add(HfByteLevel.decode(run.toString()));
                    }
                    return out;
                };
            case "Replace": {
                Pattern p = HfPattern.of(n.at("pattern"));
                String content = Matcher.quoteReplacement(n.at("content").stringOr(""));
                return tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (String t : tokens) {
                        out.add(p.matcher(t).replaceAll(content));
                    }
                    return out;
                };
            }
            case "ByteFallback":
                return HfDecoder::byteFallback;
            case "Fuse":
                return tokens -> List.of(String.join("", tokens));
            case "Strip":
                return strip(n);
            case "Metaspace": {
                String replacement = n.at("replacement").stringOr("\u2581");
                return tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (int i = 0; i < tokens.size(); i++) {
                        String t = replacement.isEmpty() ? tokens.get(i) : tokens.get(i).replace(replacement, " ");
                        out.add(i == 0 && t.startsWith(" ") ? t.substring(1) : t);
                    }
                    return out;
                };
            }
            case "Sequence": {
                List<HfDecoder> steps = new ArrayList<>();
                for (HfNode child : n.at("decoders").list()) {
                    HfDecoder step = of(child, added);
                    if (step == null) {
                        throw child.error("is null, expected a decoder");
                    }
                    steps.add(step);
                }
                return tokens -> {
                    for (HfDecoder step : steps) {
                        tokens = step.chain(tokens);
                    }
                    return tokens;
                };
            }
            default:
                throw n.at("type").unsupported("decoders ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace and Sequence only");
        }
    }

    private static HfDecoder strip(HfNode n) {
        String content = n.at("content").stringOr("");
        if (content.length() != 1) {
            throw n.at("content").unsupported("one character");
        }
        char c = content.charAt(0);
        int start = n.at("start").integer(0, Integer.MAX_VALUE);
        int stop = n.at("stop").integer(0, Integer.MAX_VALUE);
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int from = 0;
                while (from < start && from < t.length() && t.charAt(from) == c) {
                    from++;
                }
                int to = t.length();
                while (t.length() - to < stop && to > from && t.charAt(to - 1) == c) {
                    to--;
                }
                out.add(t.substring(from, to));
            }
            return out;
        };
    }

    /**
     * Runs of {@code <0xNN>} tokens become the text their bytes spell in UTF-8, a byte-order mark
     * at the start of a run dropped (as the reference's {@code TextDecoder}).
     */
    private static List<String> byteFallback(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String t : tokens) {
            int b = byteToken(t);
            if (b >= 0) {
                bytes.write(b);
                continue;
            }
            if (bytes.size() > 0) {
                out.add(utf8(bytes));
                bytes.reset();
            }
            out.add(t);
        }
        if (bytes.size() > 0) {
            out.add(utf8(bytes));
        }
        return out;
    }

    private static String utf8(ByteArrayOutputStream bytes) {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** @return the byte of a {@code <0xNN>} token, or -1 */
    static int byteToken(String t) {
        if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') {
            return -1;
        }
        int hi = HEX.indexOf(Character.toUpperCase(t.charAt(3)));
        int lo = HEX.indexOf(Character.toUpperCase(t.charAt(4)));
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }
}
