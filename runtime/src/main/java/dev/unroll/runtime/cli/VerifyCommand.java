package dev.unroll.runtime.cli;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.ReferenceGolden;
import dev.unroll.runtime.json.Json;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.verify.AttentionVerifier;
import dev.unroll.runtime.verify.GoldenFile;
import dev.unroll.runtime.verify.Progress;
import dev.unroll.runtime.verify.Verifier;
import dev.unroll.runtime.verify.VerifyReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** {@code unroll verify FILE...}: runs golden files and reports per-tensor errors. */
final class VerifyCommand implements CliCommand {
    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "check kernels against golden files (max abs / max rel error per tensor, PASS/FAIL)";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: unroll verify [--generic] FILE...",
                "",
                "Runs each golden file through the generated kernel for its descriptor (found on the class",
                "path through the kernel registry) or, when there is none, the generic engine, and prints the",
                "max abs / max rel error of every expected tensor with PASS or FAIL.",
                "",
                "FILE is a safetensors golden file in Unroll's format (docs/golden-format.md): __metadata__ holds",
                "unroll.family, unroll.descriptor (JSON) and unroll.tolerance; tensors hold the weights under",
                "their canonical names, input.* and expected.*. A linear-attention reference JSON file",
                "(golden/attention/*.json of the reference data, see DataFiles) is accepted as well.",
                "",
                "options:",
                "  --generic   run the generic engine even when a generated kernel exists",
                "",
                "exit codes: 0 all files pass, 1 some tensor out of tolerance, 2 usage, 3 unreadable or",
                "inconsistent file, 4 internal error");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        boolean generic = args.remove("--generic");
        for (String a : args) {
            if (a.startsWith("--")) {
                throw new UsageException("unknown option " + a);
            }
        }
        if (args.isEmpty()) {
            throw new UsageException("no golden file given");
        }
        List<Verifier> verifiers = new ArrayList<>();
        verifiers.add(new AttentionVerifier(generic));
        verifiers.add(new dev.unroll.runtime.verify.TrmVerifier(generic));
        verifiers.add(new dev.unroll.runtime.verify.TransformerVerifier(generic));
        for (Verifier v : ServiceLoader.load(Verifier.class, VerifyCommand.class.getClassLoader())) {
            verifiers.add(v);
        }
        Progress progress = Progress.stderr();
        boolean allPass = true;
        for (String a : args) {
            Path path = Path.of(a);
            if (!Files.isRegularFile(path)) {
                throw new UnrollException(a + ": no such file");
            }
            VerifyReport r = verifyOne(path, verifiers, generic, progress);
            r.lines().forEach(out::println);
            allPass &= r.pass();
        }
        if (args.size() > 1) {
            out.println(allPass ? "all files PASS" : "some files FAIL");
        }
        return allPass ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static VerifyReport verifyOne(Path path, List<Verifier> verifiers, boolean generic, Progress progress) throws IOException {
        if (path.toString().endsWith(".json")) {
            Map<String, Object> root = Json.parseObject(Files.readString(path, StandardCharsets.UTF_8));
            if (!ReferenceGolden.looksLike(root)) {
                throw new UnrollException(path + ": not a reference golden file (needs config, weights, outputs)");
            }
            return new AttentionVerifier(generic).verify(ReferenceGolden.parse(path.toString(), root), progress);
        }
        try (SafetensorsFile f = SafetensorsFile.open(path)) {
            GoldenFile g = GoldenFile.of(f);
            for (Verifier v : verifiers) {
                if (v.family().equals(g.family())) {
                    return v.verify(g, progress);
                }
            }
            throw new UnrollException(path + ": no verifier for family \"" + g.family() + "\" on the class path");
        }
    }
}
