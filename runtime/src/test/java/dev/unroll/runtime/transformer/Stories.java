package dev.unroll.runtime.transformer;

import dev.unroll.runtime.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The stories260K model and its test oracle, read from {@code ../shared/models/stories260K}. */
public final class Stories {
    private Stories() {}

    /** @return the checkpoint */
    public static Llama2c.Checkpoint checkpoint() {
        return Llama2c.load(SharedData.resolve("models/stories260K/stories260K.bin"));
    }

    /** @return the tokenizer */
    public static Tokenizer tokenizer() {
        return Tokenizer.load(SharedData.resolve("models/stories260K/tok512.bin"), 512);
    }

    /**
     * @return the two expected greedy outputs of the model README: for 200 steps ({@code -n 200}) and
     *     for run.c's default 256 steps
     */
    public static List<String> oracles() {
        try {
            String readme = Files.readString(SharedData.resolve("models/stories260K/README.md"), StandardCharsets.UTF_8);
            String section = readme.substring(readme.indexOf("## Test oracle"));
            List<String> blocks = new ArrayList<>();
            int at = 0;
            while (blocks.size() < 2) {
                int open = section.indexOf("```\n", at);
                int close = section.indexOf("\n```", open + 4);
                blocks.add(section.substring(open + 4, close));
                at = close + 4;
            }
            return blocks;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
