package dev.unroll.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.Unroll;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The launcher's help and completion with the examples on the class path: the commands other
 * modules register (demo) keep the width, spelling and headers of the built-in ones (the cli
 * module's HelpTextTest checks those without them), and the completion script offers the
 * generated kernels' names where a command takes one.
 */
class HelpAndCompletionTest {
    private static final int WIDTH = 100;

    private record Result(int code, String out, String err) {}

    private static Result unroll(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<CommandLine> walk(CommandLine c) {
        List<CommandLine> all = new ArrayList<>();
        all.add(c);
        for (CommandLine sub : c.getSubcommands().values()) {
            all.addAll(walk(sub));
        }
        return all;
    }

    @Test
    void everyCommandsHelpFitsAHundredColumnsWithAOneSentenceHeader() {
        List<CommandLine> all = walk(Unroll.commandLine());
        assertTrue(all.stream().anyMatch(c -> c.getCommandName().equals("demo")), "demo is registered");
        for (CommandLine c : all) {
            String name = c.getCommandSpec().qualifiedName(" ");
            List<String> args = new ArrayList<>(Arrays.asList(name.split(" ")).subList(1, name.split(" ").length));
            args.add("--help");
            Result r = unroll(args);
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().startsWith("usage: " + name + " "), r.out());
            assertFalse(r.out().contains("Usage:"), r.out());
            for (String line : r.out().split("\\R")) {
                assertTrue(line.length() <= WIDTH, name + " --help: " + line.length() + " columns: " + line);
            }
            String[] header = c.getCommandSpec().usageMessage().header();
            assertTrue(header.length == 1 && header[0].endsWith("."), name + ": header " + Arrays.toString(header));
        }
    }

    @Test
    void theCompletionScriptOffersTheGeneratedKernels() {
        Result r = unroll(List.of("generate-completion"));
        assertEquals(0, r.code(), r.err());
        for (String kernel : List.of("Gla_D64", "SudokuTrm", "Stories260K")) {
            assertTrue(r.out().contains("\"" + kernel + "\""), kernel + " in the completion script");
        }
        CommandLine run = Unroll.commandLine().getSubcommands().get("run");
        List<String> trm = new ArrayList<>();
        run.getSubcommands().get("trm").getCommandSpec().positionalParameters().get(0).completionCandidates().forEach(trm::add);
        assertTrue(trm.contains("SudokuTrm") && !trm.contains("Gla_D64"), "run trm offers TRMs only: " + trm);
        List<String> attention = new ArrayList<>();
        run.getSubcommands().get("attention").getCommandSpec().positionalParameters().get(0).completionCandidates().forEach(attention::add);
        assertTrue(attention.contains("Gla_D64") && !attention.contains("SudokuTrm"), "run attention offers layers only: " + attention);
    }
}
