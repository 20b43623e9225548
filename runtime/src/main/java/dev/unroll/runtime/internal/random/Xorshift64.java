package dev.unroll.runtime.internal.random;

import dev.unroll.runtime.UnrollException;

/**
 * The xorshift64 generator (Marsaglia 2003, shifts 13/7/17) that the linear-attention reference
 * (irithyll) draws its weights with; Unroll uses it for every seeded initialisation so that one
 * documented stream defines all seeded weights.
 *
 * <ul>
 *   <li>State: one 64-bit word, the seed itself (no mixing). Seed 0 is rejected: the generator
 *       would stay at 0 forever (and the reference's normal draw would spin).
 *   <li>{@link #nextLong()}: {@code x ^= x << 13; x ^= x >>> 7; x ^= x << 17}; returns the new state.
 *   <li>{@link #nextUniform()}: {@code (x >>> 11) * 2^-53}, in [0, 1).
 *   <li>{@link #nextNormal()}: Box–Muller, one sample per call: draw {@code u1} until it is
 *       positive, draw {@code u2}, return {@code sqrt(-2 ln u1) * cos(2 pi u2)}.
 * </ul>
 *
 * <p>{@code ln} and {@code cos} come from {@link StrictMath} (fdlibm). The reference uses Rust's
 * {@code libm}, which differs by one ulp on about 2% of draws, so seeded weights agree with the
 * reference's to about 1e-18 absolute, not bit for bit.
 */
public final class Xorshift64 {
    private long state;

    /**
     * @param seed the initial state; must not be 0
     * @throws UnrollException for seed 0
     */
    public Xorshift64(long seed) {
        if (seed == 0) {
            throw new UnrollException("seed must not be 0: xorshift64 stays at 0 forever");
        }
        this.state = seed;
    }

    /** @return the next 64-bit output (also the new state) */
    public long nextLong() {
        long x = state;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        state = x;
        return x;
    }

    /** @return a uniform double in [0, 1) with 53 random bits */
    public double nextUniform() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return a standard normal sample (Box–Muller, one per call) */
    public double nextNormal() {
        double u1;
        do {
            u1 = nextUniform();
        } while (u1 <= 0.0);
        double u2 = nextUniform();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos((2.0 * Math.PI) * u2);
    }

    /** @return the current state, for snapshots */
    public long state() {
        return state;
    }
}
