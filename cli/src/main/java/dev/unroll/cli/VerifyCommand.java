package dev.unroll.cli;

import dev.unroll.cli.verify.AttentionVerifier;
import dev.unroll.cli.verify.FlaVerifier;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.Progress;
import dev.unroll.cli.verify.TransformerVerifier;
import dev.unroll.cli.verify.TrmVerifier;
import dev.unroll.cli.verify.Verifier;
import dev.unroll.cli.verify.VerifyReport;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unroll verify FILE...}: runs golden files and reports per-tensor errors. */
@Command(name = "verify", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        header = "Checks kernels against golden files: max abs / max rel error per tensor, PASS or FAIL.",
        description = {"Runs each golden file through the generated kernel for its descriptor (found on the class path through the "
                + "kernel registry) or, when there is none, the generic engine.", "",
                "FILE is a safetensors golden file in Unroll's format (docs/golden-format.md): its __metadata__ holds "
                + "unroll.family (linear-attention, trm, transformer or fla), unroll.descriptor (JSON) and unroll.tolerance; "
                + "tensors hold the weights under their canonical names, input.* and expected.*. fla files hold one or several "
                + "calls of an fla op, run through dev.unroll.runtime.fla.Fla. The attention reference's JSON files are read as "
                + "they are, in both of its layouts (weights inline, or digests with the inputs in a sibling file). "
                + "unroll golden writes golden files from what users have."},
        footer = {"", "exit codes: 0 all files pass, 1 some tensor out of tolerance, 2 usage, 3 unreadable or inconsistent file, "
                + "4 internal error, 5 out of memory"})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--generic", description = "run the generic engine even when a generated kernel exists")
    boolean generic;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "golden files")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Verifier> verifiers = new ArrayList<>(List.of(new AttentionVerifier(generic), new TrmVerifier(generic), new TransformerVerifier(generic),
                new FlaVerifier()));
        for (Verifier v : ServiceLoader.load(Verifier.class, VerifyCommand.class.getClassLoader())) {
            verifiers.add(v);
        }
        Progress progress = Progress.stderr();
        boolean allPass = true;
        for (Path path : files) {
            if (!Files.isRegularFile(path)) {
                throw new UnrollException(path + ": no such file");
            }
            VerifyReport r = verifyOne(path, verifiers, progress);
            r.lines().forEach(out::println);
            allPass &= r.pass();
        }
        if (files.size() > 1) {
            out.println(allPass ? "all files PASS" : "some files FAIL");
        }
        out.flush();
        return allPass ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private VerifyReport verifyOne(Path path, List<Verifier> verifiers, Progress progress) throws IOException {
        if (path.toString().endsWith(".json")) {
            Map<String, Object> root = Json.asObject(Json.parseFile(path), path.toString());
            if (!ReferenceGolden.looksLike(root)) {
                throw new UnrollException(path + ": not a reference golden file: it lacks " + String.join(", ", ReferenceGolden.missing(root)));
            }
            return new AttentionVerifier(generic).verify(ReferenceGolden.parse(path, root), progress);
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
