package dev.unroll.examples.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.Unroll;
import dev.unroll.cli.verify.AttentionVerifier;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.TrmVerifier;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.trm.TrmGolden;
import dev.unroll.runtime.trm.TrmWeights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Converts the shared golden files to Unroll's golden format (writing the metadata they lack; the
 * shared files are only read) into {@code target/golden}, then runs {@code unroll verify} on them
 * with the generated kernels on the class path:
 * <ul>
 *   <li>{@code trm_netscale0.5.safetensors}: the seed weights with the network matrices halved (the
 *       shared file holds no parameters), its tokens, and its outputs, checked end to end;
 *   <li>{@code trm_call21.safetensors}: the seed weights and the last network call teacher-forced;
 *   <li>{@code rwkv7.amp.safetensors}: a linear-attention reference file.
 * </ul>
 */
class GoldenConversionTest {
    static final Path OUT = Path.of("target", "golden");

    private static boolean trmConverted;

    @BeforeAll
    static void convert() throws IOException {
        Files.createDirectories(OUT);
        ReferenceGolden att = ReferenceGolden.read(TestData.fixture("golden/attention/rwkv7.amp.json"));
        AttentionVerifier.toGoldenFile(att, new dev.unroll.cli.verify.Tolerance(0, 1e-12)).write(OUT.resolve("rwkv7.amp.safetensors"));
    }

    /** Converts the TRM files once; skips the calling test when the TRM references are not at hand. */
    static synchronized void convertTrm() {
        if (trmConverted) {
            return;
        }
        try (TrmGolden g = new TrmGolden()) {
            TrmWeights seed = g.weights();
            SafetensorsWriter scaled = trmHeader("golden/trm/trm_seed0_netscale0.5.safetensors (weights: trm_seed0 with network.* x 0.5)",
                    Map.of("default", Map.of("abs", 2e-4, "rel", 0.0), "expected.halt", Map.of("abs", 1e-6, "rel", 0.0)));
            seed.scaleNetwork(0.5f).writeTo(scaled, "");
            scaled.add("input.tokens", DType.I32, new long[] {4, 81}, g.scaled.ints("input.tokens"));
            scaled.add("expected.logits", DType.F32, new long[] {4, 81, 11}, g.scaled.floats("output.y_hat"));
            scaled.add("expected.halt", DType.F32, new long[] {4, 1}, g.scaled.floats("output.q_hat"));
            scaled.add("expected.y", DType.F32, new long[] {4, 82, 512}, g.scaled.floats("output.y"));
            scaled.add("expected.z", DType.F32, new long[] {4, 82, 512}, g.scaled.floats("output.z"));
            scaled.write(OUT.resolve("trm_netscale0.5.safetensors"));

            SafetensorsWriter call = trmHeader("golden/trm/trm_seed0.safetensors, network call 21 teacher-forced",
                    Map.of("default", Map.of("abs", 2e-3, "rel", 0.0)));
            seed.writeTo(call, "");
            call.add("input.network", DType.F32, new long[] {4, 82, 512}, g.callInput(21));
            call.add("expected.network", DType.F32, new long[] {4, 82, 512}, g.file.floats("trace.call21.out"));
            call.write(OUT.resolve("trm_call21.safetensors"));
        }
        trmConverted = true;
    }

    static SafetensorsWriter trmHeader(String source, Map<String, Object> tolerance) {
        return new SafetensorsWriter()
                .metadata(GoldenFile.FORMAT, "1")
                .metadata(GoldenFile.FAMILY, TrmVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(TrmGolden.SPEC.toJson()))
                .metadata(GoldenFile.TOLERANCE, Json.write(tolerance))
                .metadata(GoldenFile.SOURCE, source);
    }

    static String verify(int expectedCode, String... files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("verify"));
        args.addAll(List.of(files));
        int code = Unroll.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, text);
        return text;
    }

    @Test
    void convertedFilesCarryTheirMetadata() {
        convertTrm();
        try (SafetensorsFile f = SafetensorsFile.open(OUT.resolve("trm_netscale0.5.safetensors"))) {
            GoldenFile g = GoldenFile.of(f);
            assertEquals("trm", g.family());
            assertEquals(512L, g.descriptor().get("hidden"));
        }
    }

    @Test
    void verifyPassesTheConvertedAttentionFileWithTheGeneratedKernels() {
        String text = verify(0, OUT.resolve("rwkv7.amp.safetensors").toString());
        assertTrue(text.contains("generated Rwkv7_D16F64Layer"), text);
        assertTrue(text.contains("PASS (4/4 tensors)"), text);
    }

    @Test
    void verifyPassesTheConvertedTrmFilesWithTheGeneratedKernels() {
        convertTrm();
        String text = verify(0, OUT.resolve("trm_netscale0.5.safetensors").toString(), OUT.resolve("trm_call21.safetensors").toString());
        assertTrue(text.contains("generated SudokuTrmModel"), text);
        assertTrue(text.contains("PASS expected.logits"), text);
        assertTrue(text.contains("PASS expected.network"), text);
        assertTrue(text.contains("all files PASS"), text);
    }
}
