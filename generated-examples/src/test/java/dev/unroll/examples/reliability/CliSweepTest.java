package dev.unroll.examples.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.ExitCodes;
import dev.unroll.cli.Unroll;
import dev.unroll.examples.trm.TinyTrms_MixerModel;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.fla.Fla;
import dev.unroll.runtime.fla.Result;
import dev.unroll.runtime.fla.Tensor;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.sweep.RuntimeValues;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command line under the generated hostile-argument sweep: every subcommand of the launcher's
 * command model ({@link Unroll#commandLine()}, including those other jars register) and every one of
 * its options and positional parameters, each given, in turn, the hostile values of its type (zero,
 * negative and overflowing numbers, NaN and infinities, wrong enum names, empty and escaping and
 * 10,000-character strings, malformed lists, missing files, directories, named pipes, devices, empty,
 * truncated and foreign files) while the rest of the command line stays a working baseline. Every run
 * must exit 0 (a value it accepts), 2 (usage) or 3 (bad input) with one clean line on stderr, within
 * the limit: never 1 (nothing was checked wrongly), 4 (internal), 5 (out of memory), a stack trace or
 * a hang. A command without a baseline, or an option whose type has no hostile values, fails the test.
 */
class CliSweepTest {
    @TempDir
    static Path dir;

    static final Duration LIMIT = Duration.ofSeconds(60);
    /** Inherited by every command: --debug prints stack traces on purpose; help and version print and exit 0. */
    static final List<String> SKIPPED = List.of("--debug");

    /**
     * A working command line: its options (a flag's value is null) and positional arguments; {@code run}
     * false for a valid run too long to repeat here (CliCommandsTest runs it), whose hostile variants
     * still run.
     */
    record Baseline(Map<String, String> options, List<String> positionals, boolean run) {}

    /** One sweep run: the command line and how it ended. */
    record Outcome(List<String> args, int code, String err) {
        @Override
        public String toString() {
            return "exit " + code + ": unroll " + String.join(" ", args.stream().map(a -> a.length() > 60 ? a.substring(0, 40) + "...(" + a.length()
                    + " chars)" : a).toList()) + "\n    " + err.strip();
        }
    }

    static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Working command lines, by command ({@code "golden fla"}). */
    static Map<String, Baseline> baselines() throws Exception {
        Map<String, Baseline> b = new LinkedHashMap<>();
        String reference = TestData.fixture("golden/attention/gla.json").toString();
        String stories = TestData.fixture("models/stories260K/stories260K.bin").toString();
        b.put("", new Baseline(opts(), List.of("inspect"), false)); // the launcher itself: its subcommands are swept below
        b.put("verify", new Baseline(opts(), List.of(reference), true));
        b.put("golden", new Baseline(opts("--help", null), List.of(), true));
        b.put("golden reference", new Baseline(opts("-o", out("reference")), List.of(reference), true));
        b.put("golden trm-trace", new Baseline(opts("--descriptor", Json.write(TinyTrms_MixerModel.SPEC.toJson()), "-o", out("trace")),
                List.of(trmTrace().toString()), true));
        b.put("golden llama2c", new Baseline(opts("--model", stories, "--tokens", "1,2", "--logits", logits().toString(), "-o", out("llama2c")),
                List.of(), true));
        b.put("golden fla", new Baseline(opts("--op", "naive_recurrent_gla", "-o", out("fla")), List.of(flaCall().toString()), true));
        b.put("run", new Baseline(opts("--help", null), List.of(), true));
        b.put("run attention", new Baseline(opts("--tokens", "4"), List.of("Gla_D16"), true));
        b.put("run trm", new Baseline(opts(), List.of(), false));
        b.put("run transformer", new Baseline(opts("--tokens", "4"), List.of(), true));
        b.put("inspect", new Baseline(opts(), List.of("Gla_D16"), true));
        b.put("bench", new Baseline(opts("--seconds", "0.01", "--warmup", "0.01"), List.of("Gla_D16"), true));
        b.put("demo", new Baseline(opts("--quick", null), List.of(), false));
        b.put("devices", new Baseline(opts(), List.of(), true)); // no TornadoVM in this JVM: one line, exit 3
        b.put("descriptor", new Baseline(opts("--name", "Smol", "--package", "acme"),
                List.of(dev.unroll.runtime.TestData.fixture("configs/smollm2-135m.json").toString()), true));
        b.put("generate-completion", new Baseline(opts(), List.of(), true));
        return b;
    }

    private static String out(String name) {
        return dir.resolve(name + ".out.safetensors").toString();
    }

    // ---------------------------------------------------------------- hostile values by type

    private static final List<String> PATHS = List.of("a missing file", "a directory", "a named pipe", "/dev/zero", "an empty file", "a safetensors file",
            "a checkpoint", "a tokenizer", "a reference JSON", "a truncated safetensors", "a truncated checkpoint", "a truncated reference JSON",
            "an overlong reference JSON", "64 bytes of 0xff");

    /** The hostile values of an argument, by its type: labelled makers of the command-line text. */
    static Map<String, Supplier<String>> hostile(ArgSpec a) {
        Class<?> t = a.type();
        Map<String, Supplier<String>> m = new LinkedHashMap<>();
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            for (String v : List.of("0", "-1", "2147483647", "2147483648", "-2147483648", "abc", "", "1.5", "1e3")) {
                m.put(v, () -> v);
            }
        } else if (t == double.class || t == Double.class || t == float.class) {
            for (String v : List.of("NaN", "Infinity", "-Infinity", "-1", "1e300", "abc", "", "1e-300")) {
                m.put(v, () -> v);
            }
        } else if (t == int[].class) {
            for (String v : List.of("1,,2", "x", "-1", "2147483647", "", "1,2,-5", "99999")) {
                m.put(v, () -> v);
            }
        } else if (t == boolean.class || t == Boolean.class) {
            m.put("=x", () -> "=x");
        } else if (t.isEnum()) {
            m.put("FOO", () -> "FOO");
            m.put("\"\"", () -> "");
        } else if (t == Path.class || (t == List.class && a.auxiliaryTypes().length > 0 && a.auxiliaryTypes()[0] == Path.class)) {
            for (String p : PATHS) {
                m.put(p, () -> path(p).toString());
            }
        } else if (t == Map.class) {
            for (String v : List.of("=", "x", "k=v", "L_cycles=-1", "seq_len=99999999999", "rope_theta=NaN", "mlp_t=maybe", "a=b=c")) {
                m.put(v, () -> v);
            }
        } else if (t == String.class) {
            m.put("\"\"", () -> "");
            m.put("\"x\"", () -> "x");
            m.put("an escape and a newline", () -> "\u001b[2J\nFAKE: PASS");
            m.put("10,000 characters", () -> "x".repeat(10_000));
            m.put("{", () -> "{");
        } else {
            return null;
        }
        return m;
    }

    private static Path path(String kind) {
        byte[] seed = switch (kind) {
            case "a safetensors file", "a truncated safetensors" -> RuntimeValues.seed("safetensors/gla-weights.safetensors");
            case "a checkpoint", "a truncated checkpoint" -> RuntimeValues.seed("llama2c/tied.bin");
            case "a tokenizer" -> RuntimeValues.seed("tokenizer/tok271.bin");
            case "a reference JSON", "a truncated reference JSON", "an overlong reference JSON" -> RuntimeValues.seed("referenceJson/gla-first-token.json");
            default -> null;
        };
        return switch (kind) {
            case "a missing file" -> dir.resolve("missing/none");
            case "a directory" -> dir;
            case "a named pipe" -> fifo();
            case "/dev/zero" -> Path.of("/dev/zero");
            case "an empty file" -> RuntimeValues.fresh("empty", new byte[0]);
            case "64 bytes of 0xff" -> {
                byte[] b = new byte[64];
                Arrays.fill(b, (byte) 0xff);
                yield RuntimeValues.fresh("ff", b);
            }
            default -> kind.startsWith("a truncated") ? RuntimeValues.fresh("cut", Arrays.copyOf(seed, seed.length / 2))
                    : kind.startsWith("an overlong") ? RuntimeValues.fresh("long", Arrays.copyOf(seed, seed.length + 1024)) : RuntimeValues.fresh("f", seed);
        };
    }

    private static Path fifo() {
        Path p = dir.resolve("fifo");
        if (!Files.exists(p)) {
            try {
                new ProcessBuilder("mkfifo", p.toString()).start().waitFor();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- the sweep

    @Test
    void everyOptionOfEveryCommandEndsWithAUsageOrInputErrorOrWorks() throws Exception {
        Map<String, Baseline> baselines = baselines();
        List<String> uncovered = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        int[] arguments = {0};
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cli-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            walk(Unroll.commandLine(), List.of(), baselines, uncovered, outcomes, worker, arguments);
        } finally {
            worker.shutdownNow();
        }
        long bad = outcomes.stream().filter(o -> !clean(o)).count();
        Map<Integer, Long> byCode = new java.util.TreeMap<>();
        outcomes.forEach(o -> byCode.merge(o.code(), 1L, Long::sum));
        System.out.println("[Unroll sweep] command line: " + (baselines.size()) + " commands, " + arguments[0] + " options and parameters, "
                + outcomes.size() + " runs, by exit code " + byCode + ", " + bad + " broke the contract");
        outcomes.stream().filter(o -> !clean(o)).forEach(o -> System.out.println("[Unroll sweep] " + o));
        assertEquals(List.of(), uncovered, "commands or arguments the sweep cannot drive: give them a baseline or hostile values");
        assertEquals(0, bad, () -> outcomes.stream().filter(o -> !clean(o)).map(Outcome::toString).reduce("", (x, y) -> x + "\n" + y));
    }

    /** Exit 0, 2 or 3; on 2 and 3 one clean line on stderr. */
    static boolean clean(Outcome o) {
        if (o.code() == ExitCodes.OK) {
            return true;
        }
        if (o.code() != ExitCodes.USAGE && o.code() != ExitCodes.BAD_INPUT) {
            return false;
        }
        String err = o.err().strip();
        return err.lines().count() == 1 && !err.contains("\tat ") && !err.contains("Exception:") && err.chars().noneMatch(Character::isISOControl)
                && err.length() < 2300;
    }

    private static void walk(CommandLine cl, List<String> path, Map<String, Baseline> baselines, List<String> uncovered, List<Outcome> outcomes,
            ExecutorService worker, int[] arguments) throws Exception {
        String name = String.join(" ", path);
        Baseline base = baselines.get(name);
        if (base == null) {
            uncovered.add("unroll " + name + ": no baseline command line");
        } else if (!path.isEmpty()) {
            CommandSpec spec = cl.getCommandSpec();
            if (base.run()) {
                outcomes.add(run(worker, args(path, base.options(), base.positionals())));
            }
            for (OptionSpec o : spec.options()) {
                String opt = o.longestName();
                if (o.usageHelp() || o.versionHelp() || SKIPPED.contains(opt)) {
                    continue;
                }
                arguments[0]++;
                Map<String, Supplier<String>> values = hostile(o);
                if (values == null) {
                    uncovered.add("unroll " + name + " " + opt + ": no hostile values for " + o.type().getSimpleName());
                    continue;
                }
                for (Supplier<String> v : values.values()) {
                    Map<String, String> options = new LinkedHashMap<>(base.options());
                    options.remove(opt);
                    String value = v.get();
                    if (o.arity().max() == 0) {
                        options.put(opt + value, null); // a flag given a value: --quick=x
                    } else {
                        options.put(opt, value);
                    }
                    outcomes.add(run(worker, args(path, options, base.positionals())));
                }
            }
            List<PositionalParamSpec> params = spec.positionalParameters();
            for (int i = 0; i < params.size(); i++) {
                arguments[0]++;
                Map<String, Supplier<String>> values = hostile(params.get(i));
                if (values == null) {
                    uncovered.add("unroll " + name + " " + params.get(i).paramLabel() + ": no hostile values for " + params.get(i).type().getSimpleName());
                    continue;
                }
                for (Supplier<String> v : values.values()) {
                    List<String> positionals = new ArrayList<>(base.positionals());
                    if (i < positionals.size()) {
                        positionals.set(i, v.get());
                    } else {
                        positionals.add(v.get());
                    }
                    outcomes.add(run(worker, args(path, base.options(), positionals)));
                }
            }
        }
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().aliases().length > 0 && !sub.getKey().equals(sub.getValue().getCommandName())) {
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.add(sub.getKey());
            walk(sub.getValue(), p, baselines, uncovered, outcomes, worker, arguments);
        }
    }

    private static List<String> args(List<String> path, Map<String, String> options, List<String> positionals) {
        List<String> a = new ArrayList<>(path);
        options.forEach((k, v) -> {
            a.add(k);
            if (v != null) {
                a.add(v);
            }
        });
        if (!positionals.isEmpty()) {
            a.add("--"); // a positional that starts with '-' stays a positional
            a.addAll(positionals);
        }
        return a;
    }

    private static Outcome run(ExecutorService worker, List<String> args) throws Exception {
        Future<Outcome> f = worker.submit(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Unroll.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Outcome(args, code, err.toString(StandardCharsets.UTF_8));
        });
        try {
            return f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return new Outcome(args, -1, "a hang: over " + LIMIT.toSeconds() + " s");
        }
    }

    // ---------------------------------------------------------------- fixtures for the baselines

    /** A teacher-forced trace of TinyTrms.Mixer from the generic engine (one cycle of calls). */
    private static Path trmTrace() {
        TrmSpec spec = TinyTrms_MixerModel.SPEC;
        TrmWeights w = TrmWeights.seeded(spec);
        GenericTrm ref = new GenericTrm(w);
        int[] tokens = new int[spec.context()];
        float[] x = ref.embed(tokens, 1);
        float[] y = ref.initialCarry(1).y();
        float[] z = ref.initialCarry(1).z();
        SafetensorsWriter trace = new SafetensorsWriter();
        w.writeTo(trace, "");
        long[] shape = {1, spec.sequence(), spec.hidden()};
        trace.add("trace.x_embed", DType.F32, shape, x);
        float[] in = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            in[i] = (x[i] + y[i]) + z[i];
        }
        ref.network(in, 1, z);
        trace.add("trace.call01.out", DType.F32, shape, z.clone());
        Path p = dir.resolve("trace.safetensors");
        trace.write(p);
        return p;
    }

    /** run.c-style logits of stories260K for tokens 1, 2 (raw little-endian f32), from the generic engine. */
    private static Path logits() throws Exception {
        Llama2c.Checkpoint c = Llama2c.load(TestData.fixture("models/stories260K/stories260K.bin"));
        ByteBuffer raw = ByteBuffer.allocate(4 * 2 * c.spec().vocab()).order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[c.spec().vocab()];
        try (DecodeRunner s = new CachedGenerator(new GenericTransformer(c.weights())).open(null, null, 2, 2)) {
            for (int t = 0; t < 2; t++) {
                s.next(t + 1, t, row);
                for (float v : row) {
                    raw.putFloat(v);
                }
            }
        }
        return Files.write(dir.resolve("logits.f32"), raw.array());
    }

    /** A GLA call saved the fla way, with its output from the fla API. */
    private static Path flaCall() {
        Tensor q = Tensor.zeros(1, 3, 2, 4);
        Tensor v = Tensor.zeros(1, 3, 2, 4);
        Tensor gk = Tensor.zeros(1, 3, 2, 4);
        for (int i = 0; i < 24; i++) {
            q.data()[i] = (float) Math.sin(i);
            v.data()[i] = (float) Math.cos(i);
            gk.data()[i] = -0.1f * (i % 5);
        }
        Result r = Fla.naiveRecurrentGla(q, q, v, gk, null, false, null);
        Path p = dir.resolve("call.safetensors");
        long[] s = {1, 3, 2, 4};
        new SafetensorsWriter().add("q", DType.F32, s, q.data()).add("k", DType.F32, s, q.data()).add("v", DType.F32, s, v.data())
                .add("gk", DType.F32, s, gk.data()).add("o", DType.F32, s, r.o().data()).write(p);
        return p;
    }

    /** The sweep itself must see every command: the launcher's and the ones registered through ServiceLoader. */
    @Test
    void theSweepSeesEveryCommand() throws Exception {
        List<String> all = new ArrayList<>();
        collect(Unroll.commandLine(), "", all);
        assertTrue(all.containsAll(List.of("verify", "golden fla", "run transformer", "demo")), all.toString());
        assertTrue(baselines().keySet().containsAll(all), () -> "no baseline for " + all.stream().filter(c -> {
            try {
                return !baselines().containsKey(c);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList());
    }

    private static void collect(CommandLine cl, String prefix, List<String> out) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            String n = prefix.isEmpty() ? e.getKey() : prefix + " " + e.getKey();
            out.add(n);
            collect(e.getValue(), n, out);
        }
    }
}
