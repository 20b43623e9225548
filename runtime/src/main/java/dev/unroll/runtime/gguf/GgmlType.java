package dev.unroll.runtime.gguf;

import dev.unroll.runtime.internal.HalfFloats;
import java.nio.ByteBuffer;

/**
 * The ggml tensor types Unroll reads, with ggml's ids and block layouts: a block of {@link #blockSize}
 * elements takes {@link #blockBytes} bytes. Each is widened to F32 by {@link #decode}.
 */
public enum GgmlType {
    /** IEEE binary32. */
    F32(0, 1, 4),
    /** IEEE binary16. */
    F16(1, 1, 2),
    /** Blocks of 32: a binary16 scale d, then 16 bytes of 4-bit codes q (low nibbles first); x = (q - 8) d. */
    Q4_0(2, 32, 18),
    /** Blocks of 32: a binary16 scale d, then 32 signed bytes q; x = q d. */
    Q8_0(8, 32, 34),
    /** bfloat16. */
    BF16(30, 1, 2);

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** @return ggml's id of the type */
    public int id() {
        return id;
    }

    /** @return elements per block */
    public int blockSize() {
        return blockSize;
    }

    /** @return bytes per block */
    public int blockBytes() {
        return blockBytes;
    }

    /**
     * @param id a ggml type id
     * @param tensor the tensor it belongs to, for the message
     * @return the type
     * @throws GgufFormatException for a type Unroll does not read, named by its id
     */
    public static GgmlType of(long id, String tensor) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        throw new GgufFormatException("tensor '" + tensor + "': ggml type " + id + " is not read (read: F32 0, F16 1, Q4_0 2, Q8_0 8, BF16 30;"
                + " K-quants and the others are not)");
    }

    /**
     * Widens {@code count} elements (a whole number of blocks) from {@code in}'s position into {@code out[at..]}.
     *
     * @param in little-endian bytes, advanced past what is read
     * @param out the floats
     * @param at where the first goes
     * @param count elements, a multiple of {@link #blockSize}
     */
    void decode(ByteBuffer in, float[] out, int at, int count) {
        switch (this) {
            case F32 -> in.asFloatBuffer().get(out, at, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[at + i] = HalfFloats.f16ToFloat(in.getShort(in.position() + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[at + i] = HalfFloats.bf16ToFloat(in.getShort(in.position() + 2 * i));
                }
            }
            case Q8_0 -> {
                for (int b = 0, p = in.position(); b < count / 32; b++, p += 34) {
                    float d = HalfFloats.f16ToFloat(in.getShort(p));
                    for (int j = 0; j < 32; j++) {
                        out[at + b * 32 + j] = in.get(p + 2 + j) * d;
                    }
                }
            }
            case Q4_0 -> {
                for (int b = 0, p = in.position(); b < count / 32; b++, p += 18) {
                    float d = HalfFloats.f16ToFloat(in.getShort(p));
                    for (int j = 0; j < 16; j++) {
                        int q = in.get(p + 2 + j) & 0xff;
                        out[at + b * 32 + j] = ((q & 0x0f) - 8) * d;
                        out[at + b * 32 + j + 16] = ((q >> 4) - 8) * d;
                    }
                }
            }
            default -> throw new IllegalStateException(name());
        }
        in.position(in.position() + (int) ((long) count / blockSize * blockBytes));
    }

    /** @return the weight format whose blocks are this type's (Q8_0: Q8, Q4_0: Q4), or null */
    public dev.unroll.annotations.WeightFormat blockFormat() {
        return switch (this) {
            case Q8_0 -> dev.unroll.annotations.WeightFormat.Q8;
            case Q4_0 -> dev.unroll.annotations.WeightFormat.Q4;
            default -> null;
        };
    }

    /**
     * Copies whole blocks' codes and scales from {@code in}'s position: Q8_0's signed codes as they
     * are, Q4_0's nibbles as codes in [0, 15] (byte j of a block holds element j in its low nibble
     * and element j + 16 in its high one), each scale widened from binary16.
     *
     * @param in little-endian bytes, advanced past what is read
     * @param codes the codes, one per element
     * @param scales the scales, one per block
     * @param block the index of the first block
     * @param blocks how many blocks
     */
    void codes(ByteBuffer in, byte[] codes, float[] scales, int block, int blocks) {
        for (int b = 0, p = in.position(); b < blocks; b++, p += blockBytes) {
            int at = (block + b) * 32;
            scales[block + b] = HalfFloats.f16ToFloat(in.getShort(p));
            if (this == Q8_0) {
                in.get(p + 2, codes, at, 32);
            } else if (this == Q4_0) {
                for (int j = 0; j < 16; j++) {
                    int q = in.get(p + 2 + j) & 0xff;
                    codes[at + j] = (byte) (q & 0x0f);
                    codes[at + j + 16] = (byte) (q >> 4);
                }
            } else {
                throw new IllegalStateException(name() + " has no codes");
            }
        }
        in.position(in.position() + blocks * blockBytes);
    }
}
