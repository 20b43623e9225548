package dev.unroll.runtime.fuzz;

import dev.unroll.runtime.fla.Fla;
import dev.unroll.runtime.fla.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes any bytes into one call of the fla API and makes it: byte 0 picks the op, bytes 1 to 7 the
 * sizes B, T, H, K, V, the levels and the Householder steps (0 to 7 each, zero included), byte 8 the
 * options (an initial state, the final state, {@code cu_seqlens}, a scale, a wrong rank for one
 * argument, normalisation), the rest the tensors' values as raw little-endian floats (NaN, infinities
 * and subnormals included), repeated as needed. Every tensor has the shape the op expects unless the
 * options ask for a wrong rank, so that the fuzzer reaches the arithmetic, not only the checks.
 */
final class FlaCalls {
    private final ByteBuffer values;
    private final boolean wrongRank;

    private FlaCalls(byte[] data) {
        ByteBuffer v = ByteBuffer.wrap(data, Math.min(9, data.length), Math.max(0, data.length - 9)).slice().order(ByteOrder.LITTLE_ENDIAN);
        this.values = v.remaining() >= 4 ? v : ByteBuffer.wrap(new byte[] {0, 0, 0, 63}).order(ByteOrder.LITTLE_ENDIAN);
        this.wrongRank = data.length > 8 && (data[8] & 16) != 0;
    }

    private static int at(byte[] d, int i) {
        return i < d.length ? d[i] & 0xff : 0;
    }

    /** A tensor of the shape asked (or of one rank less, when the options say so and this is the first), filled from the bytes. */
    private Tensor t(boolean first, int... shape) {
        int[] s = wrongRank && first && shape.length > 1 ? java.util.Arrays.copyOf(shape, shape.length - 1) : shape;
        int n = 1;
        for (int x : s) {
            n *= x;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            if (values.remaining() < 4) {
                values.rewind();
            }
            data[i] = values.getFloat();
        }
        return Tensor.of(data, s);
    }

    private Tensor t(int... shape) {
        return t(false, shape);
    }

    static void call(byte[] d) {
        FlaCalls f = new FlaCalls(d);
        int op = at(d, 0) % 13;
        int b = at(d, 1) % 8;
        int t = at(d, 2) % 8;
        int h = at(d, 3) % 8;
        int k = at(d, 4) % 8;
        int v = at(d, 5) % 8;
        int levels = at(d, 6) % 8;
        int nh = at(d, 7) % 8;
        int o = at(d, 8);
        boolean h0 = (o & 1) != 0;
        boolean last = (o & 2) != 0;
        int[] cu = (o & 4) != 0 ? new int[] {0, t / 2, t} : null;
        Double scale = (o & 8) != 0 ? (double) f.t(1).data()[0] : null;
        boolean normalize = (o & 32) != 0;
        int seqs = cu == null ? b : 2;
        switch (op) {
            case 0 -> Fla.naiveRecurrentGla(f.t(true, b, t, h, k), f.t(b, t, h, k), f.t(b, t, h, v), f.t(b, t, h, k), h0 ? f.t(seqs, h, k, v) : null, last, cu);
            case 1 -> Fla.naiveRecurrentSimpleGla(f.t(true, b, t, h, k), f.t(b, t, h, k), f.t(b, t, h, v), f.t(b, t, h), scale,
                    h0 ? f.t(seqs, h, k, v) : null, last, cu);
            case 2 -> Fla.naiveRetention(f.t(true, b, h, t, k), f.t(b, h, t, k), f.t(b, h, t, v));
            case 3 -> Fla.naiveRecurrentLinearAttn(f.t(true, b, t, h, k), f.t(b, t, h, k), f.t(b, t, h, v), scale, h0 ? f.t(b, h, k, v) : null, last,
                    normalize);
            case 4 -> Fla.deltaRuleRecurrence(f.t(true, b, h, t, k), f.t(b, h, t, k), f.t(b, h, t, v), f.t(b, h, t), h0 ? f.t(b, h, k, v) : null, last);
            case 5 -> Fla.naiveRecurrentGatedDeltaRule(f.t(true, b, t, h, k), f.t(b, t, h, k), f.t(b, t, h, v), f.t(b, t, h), f.t(b, t, h), scale,
                    h0 ? f.t(seqs, h, k, v) : null, last, cu);
            case 6 -> Fla.naiveRecurrentGatedDeltaProduct(f.t(true, b, t, h, k), f.t(b, t * Math.max(nh, 1), h, k), f.t(b, t * Math.max(nh, 1), h, v),
                    normalize ? null : f.t(b, t, h), f.t(b, t * Math.max(nh, 1), h), scale, cu, h0 ? f.t(seqs, h, k, v) : null, last, nh);
            case 7 -> Fla.naiveRecurrentHgrn(f.t(true, b, t, k), f.t(b, t, k), h0 ? f.t(b, k) : null, last);
            case 8 -> Fla.naiveRecurrentRwkv7(f.t(true, b, h, t, k), f.t(b, h, t, k), f.t(b, h, t, v), f.t(b, h, t, k), f.t(b, h, t, k), f.t(b, h, t, k),
                    scale, h0 ? f.t(b, h, v, k) : null, last);
            case 9 -> Fla.dplrRecurrence(f.t(true, b, h, t, k), f.t(b, h, t, k), f.t(b, h, t, v), f.t(b, h, t, k), f.t(b, h, t, k), f.t(b, h, t, k),
                    h0 ? f.t(b, h, k, v) : null, last);
            case 10 -> Fla.iplrRecurrence(f.t(true, b, h, t, k), f.t(b, h, t, k), f.t(b, h, t, v), f.t(b, h, t, k), f.t(b, h, t, k),
                    h0 ? f.t(b, h, k, v) : null, last);
            case 11 -> Fla.naiveLogLinearAttn(f.t(true, b, t, h, k), f.t(b, t, h, k), f.t(b, t, h, v), f.t(b, t, h), f.t(b, t, h, levels));
            default -> Fla.mlstmRecurrentSequence(f.t(true, b, h, t, k), f.t(b, h, t, k), f.t(b, h, t, v), f.t(b, h, t), f.t(b, h, t),
                    h0 ? f.t(b, h, k, v) : null, h0 ? f.t(b, h, k) : null, h0 ? f.t(b, h) : null, last, scale == null ? 1e-6 : scale);
        }
    }
}
