package dev.unroll.examples.cli;

import static dev.unroll.examples.cli.CliRun.unroll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.cli.CliRun.Result;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.gguf.GgmlType;
import dev.unroll.runtime.gguf.GgufBytes;
import dev.unroll.runtime.gguf.GgufFile;
import dev.unroll.runtime.gguf.GgufModel;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unroll run transformer --model FILE.gguf}: llama.cpp's Q8_0 stories260K runs on the generated
 * model of its shape and prints the text its own vocabulary gives (the same as llama2.c's tokenizer
 * file); a file without a vocabulary prints ids; a broken file is one line, exit 3.
 */
class GgufRunTest {
    @TempDir
    Path dir;

    @Test
    void llamaCppsQ8FileGeneratesTheTextOfItsWeightsThroughItsOwnVocabulary() {
        Path file = TestData.fixture("gguf/stories260K-q8_0.gguf");
        Result r = unroll("run", "transformer", "--model", file.toString(), "--prompt", "Once upon a time", "--tokens", "30");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("runs:   generated Stories260KModel"), r.out());
        try (GgufFile f = GgufFile.open(file)) {
            TransformerSpec spec = GgufModel.spec(f);
            TransformerWeights w = TransformerWeights.load(spec, GgufModel.tensors(f, spec));
            Tokenizer own = GgufModel.tokenizer(f).orElseThrow();
            Tokenizer tok512 = Tokenizer.load(TestData.fixture("models/stories260K/tok512.bin"), 512);
            int[] prompt = own.encode("Once upon a time", true, false);
            assertArrayEquals(tok512.encode("Once upon a time", true, false), prompt, "the file's vocabulary is llama2.c's tok512");
            int[] tokens = new CachedGenerator(new GenericTransformer(w)).generate(Generation.greedy(prompt, 30).withStopTokens(Set.of(Tokenizer.BOS))).tokens();
            // the result's tokens are the prompt's, then the new ones
            String text = own.decode(tokens);
            assertTrue(r.out().contains(text.strip()), r.out() + "\nwant: " + text);
        }
    }

    @Test
    void aFileWithoutAVocabularyPrintsIdsAndABrokenOneIsOneLine() throws IOException {
        TransformerSpec spec = TransformerSpec.builder(1, 32, 2, 32, 8, 16).set(TransformerSpec.KV_HEADS, 1).build();
        TransformerWeights w = TransformerWeights.seeded(spec, 3);
        Path file = Files.write(dir.resolve("tiny.gguf"), GgufBytes.llama(spec, w, n -> GgmlType.Q4_0));
        Result ids = unroll("run", "transformer", "--model", file.toString(), "--tokens", "5", "--no-stop");
        assertEquals(0, ids.code(), ids.err());
        assertTrue(ids.out().contains("tokenizer: none in the file Unroll reads"), ids.out());
        Result prompt = unroll("run", "transformer", "--model", file.toString(), "--prompt", "hi");
        assertEquals(2, prompt.code(), prompt.err());
        assertTrue(prompt.err().contains("--prompt needs a tokenizer"), prompt.err());
        // a GGUF file is one by its magic, whatever its name
        Path renamed = Files.copy(file, dir.resolve("TINY.BIN"));
        Result byMagic = unroll("run", "transformer", "--model", renamed.toString(), "--tokens", "5", "--no-stop");
        assertEquals(0, byMagic.code(), byMagic.err());
        assertTrue(byMagic.out().contains("tokenizer: none in the file"), byMagic.out());
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(Files.readAllBytes(file), 300));
        Result broken = unroll("run", "transformer", "--model", cut.toString());
        assertEquals(3, broken.code(), broken.out() + broken.err());
        assertEquals(1, broken.err().strip().lines().count(), broken.err());
        assertTrue(broken.err().contains(cut + ": "), broken.err());
    }
}
