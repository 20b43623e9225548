package dev.unroll.runtime.transformer;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * llama2.c's BPE tokenizer ({@code tokenizer.bin}: int32 max_token_length, then per token a float32
 * score, an int32 length and the raw bytes). Encoding follows run.c: optional BOS (1), a dummy-prefix
 * space when the text is not empty, UTF-8 code points looked up whole (bytes 3 + b as fallback), then
 * greedy merges of the adjacent pair whose merge has the highest score. Decoding strips the leading
 * space after BOS and turns {@code <0xNN>} pieces into raw bytes.
 */
public final class Tokenizer {
    /** Beginning of sequence. */
    public static final int BOS = 1;
    /** End of sequence. */
    public static final int EOS = 2;

    private final byte[][] pieces;
    private final float[] scores;
    private final Map<String, Integer> ids = new HashMap<>();

    private Tokenizer(byte[][] pieces, float[] scores) {
        this.pieces = pieces;
        this.scores = scores;
        for (int i = 0; i < pieces.length; i++) {
            ids.putIfAbsent(key(pieces[i]), i);
        }
    }

    /**
     * @param path a llama2.c tokenizer file
     * @param vocab the model's vocabulary size (the file does not record it)
     * @return the tokenizer
     */
    public static Tokenizer load(Path path, int vocab) {
        dev.unroll.runtime.internal.Checks.notNull("Tokenizer.load: path", path);
        if (vocab < 1 || vocab > Limits.MAX_VOCAB) {
            throw new UnrollException(path + ": a vocabulary of " + vocab + " tokens (1 to " + Limits.MAX_VOCAB + ")");
        }
        if (!Files.isRegularFile(path)) {
            throw new UnrollException(path + ": not a regular file (a llama2.c tokenizer is a .bin file)");
        }
        byte[] all;
        try {
            long size = Files.size(path);
            long most = 4 + (long) vocab * (8 + MAX_TOKEN_LENGTH);
            if (size > most) {
                throw new UnrollException(path + ": " + size + " bytes, more than " + vocab + " tokens of at most " + MAX_TOKEN_LENGTH
                        + " bytes can take (" + most + ")");
            }
            all = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UnrollException(path + ": cannot read: " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        byte[][] pieces = new byte[vocab][];
        float[] scores = new float[vocab];
        try {
            int maxLength = b.getInt();
            if (maxLength < 1 || maxLength > MAX_TOKEN_LENGTH) {
                throw new UnrollException(path + ": max_token_length is " + maxLength + ", expected 1 to " + MAX_TOKEN_LENGTH);
            }
            for (int i = 0; i < vocab; i++) {
                scores[i] = b.getFloat();
                if (!Float.isFinite(scores[i])) {
                    throw new UnrollException(path + ": token " + i + " has score " + scores[i] + " (scores must be finite)");
                }
                int len = b.getInt();
                if (len < 0 || len > maxLength) {
                    throw new UnrollException(path + ": token " + i + " has length " + len + ", outside [0, max_token_length " + maxLength + "]");
                }
                if (len > b.remaining()) {
                    throw new UnrollException(path + ": token " + i + " has length " + len + ", beyond the end of the file");
                }
                pieces[i] = new byte[len];
                b.get(pieces[i]);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new UnrollException(path + ": truncated: the file ends before token " + vocab + " of the vocabulary", e);
        }
        if (b.hasRemaining()) {
            throw new UnrollException(path + ": " + b.remaining() + " bytes after token " + (vocab - 1)
                    + ": the file holds a larger vocabulary than the model's " + vocab + ", or is not a tokenizer");
        }
        return new Tokenizer(pieces, scores);
    }

    /** Longest token a tokenizer file may declare (llama2.c's are a few dozen bytes). */
    public static final int MAX_TOKEN_LENGTH = 1024;

    /**
     * A tokenizer of the same kind from its pieces and scores held elsewhere (a GGUF file's SentencePiece
     * vocabulary, {@code GgufModel.tokenizer}): piece i is token i's bytes, spaces as spaces.
     *
     * @param source where they come from, for messages
     * @param pieces each token's bytes, at most {@link #MAX_TOKEN_LENGTH}
     * @param scores each token's merge score, finite
     * @return the tokenizer
     */
    public static Tokenizer fromPieces(String source, byte[][] pieces, float[] scores) {
        dev.unroll.runtime.internal.Checks.notNull("Tokenizer.fromPieces: source", source);
        dev.unroll.runtime.internal.Checks.noNulls("Tokenizer.fromPieces: pieces", pieces);
        dev.unroll.runtime.internal.Checks.notNull("Tokenizer.fromPieces: scores", scores);
        String src = UnrollException.safe(source);
        if (pieces.length < 1 || pieces.length > Limits.MAX_VOCAB || scores.length != pieces.length) {
            throw new UnrollException(src + ": " + pieces.length + " pieces and " + scores.length + " scores (as many of each, 1 to "
                    + Limits.MAX_VOCAB + ")");
        }
        byte[][] copy = new byte[pieces.length][];
        for (int i = 0; i < pieces.length; i++) {
            if (pieces[i].length > MAX_TOKEN_LENGTH || !Float.isFinite(scores[i])) {
                throw new UnrollException(src + ": token " + i + " has " + pieces[i].length + " bytes and score " + scores[i] + " (at most "
                        + MAX_TOKEN_LENGTH + " bytes, a finite score)");
            }
            copy[i] = pieces[i].clone();
        }
        return new Tokenizer(copy, scores.clone());
    }

    /** @return vocabulary size */
    public int size() {
        return pieces.length;
    }

    private static String key(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * @param text the text
     * @param bos prepend BOS
     * @param eos append EOS
     * @return token ids
     */
    public int[] encode(String text, boolean bos, boolean eos) {
        dev.unroll.runtime.internal.Checks.notNull("Tokenizer.encode: text", text);
        if ((bos && BOS >= pieces.length) || (eos && EOS >= pieces.length)) {
            throw new UnrollException("a vocabulary of " + pieces.length + " tokens has no " + (bos && BOS >= pieces.length ? "BOS (id 1)" : "EOS (id 2)")
                    + " to add");
        }
        List<Integer> t = new ArrayList<>();
        if (bos) {
            t.add(BOS);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            Integer space = ids.get(" ");
            if (space == null) {
                throw new UnrollException("the vocabulary has no ' ' token for the dummy prefix");
            }
            t.add(space);
        }
        for (int i = 0; i < bytes.length; ) {
            int len = 1;
            while (i + len < bytes.length && len < 4 && (bytes[i + len] & 0xC0) == 0x80) {
                len++;
            }
            byte[] cp = java.util.Arrays.copyOfRange(bytes, i, i + len);
            Integer id = ids.get(key(cp));
            if (id != null) {
                t.add(id);
            } else {
                for (byte c : cp) {
                    int fallback = (c & 0xff) + 3;
                    if (fallback >= pieces.length) {
                        throw new UnrollException(String.format(java.util.Locale.ROOT,
                                "byte 0x%02x of the text has no token: the vocabulary (%d tokens) has no byte fallback for it", c & 0xff, pieces.length));
                    }
                    t.add(fallback);
                }
            }
            i += len;
        }
        merge(t);
        if (eos) {
            t.add(EOS);
        }
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    /** llama2.c's threshold: a pair whose merge scores no more than this is never merged. */
    private static final float NO_MERGE = -1e10f;

    /**
     * llama2.c's merges: while some adjacent pair is a token scoring above {@link #NO_MERGE}, merge
     * the best-scoring one (the leftmost of equals). The same merges in the same order as run.c's scan
     * of every pair per merge, in O(n log n): the candidate pairs in a queue by score, then position;
     * a candidate whose tokens changed since it was queued is dropped when it comes up.
     */
    private void merge(List<Integer> t) {
        int n = t.size();
        int[] token = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            token[i] = t.get(i);
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        // a candidate: {left position, its token, the right token, the merged token}, by score then position
        java.util.PriorityQueue<int[]> queue = new java.util.PriorityQueue<>((a, b) -> {
            int byScore = Float.compare(scores[b[3]], scores[a[3]]);
            return byScore != 0 ? byScore : Integer.compare(a[0], b[0]);
        });
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, i, token[i], token[i + 1]);
        }
        while (!queue.isEmpty()) {
            int[] c = queue.poll();
            int left = c[0];
            int right = token[left] == c[1] ? next[left] : -1;
            if (right < 0 || token[right] != c[2]) {
                continue; // merged away or changed since it was queued
            }
            token[left] = c[3];
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            token[right] = -1;
            if (prev[left] >= 0) {
                offer(queue, prev[left], token[prev[left]], token[left]);
            }
            if (next[left] >= 0) {
                offer(queue, left, token[left], token[next[left]]);
            }
        }
        t.clear();
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            t.add(token[i]);
        }
    }

    private void offer(java.util.PriorityQueue<int[]> queue, int left, int a, int b) {
        Integer id = ids.get(key(pieces[a]) + key(pieces[b]));
        if (id != null && scores[id] > NO_MERGE) {
            queue.add(new int[] {left, a, b, id});
        }
    }

    /**
     * The bytes a token prints after {@code prev}, as run.c: no leading space after BOS, raw bytes for
     * {@code <0xNN>}.
     *
     * @param prev the previous token
     * @param token the token
     * @return its bytes
     */
    public byte[] piece(int prev, int token) {
        if (token < 0 || token >= pieces.length) {
            throw new UnrollException("token " + token + " is outside the vocabulary [0, " + pieces.length + ")");
        }
        byte[] p = pieces[token];
        if (prev == BOS && p.length > 0 && p[0] == ' ') {
            p = java.util.Arrays.copyOfRange(p, 1, p.length);
        }
        if (p.length == 6 && p[0] == '<' && p[1] == '0' && p[2] == 'x' && p[5] == '>') {
            int v = Character.digit(p[3], 16) * 16 + Character.digit(p[4], 16);
            if (v >= 0) {
                return new byte[] {(byte) v};
            }
        }
        return p;
    }

    /**
     * Decodes generated tokens as run.c prints them (single non-printable bytes are skipped).
     *
     * @param tokens the sequence, starting with the token before the first one printed (usually BOS)
     * @return the text
     */
    public String decode(int[] tokens) {
        dev.unroll.runtime.internal.Checks.notNull("Tokenizer.decode: tokens", tokens);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i < tokens.length; i++) {
            byte[] p = printed(tokens[i - 1], tokens[i]);
            out.write(p, 0, p.length);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The bytes run.c prints for one token: its {@link #piece}, or nothing for a single non-printable
     * byte. {@link #decode} is these bytes, token after token, read as UTF-8; a stream printing them as
     * they come must hold back a character split over tokens (byte-fallback tokens) until it is whole.
     *
     * @param prev the token before
     * @param token the token printed
     * @return its bytes (empty when run.c skips it)
     */
    public byte[] printed(int prev, int token) {
        byte[] p = piece(prev, token);
        if (p.length == 1) {
            int c = p[0] & 0xff;
            boolean printable = (c >= 0x20 && c < 0x7f) || c == ' ' || (c >= 9 && c <= 13);
            if (!printable) {
                return new byte[0];
            }
        }
        return p;
    }
}
