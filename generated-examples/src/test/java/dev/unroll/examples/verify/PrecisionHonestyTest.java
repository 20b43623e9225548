package dev.unroll.examples.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.cli.Unroll;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify never checks an F64 file with an F32 kernel: it runs the generic engine at F64 and says why. */
class PrecisionHonestyTest {
    @TempDir
    Path dir;

    @Test
    void anF64FileWithOnlyAnF32KernelRunsTheGenericEngineAtF64AndSaysSo() {
        AttentionSpec spec = AttentionSpec.builder(AttentionMode.GLA, 64).precision(Precision.F64).build();
        assertEquals(Precision.F32, KernelRegistry.linearAttention(spec).orElseThrow().spec().precision(), "the examples hold GLA width 64 at F32 only");
        AttentionWeights w = AttentionWeights.seeded(spec);
        int tokens = 5;
        double[] xs = new double[tokens * 64];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Math.sin(0.1 * i);
        }
        double[] ys = new double[xs.length];
        GenericLinearAttention layer = new GenericLinearAttention(w);
        layer.forward(layer.newState(), xs, tokens, ys);
        SafetensorsWriter g = new SafetensorsWriter().metadata(GoldenFile.FAMILY, "linear-attention").metadata(GoldenFile.DESCRIPTOR, Json.write(spec.toJson()));
        w.writeTo(g, DType.F64, "");
        Path file = dir.resolve("gla64f64.safetensors");
        g.add("input.x", DType.F64, new long[] {tokens, 64}, xs).add("expected.y", DType.F64, new long[] {tokens, 64}, ys).write(file);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Unroll.run(List.of("verify", file.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("generic engine") && text.contains("at F64 (the generated kernel on the class path is F32 only"), text);
        assertTrue(text.contains("tol abs 0e+00 / rel 1e-12"), "the F64 tolerance applies: " + text);
    }
}
