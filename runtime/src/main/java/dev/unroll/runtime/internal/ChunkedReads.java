package dev.unroll.runtime.internal;

import dev.unroll.runtime.UnrollException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads a byte range of a file by positional chunks through one buffer, for the loaders that read a
 * tensor at a time (safetensors, GGUF). Not mapped: a mapped file that another process truncates
 * faults (SIGBUS) at some later access, which no catch can attribute; a short read here is an error
 * the caller words.
 */
public final class ChunkedReads {
    private ChunkedReads() {}

    /** Receives the range's bytes in order. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param bytes the next chunk, little-endian, from its position to its limit
         * @param done bytes of the range handed over before this chunk
         */
        void accept(ByteBuffer bytes, long done);
    }

    /** The error for a file that ended before the range did. */
    @FunctionalInterface
    public interface Ended {
        /**
         * @param size the file's size now
         * @return the error to throw
         */
        UnrollException error(long size);
    }

    /**
     * @param channel the file
     * @param start the range's first byte
     * @param length its bytes
     * @param chunk the most bytes read at once (chunks but the last are this long: a multiple of the
     *     caller's element or block size keeps them whole)
     * @param sink receives the chunks
     * @param ended the error when the file ends before the range
     * @throws IOException when the file cannot be read
     */
    public static void read(FileChannel channel, long start, long length, int chunk, Sink sink, Ended ended) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, chunk)).order(ByteOrder.LITTLE_ENDIAN);
        long done = 0;
        while (done < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - done));
            long pos = start + done;
            while (buf.hasRemaining()) {
                if (channel.read(buf, pos + buf.position()) < 0) {
                    throw ended.error(channel.size());
                }
            }
            buf.flip();
            int read = buf.limit();
            sink.accept(buf, done);
            done += read;
        }
    }
}
