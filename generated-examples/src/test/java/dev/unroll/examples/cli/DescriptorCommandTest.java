package dev.unroll.examples.cli;

import static dev.unroll.examples.cli.CliRun.unroll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.cli.CliRun.Result;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.TransformerSpec;
import java.io.StringWriter;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code unroll descriptor config.json}: the printed interface compiles under the processor, without a
 * warning, into a model whose descriptor is the one the file describes; refused files are one line, exit 3.
 */
class DescriptorCommandTest {
    @TempDir
    Path dir;


    /** SmolLM2 as written out; Llama 3.2 with its rope_scaling members; Qwen2.5 with qkvBias; Qwen3 with qkNorm and headDim. */
    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m", "llama-3.2-1b", "qwen2.5-0.5b", "qwen3-0.6b"})
    void thePrintedDescriptorGeneratesTheModelTheConfigDescribes(String name) throws Exception {
        Path config = TestData.fixture("configs/" + name + ".json");
        Result r = unroll("descriptor", config.toString(), "--package", "acme.models", "--name", "Smol");
        assertEquals(0, r.code(), r.err());
        Path src = dir.resolve("src/acme/models/Smol.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, r.out());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"), "--release", "17",
                    "-Xlint:all,-processing", "-Werror");
            assertTrue(javac.getTask(log, files, null, options, null, files.getJavaFileObjectsFromPaths(List.of(src))).call(), log + "\n" + r.out());
        }
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Object spec = loader.loadClass("acme.models.SmolModel").getField("SPEC").get(null);
            assertEquals(HfConfig.read(config), spec);
            assertEquals(name.startsWith("smol") ? 30 : name.startsWith("llama") ? 16 : name.startsWith("qwen2") ? 24 : 28,
                    ((TransformerSpec) spec).layers());
            assertEquals(name.startsWith("qwen2"), ((TransformerSpec) spec).qkvBias());
            assertEquals(name.startsWith("qwen3") ? 2048 : ((TransformerSpec) spec).width(), ((TransformerSpec) spec).queryWidth());
            assertEquals(name.startsWith("llama") ? 32.0 : 1.0, ((TransformerSpec) spec).ropeScaling());
        }
    }

    @Test
    void theNameComesFromTheModelsFolderAndRefusalsAreOneLine() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("SmolLM2-135M"));
        Path config = Files.copy(TestData.fixture("configs/smollm2-135m.json"), folder.resolve("config.json"));
        Result r = unroll("descriptor", config.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("public interface SmolLM2_135M {}"), r.out());
        assertTrue(r.out().contains("rope = RopeLayout.HALF_SPLIT)"), r.out());
        r.out().lines().forEach(l -> assertTrue(l.length() <= 100, l));
        Path yarn = Files.writeString(dir.resolve("yarn.json"), Files.readString(TestData.fixture("configs/qwen3-0.6b.json"))
                .replace("\"rope_scaling\": null", "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}"));
        Result refused = unroll("descriptor", yarn.toString());
        assertEquals(3, refused.code());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("rope_scaling {\"rope_type\":\"yarn\",\"factor\":4.0} is not supported"), refused.err());
        Result badName = unroll("descriptor", config.toString(), "--name", "class");
        assertEquals(2, badName.code());
        assertTrue(badName.err().contains("--name class: not a Java identifier"), badName.err());
    }
}
