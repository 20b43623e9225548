package dev.unroll.examples.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.Unroll;
import dev.unroll.examples.trm.TinyTrms_MixerModel;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.internal.ops.Dims;
import dev.unroll.runtime.internal.ops.LinearRecurrences;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unroll golden ...}: each converter's output passes {@code unroll verify} against the generated
 * kernels, and a changed expectation fails it. The expectations come from an engine other than the
 * one verify runs (the generic transformer for llama2.c logits, the generic TRM for a trace, the
 * layers' own recurrence code for an fla call), or from the reference data.
 */
class GoldenCommandsTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run unroll(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void converts(String... args) {
        Run r = unroll(args);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("wrote "), r.out());
    }

    static String passes(Path golden, String expect) {
        Run r = unroll("verify", golden.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(expect), r.out());
        return r.out();
    }

    @Test
    void theReferenceJsonConverts() {
        Path out = dir.resolve("gla.safetensors");
        converts("golden", "reference", TestData.fixture("golden/attention/gla.json").toString(), "-o", out.toString());
        passes(out, "PASS (4/4 tensors)");
    }

    /**
     * The reference's width-64 layout (inputs in a sibling file, weights as statistics, outputs at some
     * tokens), read as it is by verify and by golden reference: the committed examples of that layout
     * pass against the generated f64 kernels, and a changed output fails.
     */
    @Test
    void theReferencesWidth64LayoutVerifiesAsItIs() throws Exception {
        for (String v : List.of("gla", "gated_deltanet_static")) {
            Path json = TestData.fixture("golden/attention-digest/" + v + ".json");
            String report = passes(json, "PASS (2/2 tensors)");
            assertTrue(report.contains("generated ") && report.contains("D16F64Layer"), report);
            assertTrue(report.contains("expected.y") && report.contains("n=" + 12 * 16), report); // 0, 4, 8, 12 and the last 8 tokens
            Path out = dir.resolve(v + ".safetensors");
            converts("golden", "reference", json.toString(), "-o", out.toString());
            passes(out, "PASS (2/2 tensors)");
        }
        Path src = TestData.fixture("golden/attention-digest/gla.json");
        Path copy = Files.createDirectories(dir.resolve("changed"));
        Files.copy(src.resolveSibling("gla.inputs.json"), copy.resolve("gla.inputs.json"));
        String text = Files.readString(src);
        int at = text.indexOf("\"outputs\":[[") + 12;
        Files.writeString(copy.resolve("gla.json"), text.substring(0, at) + "1.0" + text.substring(text.indexOf(',', at)));
        Run changed = unroll("verify", copy.resolve("gla.json").toString());
        assertEquals(1, changed.code(), changed.out() + changed.err());
        assertTrue(changed.out().contains("FAIL expected.y"), changed.out());
    }

    /** Logits of stories260K from the generic engine, written as run.c would print them, checked against the generated model. */
    @Test
    void aLlama2cCheckpointWithPerPositionLogitsConverts() throws Exception {
        Path model = TestData.fixture("models/stories260K/stories260K.bin");
        int[] tokens = {1, 403, 407, 261, 430, 310, 280, 2};
        Llama2c.Checkpoint c = Llama2c.load(model);
        int vocab = c.spec().vocab();
        ByteBuffer raw = ByteBuffer.allocate(4 * tokens.length * vocab).order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[vocab];
        try (DecodeRunner s = new CachedGenerator(new GenericTransformer(c.weights())).open(null, null, tokens.length, tokens.length)) {
            for (int t = 0; t < tokens.length; t++) {
                s.next(tokens[t], t, row);
                for (float v : row) {
                    raw.putFloat(v);
                }
            }
        }
        Path logits = Files.write(dir.resolve("logits.f32"), raw.array());
        Path out = dir.resolve("llama.safetensors");
        converts("golden", "llama2c", "--model", model.toString(), "--tokens", "1,403,407,261,430,310,280,2", "--logits", logits.toString(),
                "-o", out.toString());
        passes(out, "generated Stories260KModel");
        Run wrongLength = unroll("golden", "llama2c", "--model", model.toString(), "--tokens", "1,403", "--logits", logits.toString(), "-o",
                dir.resolve("x.safetensors").toString());
        assertEquals(3, wrongLength.code());
        assertTrue(wrongLength.err().contains("4096 logits; 2 positions of 512 logits are 1024"), wrongLength.err());
    }

    /**
     * run.c's greedy text and logits saved the way docs/export-from-pytorch.md says: the logits as
     * NumPy's .npy (and as safetensors), the tokens as a text file. The golden file then checks the
     * greedy continuation token for token as well as the logits.
     */
    @Test
    void greedyLogitsSavedAsNpyWithATokenFileConvertWithTheirTokens() throws Exception {
        Path model = TestData.fixture("models/stories260K/stories260K.bin");
        Llama2c.Checkpoint c = Llama2c.load(model);
        int vocab = c.spec().vocab();
        int n = 24;
        int[] tokens = new int[n];
        tokens[0] = 1;
        float[] logits = new float[n * vocab];
        float[] row = new float[vocab];
        try (DecodeRunner s = new CachedGenerator(new GenericTransformer(c.weights())).open(null, null, n, n)) {
            for (int t = 0; t < n; t++) {
                s.next(tokens[t], t, row);
                System.arraycopy(row, 0, logits, t * vocab, vocab);
                if (t + 1 < n) {
                    tokens[t + 1] = dev.unroll.runtime.transformer.Sampler.argmax(row);
                }
            }
        }
        Path npy = dir.resolve("logits.npy");
        Files.write(npy, npy(logits, n, vocab));
        StringBuilder text = new StringBuilder(); // " ".join(map(str, tokens)), as docs/export-from-pytorch.md writes it
        for (int t : tokens) {
            text.append(text.length() == 0 ? "" : " ").append(t);
        }
        Path tokenFile = Files.writeString(dir.resolve("tokens.txt"), text);
        Path out = dir.resolve("greedy.safetensors");
        Run r = unroll("golden", "llama2c", "--model", model.toString(), "--tokens-file", tokenFile.toString(), "--logits", npy.toString(), "-o",
                out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("a prompt of 1 tokens and the 24 tokens after it"), r.out());
        String report = passes(out, "PASS (2/2 tensors)");
        assertTrue(report.contains("PASS expected.tokens") && report.contains("n=24 "), report);
        Path st = dir.resolve("logits.safetensors");
        new SafetensorsWriter().add("logits", DType.F32, new long[] {n, vocab}, logits).add("other", DType.F32, new long[] {1}, new float[1]).write(st);
        converts("golden", "llama2c", "--model", model.toString(), "--tokens-file", tokenFile.toString(), "--logits", st.toString(), "-o",
                out.toString());
        passes(out, "PASS (2/2 tensors)");
        Run both = unroll("golden", "llama2c", "--model", model.toString(), "--tokens", "1,2", "--tokens-file", tokenFile.toString(), "--logits",
                npy.toString(), "-o", out.toString());
        assertEquals(2, both.code(), both.err());
    }

    /**
     * A compact model checked from a golden file: the descriptor's weights member ("BF16") picks the
     * generated BF16 layer, which reproduces the generic engine on the values BF16 stores; without it
     * the F32 kernel runs and fails by the rounding; a format no layer was generated for is an error.
     */
    @Test
    void aCompactModelIsCheckedFromItsGoldenFile() throws Exception {
        dev.unroll.runtime.attention.AttentionSpec spec = dev.unroll.examples.attention.CompactProjections_HawkBf16Layer.SPEC;
        dev.unroll.runtime.attention.AttentionWeights w = dev.unroll.runtime.attention.AttentionWeights.seeded(spec);
        dev.unroll.runtime.attention.GenericLinearAttention ref = new dev.unroll.runtime.attention.GenericLinearAttention(
                w.storedAs(dev.unroll.annotations.WeightFormat.BF16));
        int d = spec.width();
        int tokens = 12;
        float[] xs = new float[tokens * d];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (3 * Math.sin(0.37 * (i / d) + 0.11 * (i % d)));
        }
        float[] ys = new float[xs.length];
        ref.forward(ref.newState(), xs, tokens, ys);
        for (String format : List.of("BF16", "F32", "Q8")) {
            java.util.Map<String, Object> desc = new java.util.LinkedHashMap<>(spec.toJson());
            desc.put("weights", format);
            SafetensorsWriter g = new SafetensorsWriter().metadata("unroll.family", "linear-attention").metadata("unroll.descriptor", Json.write(desc));
            w.writeTo(g, DType.F32, "");
            Path f = dir.resolve("hawk-" + format + ".safetensors");
            g.add("input.x", DType.F32, new long[] {tokens, d}, xs).add("expected.y", DType.F32, new long[] {tokens, d}, ys).write(f);
            Run r = unroll("verify", f.toString());
            switch (format) {
                case "BF16" -> {
                    assertEquals(0, r.code(), r.out() + r.err());
                    assertTrue(r.out().contains("generated CompactProjections_HawkBf16Layer"), r.out());
                }
                case "F32" -> assertEquals(1, r.code(), r.out() + r.err());
                default -> {
                    assertEquals(3, r.code(), r.out() + r.err());
                    assertTrue(r.err().contains("weights Q8: no generated layer of @LinearAttention(mode = HAWK"), r.err());
                }
            }
        }
    }

    /** NumPy's .npy of a float32 [rows][cols] array, as np.save writes it (format 1.0, C order). */
    static byte[] npy(float[] values, int rows, int cols) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int len = dict.length() + 1;
        int pad = (64 - (10 + len) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** A trace of every network call of one supervision step, made with the generic engine, checked call by call against the generated model. */
    @Test
    void aTrmTraceConvertsIntoOneFileOfAllItsCalls() {
        TrmSpec spec = TinyTrms_MixerModel.SPEC;
        TrmWeights w = TrmWeights.seeded(spec);
        GenericTrm ref = new GenericTrm(w);
        int batch = 2;
        int[] tokens = new int[batch * spec.context()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 3 + 1) % spec.vocab();
        }
        float[] x = ref.embed(tokens, batch);
        int n = x.length;
        float[] y = ref.initialCarry(batch).y();
        float[] z = ref.initialCarry(batch).z();
        SafetensorsWriter trace = new SafetensorsWriter();
        w.writeTo(trace, "");
        long[] shape = {batch, spec.sequence(), spec.hidden()};
        trace.add("trace.x_embed", DType.F32, shape, x);
        int call = 0;
        float[] in = new float[n];
        for (int cycle = 0; cycle < spec.cycles(); cycle++) {
            for (int i = 0; i < spec.latentSteps(); i++) {
                for (int j = 0; j < n; j++) {
                    in[j] = (x[j] + y[j]) + z[j];
                }
                ref.network(in, batch, z);
                trace.add(String.format("trace.call%02d.out", ++call), DType.F32, shape, z.clone());
            }
            for (int j = 0; j < n; j++) {
                in[j] = y[j] + z[j];
            }
            ref.network(in, batch, y);
            trace.add(String.format("trace.call%02d.out", ++call), DType.F32, shape, y.clone());
        }
        Path tracePath = dir.resolve("trace.safetensors");
        trace.write(tracePath);
        Path out = dir.resolve("trm.safetensors");
        converts("golden", "trm-trace", tracePath.toString(), "--descriptor", Json.write(spec.toJson()), "--abs", "1e-4", "-o", out.toString());
        String report = passes(out, "generated TinyTrms_MixerModel");
        assertTrue(report.contains("PASS expected.network call 01") && report.contains("PASS expected.network call 06 ")
                && report.contains("n=" + n + " "), report);
        assertTrue(report.contains("worst of " + call + " calls: call "), report);
        // the descriptor's seed only says how seeded weights are drawn: the file carries its own (a seed-0 trace printed seed = 1)
        assertTrue(report.contains("weights from the file") && !report.contains("seed = "), report);
    }

    /** The seed model's own PyTorch trace (21 calls), when the shared reference data is at hand. */
    @Test
    void theSeedModelsTraceConverts() {
        Path trace = TestData.optional("golden/trm/trm_seed0.safetensors");
        Path out = dir.resolve("seed.safetensors");
        converts("golden", "trm-trace", trace.toString(), "--part", "calls", "-o", out.toString());
        String report = passes(out, "generated SudokuTrmModel");
        assertTrue(report.contains("worst of 21 calls: call ") && report.contains("the trace's seed 0"), report);
        assertTrue(!report.contains("seed = "), report);
    }

    /**
     * The check docs/trm.md recommends, one supervision step end to end of the well-conditioned model
     * (the seed's weights with the network scaled by 0.5), straight from the seed's file: its outputs,
     * with the weights from another file (the seed's file holds none).
     */
    @Test
    void theSeedModelsStepEndToEndConverts() {
        dev.unroll.runtime.trm.TrmGolden.require();
        Path weights = dir.resolve("scaled-weights.safetensors");
        try (dev.unroll.runtime.trm.TrmGolden g = new dev.unroll.runtime.trm.TrmGolden()) {
            SafetensorsWriter w = new SafetensorsWriter();
            g.weights().scaleNetwork(0.5f).writeTo(w, "");
            w.write(weights);
        }
        Path out = dir.resolve("step.safetensors");
        converts("golden", "trm-trace", TestData.optional("golden/trm/trm_seed0_netscale0.5.safetensors").toString(), "--weights", weights.toString(),
                "-o", out.toString());
        String report = passes(out, "PASS (4/4 tensors)");
        assertTrue(report.contains("PASS expected.logits") && report.contains("PASS expected.halt") && report.contains("PASS expected.y"), report);
    }

    /**
     * A step end to end saved the way docs/export-from-pytorch.md says (the state_dict, input.tokens and
     * the step's results under the names the seed exporter uses), made with the generic engine, checked
     * against the generated model.
     */
    @Test
    void aStepSavedEndToEndConverts() {
        TrmSpec spec = TinyTrms_MixerModel.SPEC;
        TrmWeights w = TrmWeights.seeded(spec);
        GenericTrm ref = new GenericTrm(w);
        int[] tokens = new int[2 * spec.context()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7 + 2) % spec.vocab();
        }
        dev.unroll.runtime.trm.TrmCarry c = ref.initialCarry(2);
        dev.unroll.runtime.trm.TrmStep s = ref.step(tokens, c);
        SafetensorsWriter f = new SafetensorsWriter();
        w.writeTo(f, "");
        long[] state = {2, spec.sequence(), spec.hidden()};
        f.add("input.tokens", DType.I32, new long[] {2, spec.context()}, tokens)
                .add("output.y_hat", DType.F32, new long[] {2, spec.context(), spec.vocab()}, s.logits())
                .add("output.q_hat", DType.F32, new long[] {2, spec.haltOutputs()}, s.halt())
                .add("output.y", DType.F32, state, c.y()).add("output.z", DType.F32, state, c.z());
        Path in = dir.resolve("step-saved.safetensors");
        f.write(in);
        Path out = dir.resolve("step-golden.safetensors");
        converts("golden", "trm-trace", in.toString(), "--descriptor", Json.write(spec.toJson()), "-o", out.toString());
        passes(out, "PASS (4/4 tensors)");
        Run none = unroll("golden", "trm-trace", in.toString(), "--descriptor", Json.write(spec.toJson()), "--part", "calls", "-o", out.toString());
        assertEquals(3, none.code(), none.err());
        assertTrue(none.err().contains("no trace of network calls (trace.call01.out, ...) to convert"), none.err());
    }

    /** A GLA call saved from "PyTorch" ([B,T,H,K], log gates) with its output computed by the layers' own recurrence code. */
    @Test
    void anFlaCallConverts() throws Exception {
        int t = 9;
        int h = 2;
        int k = 4;
        int v = 3;
        Random r = new Random(5);
        float[] q = new float[t * h * k];
        float[] kk = new float[t * h * k];
        float[] vv = new float[t * h * v];
        float[] gk = new float[t * h * k];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) r.nextGaussian();
            kk[i] = (float) r.nextGaussian();
            gk[i] = (float) -Math.log1p(Math.exp(-r.nextGaussian()));
        }
        for (int i = 0; i < vv.length; i++) {
            vv[i] = (float) r.nextGaussian();
        }
        double[] alpha = new double[gk.length];
        for (int i = 0; i < gk.length; i++) {
            alpha[i] = Math.exp(gk[i]);
        }
        double[] o = new double[t * h * v];
        double[] state = new double[h * k * v];
        LinearRecurrences.decayVector(new Dims(t, h, k, v), 1 / Math.sqrt(k), widen(q), widen(kk), widen(vv), alpha, state, o);
        Path call = dir.resolve("call.safetensors");
        new SafetensorsWriter().add("q", DType.F32, new long[] {1, t, h, k}, q).add("k", DType.F32, new long[] {1, t, h, k}, kk)
                .add("v", DType.F32, new long[] {1, t, h, v}, vv).add("gk", DType.F32, new long[] {1, t, h, k}, gk)
                .add("o", DType.F64, new long[] {1, t, h, v}, o).add("final_state", DType.F64, new long[] {1, h, k, v}, state).write(call);
        Path out = dir.resolve("fla.safetensors");
        converts("golden", "fla", call.toString(), "--op", "naive_recurrent_gla", "--output-final-state", "-o", out.toString());
        passes(out, "PASS (2/2 tensors)");
        o[5] += 1e-3;
        new SafetensorsWriter().add("q", DType.F32, new long[] {1, t, h, k}, q).add("k", DType.F32, new long[] {1, t, h, k}, kk)
                .add("v", DType.F32, new long[] {1, t, h, v}, vv).add("gk", DType.F32, new long[] {1, t, h, k}, gk)
                .add("o", DType.F64, new long[] {1, t, h, v}, o).write(call);
        converts("golden", "fla", call.toString(), "--op", "naive_recurrent_gla", "-o", out.toString());
        assertEquals(1, unroll("verify", out.toString()).code(), "a changed output fails");
        Run unknown = unroll("golden", "fla", call.toString(), "--op", "naive_gla", "-o", out.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--op naive_gla: not one of"), unknown.err());
    }

    /**
     * Several calls in one file, saved under fla's own names (h0, ht), with an out. prefix and a suffix
     * per call, inputs shared: one without an initial state, one with. Every call is checked; a final
     * state wrong by 1.0 fails (it used to pass, unread under the name ht).
     */
    @Test
    void aFileOfSeveralFlaCallsUnderFlasOwnNamesConverts() throws Exception {
        int t = 7;
        int h = 2;
        int k = 3;
        int v = 4;
        Random r = new Random(11);
        float[] q = gaussian(r, t * h * k);
        float[] kk = gaussian(r, t * h * k);
        float[] vv = gaussian(r, t * h * v);
        float[] gk = new float[t * h * k];
        float[] h0 = gaussian(r, h * k * v);
        double[] alpha = new double[gk.length];
        for (int i = 0; i < gk.length; i++) {
            gk[i] = (float) -Math.log1p(Math.exp(-r.nextGaussian()));
            alpha[i] = Math.exp(gk[i]);
        }
        Dims dims = new Dims(t, h, k, v);
        double[] o1 = new double[t * h * v];
        LinearRecurrences.decayVector(dims, 1 / Math.sqrt(k), widen(q), widen(kk), widen(vv), alpha, new double[h * k * v], o1);
        double[] o2 = new double[t * h * v];
        double[] ht = widen(h0);
        LinearRecurrences.decayVector(dims, 1 / Math.sqrt(k), widen(q), widen(kk), widen(vv), alpha, ht, o2);
        Path call = dir.resolve("calls.safetensors");
        long[] qs = {1, t, h, k};
        SafetensorsWriter w = new SafetensorsWriter().add("q", DType.F32, qs, q).add("k", DType.F32, qs, kk)
                .add("v", DType.F32, new long[] {1, t, h, v}, vv).add("gk", DType.F32, qs, gk)
                .add("out.o_no_h0", DType.F64, new long[] {1, t, h, v}, o1)
                .add("in.h0_with_h0", DType.F32, new long[] {1, h, k, v}, h0).add("out.o_with_h0", DType.F64, new long[] {1, t, h, v}, o2);
        w.add("out.ht_with_h0", DType.F64, new long[] {1, h, k, v}, ht).write(call);
        Path out = dir.resolve("calls.golden.safetensors");
        converts("golden", "fla", call.toString(), "--op", "naive_recurrent_gla", "-o", out.toString());
        String report = passes(out, "PASS (3/3 tensors)");
        assertTrue(report.contains("2 calls [no_h0, with_h0]") && report.contains("expected.final_state.with_h0"), report);
        assertTrue(report.contains("tolerance: the fla default where the file states none, scaled error (max |error| / max |expected|) <= 1e-05"),
                report);
        ht[3] += 1.0;
        new SafetensorsWriter().add("q", DType.F32, qs, q).add("k", DType.F32, qs, kk).add("v", DType.F32, new long[] {1, t, h, v}, vv)
                .add("gk", DType.F32, qs, gk).add("in.h0", DType.F32, new long[] {1, h, k, v}, h0).add("out.o", DType.F64, new long[] {1, t, h, v}, o2)
                .add("out.ht", DType.F64, new long[] {1, h, k, v}, ht).write(call);
        converts("golden", "fla", call.toString(), "--op", "naive_recurrent_gla", "-o", out.toString());
        Run wrong = unroll("verify", out.toString());
        assertEquals(1, wrong.code(), wrong.out());
        assertTrue(wrong.out().contains("FAIL expected.final_state") && wrong.out().contains("PASS expected.o"), wrong.out());
        Run eps = unroll("golden", "fla", call.toString(), "--op", "naive_recurrent_gla", "--eps", "1e-6", "-o", out.toString());
        assertEquals(2, eps.code());
        assertTrue(eps.err().contains("--eps: naive_recurrent_gla takes no eps (its scalar arguments: output_final_state)"), eps.err());
    }

    /**
     * A float32 reference of large values (outputs in the thousands, a few ulps off the f64 result as
     * float32 arithmetic leaves them) passes the fla default, the scaled error, although its absolute
     * error is far above 1e-5 (the old absolute default, which failed mLSTM's h at 1.14e-5); the
     * report states the default, and an absolute 1e-5, stated, fails it.
     */
    @Test
    void flaFilesAreJudgedByTheScaledErrorWhateverTheMagnitude() throws Exception {
        int t = 9;
        int h = 2;
        int k = 4;
        int v = 3;
        Random r = new Random(17);
        float[] q = gaussian(r, t * h * k);
        float[] kk = gaussian(r, t * h * k);
        float[] vv = gaussian(r, t * h * v);
        for (int i = 0; i < vv.length; i++) {
            vv[i] *= 10_000f;
        }
        float[] gk = new float[t * h * k];
        double[] alpha = new double[gk.length];
        for (int i = 0; i < gk.length; i++) {
            gk[i] = (float) -Math.log1p(Math.exp(-r.nextGaussian()));
            alpha[i] = Math.exp(gk[i]);
        }
        double[] o = new double[t * h * v];
        LinearRecurrences.decayVector(new Dims(t, h, k, v), 1 / Math.sqrt(k), widen(q), widen(kk), widen(vv), alpha, new double[h * k * v], o);
        float[] o32 = new float[o.length]; // as float32 arithmetic leaves them: a few ulps off the f64 result
        for (int i = 0; i < o.length; i++) {
            o32[i] = i % 2 == 0 ? (float) o[i] : Math.nextUp(Math.nextUp((float) o[i]));
        }
        long[] qs = {1, t, h, k};
        Path call = dir.resolve("large.safetensors");
        new SafetensorsWriter().add("q", DType.F32, qs, q).add("k", DType.F32, qs, kk).add("v", DType.F32, new long[] {1, t, h, v}, vv)
                .add("gk", DType.F32, qs, gk).add("o", DType.F32, new long[] {1, t, h, v}, o32).write(call);
        Path out = dir.resolve("large.golden.safetensors");
        converts("golden", "fla", call.toString(), "--op", "naive_recurrent_gla", "-o", out.toString());
        String report = passes(out, "PASS (1/1 tensors)");
        assertTrue(report.contains("tolerance: the fla default where the file states none, scaled error (max |error| / max |expected|) <= 1e-05"),
                report);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("PASS expected\\.o\\s+n=\\d+\\s+max abs (\\S+)").matcher(report);
        assertTrue(m.find(), report);
        assertTrue(Double.parseDouble(m.group(1)) > 1e-5, () -> "the case needs an absolute error above 1e-5:\n" + report);
        Run absolute = unroll("golden", "fla", call.toString(), "--op", "naive_recurrent_gla", "--abs", "1e-5", "-o", out.toString());
        assertEquals(0, absolute.code(), absolute.err());
        assertEquals(1, unroll("verify", out.toString()).code(), "an absolute 1e-5, stated, still fails it");
    }

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
