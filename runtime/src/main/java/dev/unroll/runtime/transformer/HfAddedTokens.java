package dev.unroll.runtime.transformer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits text around added tokens: at each position the longest added token that starts there is
 * cut out, leftmost first (as the reference's trie).
 */
final class HfAddedTokens {
    /** An added token of the file. */
    record Token(int id, String content, boolean special, boolean lstrip, boolean rstrip, boolean normalized) {}

    /** Contents by first character, longest first. */
    private final Map<Character, List<String>> byFirst = new HashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();

    /** Adds {@code match} as a content this splitter cuts out, standing for {@code token}. */
    void add(String match, Token token) {
        if (match.isEmpty()) {
            return;
        }
        if (tokens.putIfAbsent(match, token) == null) {
            List<String> l = byFirst.computeIfAbsent(match.charAt(0), k -> new ArrayList<>());
            l.add(match);
            l.sort(Comparator.comparingInt(String::length).reversed());
        }
    }

    /** @return the token a piece stands for, or null */
    Token token(String piece) {
        return tokens.get(piece);
    }

    /** @return the text in pieces: added tokens alone, the text between them as it is */
    List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (tokens.isEmpty()) {
            out.add(text);
            return out;
        }
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            String match = null;
            List<String> candidates = byFirst.get(text.charAt(i));
            if (candidates != null) {
                for (String c : candidates) {
                    if (text.startsWith(c, i)) {
                        match = c;
                        break;
                    }
                }
            }
            if (match == null) {
                i++;
                continue;
            }
            if (i > start) {
                out.add(text.substring(start, i));
            }
            out.add(match);
            i += match.length();
            start = i;
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Applies {@code lstrip}/{@code rstrip} of the added tokens among the pieces to their neighbours. */
    void strip(List<String> pieces, Map<String, Token> known) {
        for (int i = 0; i < pieces.size(); i++) {
            Token t = known.get(pieces.get(i));
            if (t == null) {
                continue;
            }
            if (t.lstrip() && i > 0) {
                pieces.set(i - 1, HfPattern.trimEnd(pieces.get(i - 1)));
            }
            if (t.rstrip() && i < pieces.size() - 1) {
                pieces.set(i + 1, HfPattern.trimStart(pieces.get(i + 1)));
            }
        }
    }
}
