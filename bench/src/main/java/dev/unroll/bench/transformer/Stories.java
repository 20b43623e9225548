package dev.unroll.bench.transformer;

import dev.unroll.runtime.transformer.Llama2c;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the benchmarks find stories260K: {@code -Dunroll.shared=DIR} or {@code ../shared}. */
final class Stories {
    private Stories() {
    }

    static Llama2c.Checkpoint load() {
        Path bin = Path.of(System.getProperty("unroll.shared", "../shared"), "models", "stories260K", "stories260K.bin");
        if (!Files.isRegularFile(bin)) {
            throw new IllegalStateException("stories260K not found at " + bin.toAbsolutePath() + ": run from the repository root or pass -Dunroll.shared=DIR");
        }
        return Llama2c.load(bin);
    }
}
