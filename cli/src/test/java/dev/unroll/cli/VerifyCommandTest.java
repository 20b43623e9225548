package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.verify.AttentionVerifier;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.Tolerance;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher and {@code verify}, through the generic engine (no generated kernels in this module). */
class VerifyCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void verifiesAReferenceJsonFile() {
        Run r = run("verify", TestData.fixture("golden/attention/gated_deltanet_pertoken.amp.json").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("generic engine"), r.out());
        assertTrue(r.out().contains("PASS expected.y"), r.out());
        assertTrue(r.out().contains("PASS (4/4 tensors)"), r.out());
    }

    @Test
    void verifiesAConvertedGoldenFileAndFailsATightenedOne() throws Exception {
        ReferenceGolden g = ReferenceGolden.read(TestData.fixture("golden/attention/rwkv7.amp.json"));
        Path ok = dir.resolve("rwkv7.safetensors");
        AttentionVerifier.toGoldenFile(g, new Tolerance(0, 1e-12)).write(ok);
        Run r = run("verify", "--generic", ok.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*PASS expected\\.final_state\\s+n=64 .*"), r.out());

        Path strict = dir.resolve("strict.safetensors");
        AttentionVerifier.toGoldenFile(g, new Tolerance(0, 0)).write(strict);
        Run f = run("verify", "--generic", strict.toString(), ok.toString());
        assertEquals(ExitCodes.CHECK_FAILED, f.code(), f.out());
        assertTrue(f.out().contains("some files FAIL"), f.out());
    }

    /** Expected rows for every 3rd token only, listed in expected.y.index: those rows are compared, and a wrong one fails. */
    @Test
    void verifiesExpectationsForASubsetOfTokens() throws Exception {
        ReferenceGolden g = ReferenceGolden.read(TestData.fixture("golden/attention/gla.json"));
        int d = g.spec().width();
        int[] index = {0, 3, 6, 9, 12};
        double[] every = g.outputs();
        double[] subset = new double[index.length * d];
        for (int i = 0; i < index.length; i++) {
            System.arraycopy(every, index[i] * d, subset, i * d, d);
        }
        Run ok = run("verify", "--generic", subsetFile("subset.safetensors", g, index, subset).toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().matches("(?s).*PASS expected\\.y\\s+n=" + index.length * d + " .*"), ok.out());
        subset[2 * d + 1] += 1e-3;
        Run wrong = run("verify", "--generic", subsetFile("wrong.safetensors", g, index, subset).toString());
        assertEquals(ExitCodes.CHECK_FAILED, wrong.code(), wrong.out());
        Run unordered = run("verify", "--generic", subsetFile("unordered.safetensors", g, new int[] {0, 3, 3, 9, 12}, subset).toString());
        assertEquals(ExitCodes.BAD_INPUT, unordered.code(), unordered.out());
        assertTrue(unordered.err().contains("expected.y.index[2] = 3: indices must ascend"), unordered.err());
    }

    private Path subsetFile(String name, ReferenceGolden g, int[] index, double[] subset) {
        int d = g.spec().width();
        SafetensorsWriter w = new SafetensorsWriter().metadata(GoldenFile.FAMILY, AttentionVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(g.spec().toJson())).metadata(GoldenFile.TOLERANCE, "{\"default\":{\"rel\":1e-12}}");
        AttentionWeights.load(g.spec(), g.weights()).writeTo(w, DType.F64, "");
        w.add("input.x", DType.F64, new long[] {g.tokens(), d}, g.inputs());
        w.add("expected.y", DType.F64, new long[] {index.length, d}, subset);
        w.add("expected.y.index", DType.I32, new long[] {index.length}, index);
        Path p = dir.resolve(name);
        w.write(p);
        return p;
    }

    /**
     * A reference file with weight digests instead of weights (SHA-256 of the values as f32, made here
     * from the fixture's own weights): regenerated from the seed, checked, then compared.
     */
    @Test
    @SuppressWarnings("unchecked")
    void verifiesADigestOnlyReferenceFile() throws Exception {
        Map<String, Object> root = Json.asObject(Json.parseFile(TestData.fixture("golden/attention/gla.json")), "gla.json");
        Map<String, Object> digests = new LinkedHashMap<>();
        java.security.MessageDigest all = java.security.MessageDigest.getInstance("SHA-256");
        for (Object o : (List<Object>) root.remove("weights")) {
            Map<String, Object> t = (Map<String, Object>) o;
            double[] values = Json.flatDoubles(t.get("data"), "data");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                b.putFloat((float) v);
            }
            all.update(b.array());
            digests.put((String) t.get("name"), java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b.array())));
        }
        root.put("weights_digest", digests);
        Path named = dir.resolve("named.json");
        Files.writeString(named, Json.write(root));
        Run ok = run("verify", "--generic", named.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("PASS (4/4 tensors)"), ok.out());

        root.put("weights_digest", java.util.HexFormat.of().formatHex(all.digest()));
        Path one = dir.resolve("one.json");
        Files.writeString(one, Json.write(root));
        assertEquals(0, run("verify", "--generic", one.toString()).code());

        digests.put("heads.1.w_query", "00" + ((String) digests.get("heads.1.w_query")).substring(2));
        root.put("weights_digest", digests);
        Path wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, Json.write(root));
        Run bad = run("verify", "--generic", wrong.toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.out());
        assertTrue(bad.err().contains("weights_digest of tensor 'heads.1.w_query' is 00") && bad.err().contains("regenerated from seed 42"), bad.err());

        root.remove("weights_digest");
        root.remove("outputs");
        Path lacking = dir.resolve("lacking.json");
        Files.writeString(lacking, Json.write(root));
        Run miss = run("verify", lacking.toString());
        assertEquals(ExitCodes.BAD_INPUT, miss.code());
        assertTrue(miss.err().contains("it lacks outputs, weights (or weights_digest)"), miss.err());
    }

    @Test
    void reportsUsageAndInputErrorsWithoutStackTraces() throws Exception {
        assertEquals(ExitCodes.USAGE, run().code());
        assertEquals(ExitCodes.USAGE, run("frobnicate").code());
        Run none = run("verify");
        assertEquals(ExitCodes.USAGE, none.code());
        assertTrue(none.err().contains("Missing required parameter: 'FILE'"), none.err());
        Run missing = run("verify", dir.resolve("nope.safetensors").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        Run bad = run("verify", junk.toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(!bad.err().contains("\tat "), "no stack trace without --debug: " + bad.err());
        assertTrue(run("verify", "--help").out().startsWith("usage: unroll verify"));
        assertEquals(0, run("--help").code());
    }
}
