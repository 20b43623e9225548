package dev.unroll.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The processor tests run on JDK 17 against a stand-in for TornadoVM's API, because the real jar is
 * class-file version 69. These tests tie the stand-in to the real jar of the SDK at hand: its signatures
 * are the real ones, and the processor emits, against the real jar, exactly the golden TornadoVM sources
 * the processor tests pin against the stand-in.
 */
class RealApiTest {
    @Test
    void theStandInDeclaresTheRealSignatures() throws IOException {
        TornadoEnvironment env = TornadoEnvironment.require();
        Path stubs = TornadoEnvironment.repository().resolve("processor/src/test/resources/tornado-api-stub");
        Path out = Path.of("target", "tornadovm", "stand-in").toAbsolutePath();
        RealApiCompiler.deleteTree(out);
        Files.createDirectories(out);
        List<String> cmd = new ArrayList<>(List.of(env.javac().toString(), "--release", "17", "-proc:none", "-d", out.toString()));
        RealApiCompiler.javaFiles(stubs).forEach(p -> cmd.add(p.toString()));
        TornadoEnvironment.Run javac = TornadoEnvironment.run(cmd, Path.of("target", "tornadovm", "stand-in-javac.log").toAbsolutePath(), 300);
        assertEquals(0, javac.code(), javac.output());

        TornadoEnvironment.Run r = TornadoEnvironment.run(List.of(env.java().toString(), "-cp", RealApiCompiler.testClasspath(),
                SignatureCompare.class.getName(), out.toString(), env.apiJar.toString()), Path.of("target", "tornadovm", "signatures.log").toAbsolutePath(), 300);
        System.out.println("[TornadoVM] stand-in against " + env.apiJar.getFileName() + ": " + r.output().strip().replace('\n', ' '));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("CHECKED "), r.output());
    }

    @Test
    void theRealApiGivesTheGoldenTornadoSources() throws IOException {
        TornadoEnvironment env = TornadoEnvironment.require();
        Path repo = TornadoEnvironment.repository();
        Path src = Path.of("target", "tornadovm", "tiny-src", "test", "Tiny.java").toAbsolutePath();
        Files.createDirectories(src.getParent());
        // the processor tests' RETNET descriptor (GoldenSourceTest), as a file
        Files.writeString(src, String.join("\n", "package test;", "", "import dev.unroll.annotations.*;", "",
                "@LinearAttention(mode = AttentionMode.RETNET, width = 8, heads = 2)", "interface Tiny {}", ""));
        Path generated = RealApiCompiler.compile(env, List.of(src), Path.of("target", "tornadovm", "tiny").toAbsolutePath(), null);
        // the TornadoVM kernels and the glue as pinned against the stand-in, and the plain kernels as pinned without tornado-api
        for (String name : List.of("tornado/TinyTornadoKernels", "tornado/TinyTornado", "TinyKernels")) {
            Path golden = repo.resolve("processor/src/test/resources/golden/" + name + ".java.txt");
            assertEquals(Files.readString(golden, StandardCharsets.UTF_8), Files.readString(generated.resolve("test/" + name.substring(name.indexOf('/') + 1) + ".java"), StandardCharsets.UTF_8),
                    name + " emitted against the real API differs from " + golden);
        }
    }
}
