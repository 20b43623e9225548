package dev.unroll.runtime.internal;

/** Conversions between binary32 and the two 16-bit float formats, rounding to nearest even. */
public final class HalfFloats {
    private HalfFloats() {}

    /**
     * @param bits a bfloat16
     * @return its value
     */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * @param f a value
     * @return the nearest bfloat16 (ties to even)
     */
    public static short floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((x >>> 16) | 0x40); // keep it a quiet NaN
        }
        int rounding = 0x7fff + ((x >>> 16) & 1);
        return (short) ((x + rounding) >>> 16);
    }

    /**
     * @param bits an IEEE binary16
     * @return its value
     */
    public static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: value = mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * @param f a value
     * @return the nearest binary16 (ties to even)
     */
    public static short floatToF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xff;
        int mant = x & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00); // overflow to infinity
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // underflow to zero
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = 1 << (shift - 1);
            int rounded = mant + half - 1 + ((mant >>> shift) & 1);
            return (short) (sign | (rounded >>> shift));
        }
        int rounded = mant + 0xfff + ((mant >>> 13) & 1);
        if ((rounded & 0x800000) != 0) {
            rounded = 0;
            e++;
            if (e >= 0x1f) {
                return (short) (sign | 0x7c00);
            }
        }
        return (short) (sign | (e << 10) | (rounded >>> 13));
    }
}
