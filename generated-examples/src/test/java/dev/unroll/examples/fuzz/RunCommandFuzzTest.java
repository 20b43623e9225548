package dev.unroll.examples.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.cli.Unroll;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.fuzz.SmallBudget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz target (Jazzer) of {@code unroll run transformer}'s generation options, run.c's
 * among them: {@code -t}, {@code -p}, {@code -s}, {@code -n}, {@code -i}, {@code --tokens},
 * {@code --no-stop}, in any order and number, with values in and out of range, not numbers, NaN,
 * infinities and any text. Each command line must end within {@link #LIMIT} with exit 0, or 2 or 3
 * and one line on stderr: never 1, 4 or 5, a raw exception or a hang. In the normal test run it
 * replays the committed corpus ({@code RunCommandFuzzTestInputs/transformer/}). A second target fuzzes
 * the launcher's {@code --classpath} ({@code RunCommandFuzzTestInputs/classpath/}), a third {@code unroll
 * descriptor} ({@code RunCommandFuzzTestInputs/descriptor/}), a fourth {@code run transformer} on a Hugging Face
 * folder ({@code RunCommandFuzzTestInputs/hfFolder/}), a fifth {@code run transformer} on a GGUF file
 * ({@code RunCommandFuzzTestInputs/gguf/}).
 */
@ExtendWith(SmallBudget.class)
class RunCommandFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(20);
    private static final String[] OPTIONS = {"-t", "--temperature", "-p", "--topp", "-s", "--seed", "-n", "--steps", "--tokens", "-i", "--prompt",
        "--no-stop"};

    @FuzzTest(maxDuration = "15s")
    void transformer(FuzzedDataProvider in) {
        List<String> args = new ArrayList<>(List.of("run", "transformer"));
        int options = in.consumeInt(0, 6);
        for (int i = 0; i < options; i++) {
            String option = OPTIONS[in.consumeInt(0, OPTIONS.length - 1)];
            args.add(option);
            if (!option.equals("--no-stop")) {
                args.add(value(in, option));
            }
        }
        if (!args.contains("-n") && !args.contains("--steps") && !args.contains("--tokens")) {
            args.addAll(List.of("-n", "12")); // keep runs short: the default is 256 tokens
        }
        endsCleanly(args, null);
    }

    /**
     * {@code --classpath}/{@code -cp}/{@code --classpath=} anywhere in an {@code inspect} or {@code run attention}
     * command line, naming folders, a jar, missing paths, a text file, empty entries, separators and any
     * text: exit 0, or 2 or 3 with one line on stderr.
     */
    @FuzzTest(maxDuration = "15s")
    void classpath(FuzzedDataProvider in) throws java.io.IOException {
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("unroll-cp");
        try {
            java.nio.file.Path text = java.nio.file.Files.writeString(tmp.resolve("notes.txt"), "not a jar");
            java.nio.file.Path empty = java.nio.file.Files.createDirectories(tmp.resolve("classes"));
            String[] pieces = {empty.toString(), text.toString(), tmp.resolve("missing.jar").toString(), "", java.io.File.pathSeparator, ".", "\0",
                System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]};
            StringBuilder cp = new StringBuilder();
            int n = in.consumeInt(0, 4);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    cp.append(java.io.File.pathSeparator);
                }
                cp.append(in.consumeBoolean() ? pieces[in.consumeInt(0, pieces.length - 1)] : in.consumeString(16));
            }
            List<String> args = new ArrayList<>(in.consumeBoolean() ? List.of("inspect") : List.of("run", "attention", "--tokens", "4"));
            int at = in.consumeInt(0, args.size());
            switch (in.consumeInt(0, 3)) {
                case 0 -> args.addAll(at, List.of("--classpath", cp.toString()));
                case 1 -> args.addAll(at, List.of("-cp", cp.toString()));
                case 2 -> args.add(at, "--classpath=" + cp);
                default -> args.add("--classpath"); // no value
            }
            endsCleanly(args, null);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * {@code unroll descriptor}: a config.json from the bytes (often one of the fixtures with a member
     * changed), any {@code --name} and {@code --package}: exit 0 with an interface printed, or 2 or 3
     * with one line on stderr.
     */
    @FuzzTest(maxDuration = "15s")
    void descriptor(FuzzedDataProvider in) throws java.io.IOException {
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("unroll-descriptor");
        try {
            String config;
            if (in.consumeBoolean()) {
                String base = java.nio.file.Files.readString(dev.unroll.runtime.TestData.fixture("configs/"
                        + List.of("smollm2-135m.json", "tinyllama-1.1b.json", "qwen3-0.6b.json").get(in.consumeInt(0, 2))));
                String key = List.of("hidden_size", "num_attention_heads", "num_key_value_heads", "vocab_size", "rope_theta", "model_type",
                        "tie_word_embeddings", "max_position_embeddings").get(in.consumeInt(0, 7));
                config = base.replaceFirst("\"" + key + "\": [^,}]+", "\"" + key + "\": " + java.util.regex.Matcher.quoteReplacement(in.consumeString(12)));
            } else {
                config = in.consumeString(400);
            }
            java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("config.json"), config);
            List<String> args = new ArrayList<>(List.of("descriptor", file.toString()));
            if (in.consumeBoolean()) {
                args.addAll(List.of("--name", in.consumeString(12)));
            }
            if (in.consumeBoolean()) {
                args.addAll(List.of("--package", in.consumeString(16)));
            }
            endsCleanly(args, "@Transformer(");
        } finally {
            deleteTree(tmp);
        }
    }

    /** A small decoder's config.json; {@link #hfFolder} writes its seeded weights and changes one member. */
    private static final String HF_CONFIG = "{\"model_type\": \"llama\", \"hidden_size\": 32, \"intermediate_size\": 80, \"num_attention_heads\": 4,"
            + " \"num_hidden_layers\": 2, \"num_key_value_heads\": 2, \"max_position_embeddings\": 64, \"tie_word_embeddings\": true,"
            + " \"vocab_size\": 290}";

    /**
     * {@code unroll run transformer --model DIR} on a Hugging Face folder (one file or two or three shards) whose config.json has one member
     * changed to any text (so that it contradicts its weights, or is refused, or reads), with a prompt of
     * any text through its tokenizer.json: exit 0, or 2 or 3 with one line.
     */
    @FuzzTest(maxDuration = "15s")
    void hfFolder(FuzzedDataProvider in) throws java.io.IOException {
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("unroll-hf");
        try {
            var spec = dev.unroll.runtime.transformer.HfConfig.parse(HF_CONFIG, "config.json");
            var w = dev.unroll.runtime.transformer.TransformerWeights.seeded(spec, 3);
            int shards = in.consumeInt(1, 3);
            if (shards > 1) {
                dev.unroll.runtime.safetensors.ShardedFolder.write(tmp, w, shards, dev.unroll.runtime.safetensors.DType.F32);
            } else {
                var out = new dev.unroll.runtime.safetensors.SafetensorsWriter();
                for (var e : dev.unroll.runtime.transformer.TransformerWeights.shapes(spec).entrySet()) {
                    out.add(e.getKey(), dev.unroll.runtime.safetensors.DType.F32, e.getValue(), w.get(e.getKey()));
                }
                out.write(tmp.resolve("model.safetensors"));
            }
            java.nio.file.Files.copy(dev.unroll.runtime.TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"), tmp.resolve("tokenizer.json"));
            String key = List.of("hidden_size", "num_attention_heads", "num_key_value_heads", "vocab_size", "model_type", "tie_word_embeddings",
                    "max_position_embeddings", "intermediate_size").get(in.consumeInt(0, 7));
            String config = in.consumeBoolean() ? HF_CONFIG : HF_CONFIG.replaceFirst("\"" + key + "\": [^,}]+", "\"" + key + "\": "
                    + java.util.regex.Matcher.quoteReplacement(in.consumeString(10)));
            java.nio.file.Files.writeString(tmp.resolve("config.json"), config);
            List<String> args = new ArrayList<>(List.of("run", "transformer", "--model", tmp.toString(), "--tokens", String.valueOf(in.consumeInt(-1, 8))));
            if (in.consumeBoolean()) {
                args.addAll(List.of("--prompt", in.consumeString(40)));
            }
            if (in.consumeBoolean()) {
                args.add("--no-stop");
            }
            endsCleanly(args, null);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * {@code unroll run transformer --model FILE.gguf} on any bytes (the seeds: small llama files from
     * {@code GgufBytes}, and a qwen2 one with a byte-level BPE vocabulary), with or without a prompt: exit 0, or 2 or 3 with one line.
     */
    @FuzzTest(maxDuration = "15s")
    void gguf(FuzzedDataProvider in) throws java.io.IOException {
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("unroll-gguf");
        try {
            boolean prompt = in.consumeBoolean();
            java.nio.file.Path file = java.nio.file.Files.write(tmp.resolve("model.gguf"), in.consumeRemainingAsBytes());
            List<String> args = new ArrayList<>(List.of("run", "transformer", "--model", file.toString(), "--tokens", "3"));
            if (prompt) {
                args.addAll(List.of("--prompt", "Once"));
            }
            endsCleanly(args, null);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * The contract of every command line here: within {@link #LIMIT}, exit 0 (printing {@code printed} when
     * given), or 2 or 3 with one line on stderr; never 1, 4 or 5, a raw exception or a hang.
     */
    private static void endsCleanly(List<String> args, String printed) {
        Hostile.endsCleanly("unroll " + String.join(" ", args), LIMIT, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Unroll.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String e = err.toString(StandardCharsets.UTF_8);
            assertTrue((code == 0 && (printed == null || out.toString(StandardCharsets.UTF_8).contains(printed)))
                    || ((code == 2 || code == 3) && e.strip().lines().count() == 1), () -> "exit " + code + " for " + args + ":\n" + e);
        });
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (var walk = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    /** A value for the option: mostly small and sensible, sometimes anything. */
    private static String value(FuzzedDataProvider in, String option) {
        return switch (in.consumeInt(0, 9)) {
            case 0 -> in.consumeString(12);
            case 1 -> List.of("NaN", "Infinity", "-Infinity", "-0", "1e39", "0x10", "").get(in.consumeInt(0, 6));
            case 2 -> Long.toString(in.consumeLong());
            default -> switch (option) {
                case "-t", "--temperature" -> Float.toString(in.consumeFloat() % 3);
                case "-p", "--topp" -> Float.toString(in.consumeRegularFloat(-0.5f, 1.5f));
                case "-s", "--seed" -> Integer.toString(in.consumeInt(-5, 5));
                case "-n", "--steps", "--tokens" -> Integer.toString(in.consumeInt(-2, 20));
                default -> in.consumeAsciiString(20);
            };
        };
    }
}
