package dev.unroll.runtime.transformer;

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
        byte[] all;
        try {
            all = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UnrollException(path + ": cannot read: " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        byte[][] pieces = new byte[vocab][];
        float[] scores = new float[vocab];
        try {
            b.getInt();
            for (int i = 0; i < vocab; i++) {
                scores[i] = b.getFloat();
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new UnrollException(path + ": token " + i + " has length " + len + ", beyond the end of the file");
                }
                pieces[i] = new byte[len];
                b.get(pieces[i]);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new UnrollException(path + ": truncated: the file ends before token " + vocab + " of the vocabulary", e);
        }
        return new Tokenizer(pieces, scores);
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
                    t.add((c & 0xff) + 3);
                }
            }
            i += len;
        }
        while (true) {
            float best = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = 0; i + 1 < t.size(); i++) {
                Integer id = ids.get(key(pieces[t.get(i)]) + key(pieces[t.get(i + 1)]));
                if (id != null && scores[id] > best) {
                    best = scores[id];
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx < 0) {
                break;
            }
            t.set(bestIdx, bestId);
            t.remove(bestIdx + 1);
        }
        if (eos) {
            t.add(EOS);
        }
        return t.stream().mapToInt(Integer::intValue).toArray();
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i < tokens.length; i++) {
            byte[] p = piece(tokens[i - 1], tokens[i]);
            if (p.length == 1) {
                int c = p[0] & 0xff;
                boolean printable = (c >= 0x20 && c < 0x7f) || c == ' ' || (c >= 9 && c <= 13);
                if (!printable) {
                    continue;
                }
            }
            out.write(p, 0, p.length);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
