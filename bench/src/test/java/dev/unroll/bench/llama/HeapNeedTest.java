package dev.unroll.bench.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.transformer.TransformerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A model loads under a heap just above its stated need and decodes; under a clearly smaller heap it
 * fails with the memory budget's one-line error, not an {@link OutOfMemoryError}. The stated need is
 * {@link GeneratedTransformer#residentBytes} (what a model read tensor by tensor keeps, the chunk of
 * rows in flight and one sequence's KV caches), checked against what is left of the default budget
 * ({@link Limits#defaultBudget()}: the heap less a quarter of it, at most {@value Limits#RESERVE_MIB}
 * MiB) beside what the child already holds (a few MiB: the margin). The checkpoint is stories15M's shape with seeded
 * weights, written here, read in Q8 and in F32 (SIMD panels, the tied table packed a chunk at a time).
 */
class HeapNeedTest {
    private static final long MIB = 1 << 20;
    /** above the stated heap need: the passing run's margin */
    private static final long MARGIN_MIB = 8;
    /** below it: the failing run's shortfall */
    private static final long SHORT_MIB = 16;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"Q8", "F32"})
    void aModelLoadsJustAboveItsStatedNeedAndFailsCleanlyBelow(WeightFormat format) throws Exception {
        Path model = dir.resolve("stories15M-seeded.bin");
        SeededCheckpoint.writeModel(SeededCheckpoint.shape("15M"), 42, model);
        TransformerSpec spec = SeededShapes.of("15M");
        long need = GeneratedTransformer.residentBytes(spec, format);
        // the smallest heap whose budget, max(3/4 heap, heap - reserve), holds the need
        long heapNeedMib = (Math.min((need * 4 + 2) / 3, need + ((long) Limits.RESERVE_MIB << 20)) + MIB - 1) / MIB;

        Run ok = run(model, format, heapNeedMib + MARGIN_MIB);
        assertEquals(0, ok.code, () -> "-Xmx" + (heapNeedMib + MARGIN_MIB) + "m (need " + need + " bytes):\n" + ok.out + ok.err);
        assertTrue(ok.out.contains("decoded 4 tokens"), ok.out);
        assertFalse(ok.err.contains("OutOfMemoryError"), ok.err);

        Run low = run(model, format, heapNeedMib - SHORT_MIB);
        assertEquals(3, low.code, () -> "-Xmx" + (heapNeedMib - SHORT_MIB) + "m:\n" + low.out + low.err);
        List<String> lines = low.err.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING")).toList();
        assertEquals(1, lines.size(), low.err);
        assertTrue(lines.get(0).contains("more than the memory budget"), lines.get(0));
        assertFalse(low.err.contains("OutOfMemoryError"), low.err);
    }

    private record Run(int code, String out, String err) {}

    private Run run(Path model, WeightFormat format, long xmxMib) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + format + "-" + xmxMib);
        Path err = dir.resolve("err-" + format + "-" + xmxMib);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmxMib + "m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), HeapNeedChild.class.getName(), model.toString(),
                format.name(), "4").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("-Xmx" + xmxMib + "m: no exit within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
