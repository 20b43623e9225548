package dev.unroll.runtime.transformer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-unicode table: every byte as one printable character (printable Latin-1 bytes as
 * themselves, the others from U+0100 on), so that byte-level BPE works on strings.
 */
final class HfByteLevel {
    private static final char[] TO_CHAR = new char[256];
    private static final int[] TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            TO_CHAR[b] = c;
            TO_BYTE[c] = b;
        }
    }

    private HfByteLevel() {}

    /**
     * @return the text's UTF-8 bytes, a lone surrogate as U+FFFD's (as the reference's
     *     {@code TextEncoder}; Java would write '?')
     */
    static byte[] utf8(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                StringBuilder sb = new StringBuilder(text.length());
                text.codePoints().forEach(c -> sb.appendCodePoint(Character.isSurrogate((char) c) && c <= 0xFFFF ? 0xFFFD : c));
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the text's UTF-8 bytes, one character each */
    static String encode(String text) {
        byte[] bytes = utf8(text);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = TO_CHAR[bytes[i] & 0xff];
        }
        return new String(out);
    }

    /**
     * @return the bytes the characters stand for, read as UTF-8; a character outside the table is a
     *     zero byte, as the reference decodes it
     */
    static String decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        text.codePoints().forEach(c -> out.write(c < TO_BYTE.length && TO_BYTE[c] >= 0 ? TO_BYTE[c] : 0));
        return out.toString(StandardCharsets.UTF_8);
    }
}
