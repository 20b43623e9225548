package dev.unroll.cli.fuzz;

import dev.unroll.cli.ExitCodes;
import dev.unroll.cli.Unroll;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.trm.TrmSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code golden} converters as fuzz targets: the bytes are the file a user hands the converter
 * (the reference JSON, the TRM trace, run.c's logits, the saved fla call), the rest of the command
 * line is fixed; the conversion must end with exit 0, 2 or 3 (one clean line), and a golden file it
 * writes must then verify with exit 0, 1 or 3 (one clean line). Shared by {@link GoldenFuzzTest} and
 * {@link GoldenMutationTest}.
 */
final class GoldenTargets {
    /** The TRM whose traces the trmTrace target reads: hidden 16, 4-token puzzles, one latent step, one cycle. */
    static final TrmSpec TRM = TrmSpec.fromJson(Map.of("hidden", 16L, "context", 4L, "vocab", 5L, "layers", 1L, "latentSteps", 1L, "cycles", 1L));
    /** The tokens the llama2c target's logits are for. */
    static final String TOKENS = "1,2";
    private static final Path DIR = tempDir();
    private static final Set<Integer> CONVERT = Set.of(ExitCodes.OK, ExitCodes.USAGE, ExitCodes.BAD_INPUT);
    private static final Set<Integer> VERIFY = Set.of(ExitCodes.OK, ExitCodes.CHECK_FAILED, ExitCodes.BAD_INPUT);

    private GoldenTargets() {}

    static int reference(byte[] data) {
        return convert("reference", data, "in.json", List.of("golden", "reference", "%IN%"));
    }

    static int trmTrace(byte[] data) {
        return convert("trmTrace", data, "trace.safetensors", List.of("golden", "trm-trace", "%IN%", "--descriptor", Json.write(TRM.toJson())));
    }

    static int llama2c(byte[] data) {
        return convert("llama2c", data, "logits.f32", List.of("golden", "llama2c", "--model", model().toString(), "--tokens", TOKENS, "--logits", "%IN%"));
    }

    static int fla(byte[] data) {
        return convert("fla", data, "call.safetensors", List.of("golden", "fla", "%IN%", "--op", "naive_recurrent_gla"));
    }

    /** Runs the converter on the bytes, then verify on what it wrote; returns verify's exit code, or the converter's when it wrote nothing. */
    private static int convert(String name, byte[] data, String file, List<String> template) {
        try {
            Path in = Files.write(DIR.resolve(file), data);
            Path out = DIR.resolve(name + ".out.safetensors");
            Files.deleteIfExists(out);
            List<String> args = new ArrayList<>();
            for (String a : template) {
                args.add(a.equals("%IN%") ? in.toString() : a);
            }
            args.add("-o");
            args.add(out.toString());
            int converted = check(name + ": golden", args, CONVERT);
            return Files.exists(out) ? check(name + ": verify", List.of("verify", out.toString()), VERIFY) : converted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int check(String name, List<String> args, Set<Integer> allowed) {
        String[] r = new String[2];
        int[] code = new int[1];
        Hostile.endsCleanly(name, Hostile.LIMIT, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            code[0] = Unroll.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            r[0] = out.toString(StandardCharsets.UTF_8);
            r[1] = err.toString(StandardCharsets.UTF_8).strip();
        });
        if (!allowed.contains(code[0])) {
            throw new AssertionError(name + ": exit " + code[0] + ": " + r[1]);
        }
        if (code[0] != ExitCodes.OK && code[0] != ExitCodes.CHECK_FAILED
                && (r[1].lines().count() != 1 || r[1].contains("\tat ") || r[1].chars().anyMatch(Character::isISOControl) || r[1].length() > 2300)) {
            throw new AssertionError(name + ": not one clean line: " + r[1]);
        }
        return code[0];
    }

    private static Path model;

    /** The llama2c target's checkpoint: the loaders' corpus seed (dim 8, 2 layers, vocabulary 12). */
    static synchronized Path model() {
        if (model == null) {
            try (InputStream in = GoldenTargets.class.getResourceAsStream("/dev/unroll/runtime/fuzz/LoaderFuzzTestInputs/llama2c/tied.bin")) {
                model = Files.write(DIR.resolve("model.bin"), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("unroll-golden-fuzz");
            d.toFile().deleteOnExit();
            for (String f : List.of("in.json", "trace.safetensors", "logits.f32", "call.safetensors", "model.bin", "reference.out.safetensors",
                    "trmTrace.out.safetensors", "llama2c.out.safetensors", "fla.out.safetensors")) {
                d.resolve(f).toFile().deleteOnExit();
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
