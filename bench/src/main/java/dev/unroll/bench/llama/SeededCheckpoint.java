package dev.unroll.bench.llama;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a llama2.c checkpoint ({@code run.c}'s format: seven int32 header fields, then every tensor
 * as little-endian float32, classifier shared) with seeded random weights, and a tokenizer of the
 * same vocabulary (pieces {@code <0x00>..<0xFF>} style bytes, then {@code t256..}), so that run.c
 * and Unroll load the same file. Matrices are N(0, 0.02), norms 1: not a language model, a
 * workload of the right shape.
 *
 * <p>Usage: {@code SeededCheckpoint 15M|110M|1.1B|blocks DIR [SEED]}; writes {@code DIR/stories15M-seeded.bin}
 * (stories110M-, stories1.1B-: TinyLlama-1.1B's shape, 4 key/value heads, 2048 positions, 4.1 GB) and {@code DIR/tok32000.bin}.
 */
public final class SeededCheckpoint {
    private SeededCheckpoint() {}

    /** A llama2.c shape. */
    record Shape(String name, int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen) {}

    static Shape shape(String name) {
        return switch (name) {
            case "15M" -> new Shape("stories15M", 288, 768, 6, 6, 6, 32000, 256);
            case "110M" -> new Shape("stories110M", 768, 2048, 12, 12, 12, 32000, 256);
            case "1.1B" -> new Shape("stories1.1B", 2048, 5632, 22, 32, 4, 32000, 2048);
            // every matrix whole blocks of 32 along its rows: a file llama.cpp can store entirely in Q4_0
            case "blocks" -> new Shape("tiny-blocks", 64, 128, 2, 4, 2, 256, 64);
            default -> throw new IllegalArgumentException("shape " + name + ": 15M, 110M, 1.1B or blocks");
        };
    }

    /**
     * @param args shape, directory, optional seed
     * @throws IOException on a write error
     */
    public static void main(String[] args) throws IOException {
        Shape s = shape(args[0]);
        Path dir = Path.of(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        Files.createDirectories(dir);
        Path model = dir.resolve(s.name() + "-seeded.bin");
        writeModel(s, seed, model);
        writeTokenizer(s.vocab(), dir.resolve("tok" + s.vocab() + ".bin"));
        System.out.println(model + " (" + Files.size(model) / 1_000_000 + " MB, seed " + seed + ")");
    }

    static void writeModel(Shape s, long seed, Path out) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = s.dim();
        int hd = d / s.heads();
        long kv = (long) s.kvHeads() * hd;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(d).putInt(s.hidden()).putInt(s.layers()).putInt(s.heads()).putInt(s.kvHeads()).putInt(s.vocab()).putInt(s.seqLen());
            os.write(h.array());
            gaussian(os, rnd, (long) s.vocab() * d);
            ones(os, (long) s.layers() * d);
            gaussian(os, rnd, (long) s.layers() * d * d); // wq
            gaussian(os, rnd, (long) s.layers() * kv * d); // wk
            gaussian(os, rnd, (long) s.layers() * kv * d); // wv
            gaussian(os, rnd, (long) s.layers() * d * d); // wo
            ones(os, (long) s.layers() * d);
            gaussian(os, rnd, (long) s.layers() * s.hidden() * d);
            gaussian(os, rnd, (long) s.layers() * d * s.hidden());
            gaussian(os, rnd, (long) s.layers() * s.hidden() * d);
            ones(os, d);
            // freq_cis_real and freq_cis_imag: unused by run.c since it computes RoPE itself, but part of the format
            zeros(os, (long) s.seqLen() * hd);
        }
    }

    private static void gaussian(OutputStream os, SplittableRandom rnd, long n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            if (!b.hasRemaining()) {
                os.write(b.array(), 0, b.position());
                b.clear();
            }
            // Box-Muller's cosine half is enough here
            double u = 1.0 - rnd.nextDouble();
            double v = rnd.nextDouble();
            b.putFloat((float) (0.02 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
        }
        os.write(b.array(), 0, b.position());
    }

    private static void ones(OutputStream os, long n) throws IOException {
        constant(os, n, 1f);
    }

    private static void zeros(OutputStream os, long n) throws IOException {
        constant(os, n, 0f);
    }

    private static void constant(OutputStream os, long n, float v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
        for (long i = 0; i < n; i++) {
            os.write(b.array());
        }
    }

    /** run.c's tokenizer format: max token length, then per token its score, byte length and bytes. */
    static void writeTokenizer(int vocab, Path out) throws IOException {
        try (DataOutputStream os = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            os.write(b.putInt(0, 8).array(), 0, 4);
            for (int i = 0; i < vocab; i++) {
                String piece = i < 3 ? new String[] {"<unk>", "\n<s>\n", "\n</s>\n"}[i] : i < 259 ? String.format("<0x%02X>", i - 3) : "t" + i;
                byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
                b.clear();
                b.putFloat(0, -i).putInt(4, bytes.length);
                os.write(b.array(), 0, 8);
                os.write(bytes);
            }
        }
    }
}
