package dev.unroll.bench.roofline;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read-bandwidth ceiling of one core, STREAM-like: a vectorised sum over a float array that fits
 * in L1 (16 KiB), L2 (256 KiB), L3 (4 MiB) or only in DRAM (256 MiB), four independent accumulators so
 * that the adds never bind. The {@code bytes} counter is the ceiling: bytes read per second. A kernel
 * that reads its weights once per token is bound by the level its weights fit in. {@link #readFourStreams}
 * reads the same bytes as four concurrent streams; the ceiling of a level is the faster of the two.
 * The JVM runs on transparent huge pages, as the decoder benchmarks do: on a virtual machine each
 * TLB miss of a 4 KiB page costs a nested page walk, and with 4 KiB pages this machine read DRAM at
 * 16 GB/s where huge pages gave 27 (2026-12-06), more than llama.cpp streams from one core (18).
 *
 * <p>Reproduce: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar BandwidthProbe}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g", "-XX:+UseTransparentHugePages"})
public class BandwidthProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Array size in KiB. */
    @Param({"16", "256", "4096", "262144"})
    public int kib;

    private float[] a;

    /** Bytes read, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Bytes read. */
        public long bytes;
    }

    /** Fills the array. */
    @Setup(Level.Trial)
    public void setup() {
        a = new float[kib * 256];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.25f;
        }
    }

    /**
     * @param b the bytes counter
     * @return the sum, so the reads are not dead code
     */
    @Benchmark
    public float read(Bytes b) {
        int n = a.length;
        int step = S.length() * 4;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        for (int i = 0; i < n; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + S.length()));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * S.length()));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * S.length()));
        }
        b.bytes += 4L * n;
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }

    /**
     * The same bytes read as four streams at once (the array's quarters side by side): in DRAM the
     * prefetchers then keep more lines in flight, and a kernel that streams several places at once
     * can reach this rather than {@link #read}'s.
     *
     * @param b the bytes counter
     * @return the sum, so the reads are not dead code
     */
    @Benchmark
    public float readFourStreams(Bytes b) {
        int q = a.length / 4;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        for (int i = 0; i < q; i += S.length()) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + q));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * q));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * q));
        }
        b.bytes += 4L * a.length;
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }
}
