package dev.unroll.cli.fuzz;

import dev.unroll.runtime.fla.Fla;
import dev.unroll.runtime.fla.Result;
import dev.unroll.runtime.fla.Tensor;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the {@code golden} converters' seed corpus ({@code GoldenFuzzTestInputs} in the test
 * resources): for each converter one input a user would hand it, made by Unroll's own engines, so
 * each seed converts and verifies before it is mutated. Deterministic; run from the repository root
 * after a format change:
 * {@code mvn -q -pl cli test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.unroll.cli.fuzz.GoldenCorpusWriter}.
 */
public final class GoldenCorpusWriter {
    private GoldenCorpusWriter() {}

    /**
     * @param args optional output folder
     * @throws IOException on write failure
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "cli/src/test/resources/dev/unroll/cli/fuzz/GoldenFuzzTestInputs");
        try (InputStream in = GoldenCorpusWriter.class.getResourceAsStream("/dev/unroll/runtime/fuzz/LoaderFuzzTestInputs/referenceJson/gla-first-token.json")) {
            Files.write(Files.createDirectories(root.resolve("reference")).resolve("gla-first-token.json"), in.readAllBytes());
        }
        trace(Files.createDirectories(root.resolve("trmTrace")).resolve("tiny-trace.safetensors"));
        logits(Files.createDirectories(root.resolve("llama2c")).resolve("tied-tokens-1-2.f32"));
        npy(root.resolve("llama2c").resolve("tied-tokens-1-2.f32"), root.resolve("llama2c").resolve("tied-tokens-1-2.npy"));
        fla(Files.createDirectories(root.resolve("fla")).resolve("gla-call.safetensors"));
    }

    static double wave(long i) {
        return VerifyCorpusWriter.wave(i);
    }

    /** Every network call of one supervision step of GoldenTargets.TRM, from the generic engine. */
    private static void trace(Path out) {
        TrmSpec spec = GoldenTargets.TRM;
        TrmWeights w = TrmWeights.seeded(spec);
        GenericTrm m = new GenericTrm(w);
        int[] tokens = {1, 2, 3, 4};
        float[] x = m.embed(tokens, 1);
        float[] y = m.initialCarry(1).y();
        float[] z = m.initialCarry(1).z();
        long[] shape = {1, spec.sequence(), spec.hidden()};
        SafetensorsWriter t = new SafetensorsWriter();
        w.writeTo(t, "");
        t.add("trace.x_embed", DType.F32, shape, x);
        float[] in = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            in[i] = (x[i] + y[i]) + z[i];
        }
        m.network(in, 1, z);
        t.add("trace.call01.out", DType.F32, shape, z.clone());
        for (int i = 0; i < x.length; i++) {
            in[i] = y[i] + z[i];
        }
        m.network(in, 1, y);
        t.add("trace.call02.out", DType.F32, shape, y.clone()).write(out);
    }

    /** The logits run.c would print for tokens 1, 2 of the llama2c target's checkpoint, from the generic engine. */
    private static void logits(Path out) throws IOException {
        Llama2c.Checkpoint c = Llama2c.load(GoldenTargets.model());
        int vocab = c.spec().vocab();
        ByteBuffer raw = ByteBuffer.allocate(4 * 2 * vocab).order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[vocab];
        try (DecodeRunner s = new CachedGenerator(new GenericTransformer(c.weights())).open(null, null, 2, 2)) {
            for (int t = 0; t < 2; t++) {
                s.next(t + 1, t, row);
                for (float v : row) {
                    raw.putFloat(v);
                }
            }
        }
        Files.write(out, raw.array());
    }

    /** The same logits as numpy saves them ({@code np.save}: version 1.0, little-endian f4, shape (2, vocab)); the target reads .npy by its magic bytes. */
    private static void npy(Path raw, Path out) throws IOException {
        byte[] data = Files.readAllBytes(raw);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, " + data.length / 8 + "), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        byte[] header = (dict + " ".repeat(pad % 64) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length);
        b.put(header).put(data);
        Files.write(out, b.array());
    }

    /** A GLA call saved as fla's tests save one: its arguments and its o and final state. */
    private static void fla(Path out) {
        int[] s = {1, 5, 2, 3};
        Tensor q = fill(s, 0);
        Tensor k = fill(s, 100);
        Tensor v = fill(new int[] {1, 5, 2, 4}, 200);
        Tensor gk = fill(s, 300);
        for (int i = 0; i < gk.data().length; i++) {
            gk.data()[i] = -Math.abs(gk.data()[i]);
        }
        Result r = Fla.naiveRecurrentGla(q, k, v, gk, null, true, null);
        new SafetensorsWriter().add("q", DType.F32, longs(q.shape()), q.data()).add("k", DType.F32, longs(k.shape()), k.data())
                .add("v", DType.F32, longs(v.shape()), v.data()).add("gk", DType.F32, longs(gk.shape()), gk.data())
                .add("o", DType.F32, longs(r.o().shape()), r.o().data()).add("final_state", DType.F32, longs(r.finalState().shape()), r.finalState().data())
                .write(out);
    }

    private static Tensor fill(int[] shape, int from) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) (5 * wave(from + i));
        }
        return t;
    }

    private static long[] longs(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }
}
