package dev.unroll.examples.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels give the same bits interpreted and C2-compiled. {@code VectorOperators.EXP} did
 * not (Math.exp per lane before C2, SVML after), which made a stream's output depend on what had run
 * before it; the kernels now use their own lane-arithmetic exp.
 */
class JitTierDeterminismTest {
    @Test
    void interpretedAndCompiledKernelsAgreeBitForBit() throws IOException, InterruptedException {
        for (int i = 0; i < 300; i++) {
            TierProbe.probe();
        }
        List<String> compiled = TierProbe.probe();
        assertTrue(compiled.get(0).contains("SIMD"), compiled.get(0));

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xint", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                TierProbe.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "interpreted probe timed out");
        assertEquals(0, p.exitValue(), out);
        List<String> interpreted = out.lines().toList();
        assertEquals(compiled.size(), interpreted.size(), out);
        List<String> differing = new java.util.ArrayList<>();
        for (int i = 0; i < compiled.size(); i++) {
            String[] a = compiled.get(i).split(" ");
            String[] b = interpreted.get(i).split(" ");
            int first = -1;
            int count = 0;
            for (int j = 0; j < a.length; j++) {
                if (!a[j].equals(b[j])) {
                    first = first < 0 ? j : first;
                    count++;
                }
            }
            if (count > 0) {
                differing.add(compiled.get(i).substring(0, compiled.get(i).indexOf(" (")) + ": " + count + " values differ, first at word " + first);
            }
        }
        assertEquals(List.of(), differing, "interpreted vs C2-compiled bits");
    }
}
