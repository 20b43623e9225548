package dev.unroll.examples.cli;

import static dev.unroll.examples.cli.CliRun.unroll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.cli.CliRun.Result;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.OfficialTrmArch;
import dev.unroll.runtime.trm.OfficialTrmCheckpoint;
import dev.unroll.runtime.trm.OfficialTrmFixture;
import dev.unroll.runtime.trm.Sudoku;
import dev.unroll.runtime.trm.TrmResult;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.weights.TensorSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unroll run trm --state-dict}: a checkpoint under the official TinyRecursiveModels names, and each way it is refused. */
class TrmStateDictCommandTest {
    static final String PUZZLE = "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";

    @TempDir
    Path dir;

    /** Without a KERNEL the generic engine runs the checkpoint, as the API runs it: the same halting logit and grid. */
    @Test
    void runsACheckpointAsTheApiDoes() throws Exception {
        Path file = dir.resolve("trm.safetensors");
        OfficialTrmFixture.writeSudoku(file);
        List<String> args = new ArrayList<>(List.of("run", "trm", "--state-dict", file.toString(), "--puzzle", PUZZLE));
        OfficialTrmFixture.SUDOKU_ARCH.forEach((k, v) -> args.addAll(List.of("--arch", k + "=" + v)));
        Result r = unroll(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("runs:    generic engine"), r.out());
        TrmResult expected;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> arch = new LinkedHashMap<>(OfficialTrmFixture.SUDOKU_ARCH);
            arch.put("seq_len", "81");
            TrmSpec spec = OfficialTrmArch.spec(TensorSource.of(f), arch);
            try (TrmRunner runner = TrmRunners.open(new GenericTrm(OfficialTrmCheckpoint.load(spec, TensorSource.of(f))), 1,
                    dev.unroll.runtime.backend.Backend.JVM)) {
                expected = runner.solve(Sudoku.parse(PUZZLE), false);
            }
        }
        assertTrue(r.out().contains(String.format(Locale.ROOT, "ACT: %d supervision steps, halting logit %.2f,", expected.steps()[0], expected.halt()[0])),
                r.out());
        String grid = Sudoku.pretty(Sudoku.format(expected.prediction(0, 81))).split("\n")[0];
        assertTrue(r.out().contains(grid), r.out());
    }

    @Test
    void aTorchSaveFileGetsTheConversionCommand() throws Exception {
        Path pt = dir.resolve("step_100");
        Files.write(pt, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        Result r = unroll("run", "trm", "--state-dict", pt.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("is a PyTorch pickle (torch.save)") && r.err().contains("safetensors.torch"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aCheckpointThatIsNotTheKernelsIsRefusedByTheRule() {
        Path f = TestData.fixture("models/trm-official/attention.safetensors");
        Result r = unroll("run", "trm", "SudokuTrm", "--state-dict", f.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the descriptor has mixer = MLP: an official checkpoint with mlp_t = False runs with mixer = ATTENTION"), r.err());
        Result seq = unroll("run", "trm", "--state-dict", f.toString(), "--arch", "num_heads=4");
        assertEquals(3, seq.code(), seq.err());
        assertTrue(seq.err().contains("the model is not a Sudoku model (context 81, vocab 6)"), seq.err());
        Result key = unroll("run", "trm", "--state-dict", f.toString(), "--arch", "cycles=3");
        assertEquals(3, key.code(), key.err());
        assertTrue(key.err().contains("arch.cycles: not a setting of trm.py's config"), key.err());
    }

    @Test
    void optionsThatNeedAStateDictAreUsageErrors() {
        assertEquals(2, unroll("run", "trm", "--arch", "L_cycles=6").code());
        assertEquals(2, unroll("run", "trm", "--puzzle-id", "1").code());
        Path f = TestData.fixture("models/trm-official/attention.safetensors");
        assertEquals(2, unroll("run", "trm", "--state-dict", f.toString(), "--weights", f.toString()).code());
        assertEquals(2, unroll("run", "trm", "TinyTrms.Attention", "--state-dict", f.toString(), "--arch", "L_cycles=2").code());
        assertEquals(2, unroll("run", "trm", "--state-dict", f.toString(), "--puzzle-id", "-1").code());
    }
}
