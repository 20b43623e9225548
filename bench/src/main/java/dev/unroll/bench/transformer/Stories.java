package dev.unroll.bench.transformer;

import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.transformer.Llama2c;

/** Where the benchmarks find stories260K: the repository's fixtures, through {@link DataFiles}. */
final class Stories {
    private Stories() {
    }

    static Llama2c.Checkpoint load() {
        return Llama2c.load(DataFiles.require("models/stories260K/stories260K.bin"));
    }
}
