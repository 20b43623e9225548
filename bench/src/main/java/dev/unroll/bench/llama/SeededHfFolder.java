package dev.unroll.bench.llama;

import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes a Hugging Face model folder of a config.json's shape with seeded weights
 * ({@link TransformerWeights#seeded(TransformerSpec, long)}): the config itself and model.safetensors
 * (F32, Hugging Face's names), what {@code bench/hf/llama-reference.py} reads for its reference logits.
 * Usage: {@code java -cp bench/target/benchmarks.jar dev.unroll.bench.llama.SeededHfFolder CONFIG OUT_DIR [SEED]}.
 */
public final class SeededHfFolder {
    private SeededHfFolder() {}

    /**
     * @param args config.json, output folder, optional seed (default 7)
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: SeededHfFolder CONFIG OUT_DIR [SEED]");
            System.exit(2);
        }
        Path config = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        long seed = args.length == 3 ? Long.parseLong(args[2]) : 7;
        TransformerSpec spec = HfConfig.read(config);
        TransformerWeights w = TransformerWeights.seeded(spec, seed);
        SafetensorsWriter st = new SafetensorsWriter();
        for (Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
            st.add(e.getKey(), DType.F32, e.getValue(), w.get(e.getKey()));
        }
        st.write(out.resolve("model.safetensors"));
        Files.copy(config, out.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        System.out.println(out + ": " + spec.describe() + ", seed " + seed);
    }
}
