package dev.unroll.runtime.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Crafts the small (and hostile) files the reliability cases load. */
final class Files2 {
    private Files2() {}

    static Path temp(String name) {
        try {
            Path dir = Files.createTempDirectory("unroll-hostile");
            dir.toFile().deleteOnExit();
            Path p = dir.resolve(name);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(String name, byte[] bytes) {
        Path p = temp(name);
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** A named pipe: reading it would block forever. */
    static Path fifo() throws Exception {
        Path p = temp("fifo");
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        if (mk.waitFor() != 0) {
            throw new IllegalStateException("mkfifo failed");
        }
        return p;
    }

    /** A llama2.c header. */
    static ByteBuffer header(int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seq) {
        return ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putInt(dim).putInt(hidden).putInt(layers).putInt(heads).putInt(kvHeads)
                .putInt(vocab).putInt(seq).flip();
    }

    /** The float count llama2.c stores after the header for these dimensions (tied classifier). */
    static long llamaFloats(int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seq) {
        long hd = dim / heads;
        long kv = kvHeads * hd;
        return (long) layers * (2L * dim + 2L * dim * dim + 2L * kv * dim + 3L * dim * hidden) + (long) vocab * dim + dim + seq * hd;
    }

    /** A llama2.c checkpoint whose every weight is {@code fill}. */
    static Path llama(int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seq, float fill) {
        long n = llamaFloats(dim, hidden, layers, heads, kvHeads, vocab, seq);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(28 + 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header(dim, hidden, layers, heads, kvHeads, vocab, seq));
        for (long i = 0; i < n; i++) {
            b.putFloat(fill == 0 ? (float) Math.sin(i * 0.37) * 0.1f : fill);
        }
        return write("model.bin", b.array());
    }

    /** A llama2.c tokenizer: max length, then per token a score, a length and the bytes. */
    static Path tokenizer(int maxLength, float score, byte[]... pieces) {
        int size = 4;
        for (byte[] p : pieces) {
            size += 8 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).putInt(maxLength);
        for (byte[] p : pieces) {
            b.putFloat(score).putInt(p.length).put(p);
        }
        return write("tok.bin", b.array());
    }
}
