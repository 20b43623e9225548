package dev.unroll.runtime.transformer;

import dev.unroll.runtime.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/** The stories260K model and its test oracle, read from {@code $UNROLL_SHARED/models/stories260K}. */
public final class Stories {
    private Stories() {}

    /** @return the checkpoint */
    public static Llama2c.Checkpoint checkpoint() {
        return Llama2c.load(TestData.fixture("models/stories260K/stories260K.bin"));
    }

    /** @return the tokenizer */
    public static Tokenizer tokenizer() {
        return Tokenizer.load(TestData.fixture("models/stories260K/tok512.bin"), 512);
    }

    /**
     * @return the two expected greedy outputs of the model README: for 200 steps ({@code -n 200}) and
     *     for run.c's default 256 steps
     */
    public static List<String> oracles() {
        try {
            return List.of(Files.readString(TestData.fixture("models/stories260K/greedy-n200.txt"), StandardCharsets.UTF_8),
                    Files.readString(TestData.fixture("models/stories260K/greedy-n256.txt"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
