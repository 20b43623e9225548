package dev.unroll.cli;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.OfficialTrmArch;
import dev.unroll.runtime.trm.OfficialTrmCheckpoint;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.weights.TensorSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code unroll run trm --state-dict FILE}: a checkpoint saved with the official TinyRecursiveModels
 * names ({@link OfficialTrmCheckpoint}). With a KERNEL, the generated model of that descriptor runs it;
 * without, the descriptor comes from the checkpoint's shapes and the {@code --arch} settings
 * ({@link OfficialTrmArch}, {@code seq_len} 81 unless given) and the generic engine runs it.
 */
final class TrmStateDictRun {
    /** How to turn a {@code torch.save} checkpoint into the safetensors this command reads (docs/trm.md). */
    static final String CONVERT = "python3 -c \"import sys, torch, safetensors.torch as st; "
            + "st.save_file({k: v.contiguous() for k, v in torch.load(sys.argv[1], map_location='cpu').items()}, sys.argv[2])\" step_N trm.safetensors";

    private TrmStateDictRun() {}

    /** The model that runs, and what to print about it. */
    record Loaded(TrmModel model, String kernel) {}

    /**
     * @param kernel a generated model whose descriptor the checkpoint must match, or null
     * @param file the checkpoint
     * @param arch the official {@code arch.*} settings (without a kernel only)
     * @param puzzleIdentifier the puzzle embedding's row
     * @return the model holding the checkpoint's weights
     */
    static Loaded load(TrmProvider kernel, Path file, Map<String, String> arch, int puzzleIdentifier) {
        refusePickle(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            TensorSource source = TensorSource.of(f);
            if (kernel != null) {
                return new Loaded(kernel.create(OfficialTrmCheckpoint.load(kernel.spec(), source, puzzleIdentifier)),
                        Targets.shortName(kernel) + "  " + Targets.describe(kernel));
            }
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("seq_len", "81");
            arch.forEach((k, v) -> settings.put(k.startsWith("arch.") ? k.substring(5) : k, v));
            TrmSpec spec = OfficialTrmArch.spec(source, settings);
            return new Loaded(new GenericTrm(OfficialTrmCheckpoint.load(spec, source, puzzleIdentifier)), "none registered for the checkpoint: " + spec.describe());
        }
    }

    /** A {@code torch.save} file (a zip archive, or a bare pickle) gets the conversion command, not a safetensors parse error. */
    static void refusePickle(Path file) {
        if (!Files.isRegularFile(file)) {
            return; // the safetensors reader names what is wrong with it
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            return;
        }
        boolean zip = head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        boolean pickle = head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
        if (zip || pickle) {
            throw new UnrollException(file + " is a PyTorch pickle (torch.save), which Unroll does not read: convert it to safetensors with " + CONVERT);
        }
    }
}
