package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scalar kernel class the processor emits for the shipped example descriptors (all twelve
 * attention modes and their variants, both TRM variants, the transformer with and without a recurrent
 * pass), compiled with tornado-api visible, stays inside the subset TornadoVM compiles; and the checker
 * itself catches each kind of violation.
 */
class KernelSubsetTest {
    private static Compilation examples;

    @BeforeAll
    static void compileExamples() throws IOException {
        List<JavaFileObject> sources = new ArrayList<>();
        Path root = Paths.get("../generated-examples/src/main/java/dev/unroll/examples");
        for (String pkg : List.of("attention", "trm", "transformer")) {
            try (Stream<Path> files = Files.list(root.resolve(pkg))) {
                for (Path f : files.sorted().toList()) {
                    if (!f.getFileName().toString().equals("package-info.java")) {
                        sources.add(JavaFileObjects.forSourceString(qualified(f), Files.readString(f)));
                    }
                }
            }
        }
        // the examples' resources (a config.json one descriptor names) on the source path, where Maven's copy to the class output puts them
        examples = Compile.compileWithTornado(List.of("-sourcepath", Paths.get("../generated-examples/src/main/resources").toString()), sources.toArray(JavaFileObject[]::new));
        assertThat(examples).succeeded();
    }

    private static String qualified(Path f) {
        String pkg = f.getParent().getFileName().toString();
        String name = f.getFileName().toString();
        return "dev.unroll.examples." + pkg + "." + name.substring(0, name.length() - ".java".length());
    }

    @Test
    void everyGeneratedScalarKernelIsInTheTornadoSubset() {
        int checked = 0;
        List<String> problems = new ArrayList<>();
        for (JavaFileObject f : examples.generatedSourceFiles()) {
            String name = f.getName();
            // the GPU-shaped KernelContext kernels follow TornadoVM's other model; they are checked on the device
            if (name.endsWith("Kernels.java") && !name.endsWith("SimdKernels.java") && !name.endsWith("GpuKernels.java")) {
                // BF16 rows widen with Float.intBitsToFloat, which the subset does not promise: the TornadoVM
                // backend computes a compact descriptor with its matrices' F32 values (GeneratedTransformer.matrix)
                KernelSubsetChecker.check(f).stream()
                        .filter(p -> !p.matches(".*\\.rowsBf16_\\d+x\\d+: call to Float\\.intBitsToFloat \\(virtual or foreign\\)"))
                        .forEach(problems::add);
                checked++;
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked >= 40, "checked " + checked + " kernel classes");
    }

    @Test
    void checkerCatchesEachViolation() {
        String bad = String.join("\n",
                "package x;",
                "class Bad {",
                "    int state;",
                "    void instance(Object o) {}",
                "    static void alloc(float[] a, int n) { float[] t = new float[n]; Object o = new Object(); }",
                "    static void exceptions() { try { throw new RuntimeException(\"x\"); } catch (RuntimeException e) {} }",
                "    static void loops(float[] a, int n) { int i = 0; while (i < n) { i++; } for (int j = 0; j <= n; j += a.length) {} }",
                "    static void parallel(float[] a) {",
                "        for (@Parallel int i = 1; i < 4; i++) {}",
                "        for (@Parallel int k = 0; k < 4; k++) { a[k] = 0; for (@Parallel int l = 0; l < 4; l++) {} }",
                "    }",
                "    static void calls(float[] a) { a.clone(); Runnable r = () -> {}; System.out.println(a); recurse(); }",
                "    static void recurse() { calls(null); }",
                "    static int early(float[] a) { for (int i = 0; i < 4; i++) { if (a[i] > 0) { return i; } if (a[i] < 0) { break; } continue; } return -1; }",
                "}");
        List<String> problems = KernelSubsetChecker.check(JavaFileObjects.forSourceString("x.Bad", bad));
        List<String> expected = List.of(
                "Bad: class is not final",
                "Bad.state: fields must be static final primitives",
                "Bad.instance: not static",
                "Bad.instance: parameter o of type Object",
                "Bad.alloc: array allocation of non-constant size: new float[n]",
                "Bad.alloc: object allocation: new Object()",
                "Bad.exceptions: try",
                "Bad.exceptions: throw",
                "Bad.exceptions: object allocation: new RuntimeException(\"x\")",
                "Bad.exceptions: string literal",
                "Bad.loops: while loop",
                "Bad.loops: loop j: condition must be j < bound",
                "Bad.loops: loop j: step must be j++ or j += constant",
                "Bad.parallel: @Parallel loop i does not start at 0",
                "Bad.parallel: two @Parallel nests in one method (TornadoVM maps one nest per task)",
                "Bad.parallel: @Parallel loop l is not perfectly nested",
                "Bad.calls: call to a.clone (virtual or foreign)",
                "Bad.calls: lambda",
                "Bad.calls: call to System.out.println (virtual or foreign)",
                "Bad.calls: recursive",
                "Bad.recurse: recursive",
                "Bad.early: return inside a loop",
                "Bad.early: break",
                "Bad.early: continue");
        for (String e : expected) {
            assertTrue(problems.contains(e), "missing: " + e + " in " + problems);
        }
    }
}
