package dev.unroll.runtime.transformer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits text around added tokens with a trie of their contents: at each position the longest
 * added token that starts there is cut out, leftmost first (as the reference does).
 */
final class HfAddedTokens {
    /** An added token of the file. */
    record Token(int id, String content, boolean special, boolean lstrip, boolean rstrip, boolean normalized) {}

    /** A node of the trie of contents: the next characters, and the content ending here. */
    private static final class Node {
        final Map<Character, Node> next = new HashMap<>(4);
        String end;
    }

    private final Node root = new Node();
    private final Map<String, Token> tokens = new HashMap<>();

    /** Adds {@code match} as a content this splitter cuts out, standing for {@code token}. */
    void add(String match, Token token) {
        if (match.isEmpty() || tokens.putIfAbsent(match, token) != null) {
            return;
        }
        Node n = root;
        for (int i = 0; i < match.length(); i++) {
            n = n.next.computeIfAbsent(match.charAt(i), k -> new Node());
        }
        n.end = match;
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
            Node n = root;
            for (int j = i; j < text.length(); j++) {
                n = n.next.get(text.charAt(j));
                if (n == null) {
                    break;
                }
                if (n.end != null) {
                    match = n.end;
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
