package dev.unroll.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unroll.runtime.transformer.Llama2c;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A llama2.c checkpoint over 2 GiB loads: the reader streams it in chunks instead of mapping the
 * whole file as one buffer (Java maps at most 2 GiB at a time). The file is sparse: a valid header,
 * then 2.7 GB of zeros the file system does not store.
 */
class LargeCheckpointTest {
    @Test
    void aCheckpointOverTwoGibLoadsBySegments() throws Exception {
        long heap = Runtime.getRuntime().maxMemory();
        assumeTrue(heap >= 4L << 30, "needs a 4 GiB heap to hold 2.7 GB of weights, this JVM has " + (heap >> 20) + " MiB");
        int dim = 2048;
        int hidden = 5632;
        int layers = 12;
        int vocab = 32000;
        int seq = 2048;
        long floats = Files2.llamaFloats(dim, hidden, layers, 16, 16, vocab, seq);
        Path p = Files2.temp("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(Files2.header(dim, hidden, layers, 16, 16, vocab, seq).array());
            f.setLength(28 + 4 * floats);
        }
        assertEquals(true, 28 + 4 * floats > (5L << 29), "the file is over 2.5 GiB");
        Llama2c.Checkpoint c = Llama2c.load(p);
        assertEquals(12, c.spec().layers());
        assertEquals((long) dim * dim, c.weights().get("model.layers.11.self_attn.o_proj.weight").length);
        assertEquals(0f, c.weights().get("model.norm.weight")[dim - 1]);
        p.toFile().delete();
    }
}
