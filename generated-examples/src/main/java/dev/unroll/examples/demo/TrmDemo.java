package dev.unroll.examples.demo;

import dev.unroll.examples.trm.SudokuTrmModel;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceGlues;
import dev.unroll.runtime.internal.Parallel;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.Sudoku;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmGlue;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmResult;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** The Tiny Recursive Model part of the demo. */
final class TrmDemo {
    static final String PUZZLE = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";

    private final PrintWriter out;
    private final boolean quick;

    TrmDemo(PrintWriter out, boolean quick) {
        this.out = out;
        this.quick = quick;
    }

    boolean run() {
        out.println();
        out.println("== Tiny Recursive Model (Sudoku, hidden 512, 2 layers, n 6, T 3): generated SudokuTrmModel ==");
        TrmWeights w = TrmWeights.seeded(SudokuTrmModel.SPEC);
        TrmModel gen = SudokuTrmModel.of(w);
        out.println("runs: " + gen.implementation());
        out.println("backend: " + Backend.JVM.describe());
        int[] tokens = Sudoku.parse(PUZZLE);
        // check: one network call of the generated model against the generic engine
        float[] in = gen.embed(tokens, 1);
        float[] a = new float[in.length];
        float[] b = new float[in.length];
        gen.network(in, 1, a);
        new GenericTrm(w).network(in, 1, b);
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        boolean ok = err < 1e-3;
        out.printf(Locale.ROOT, "checked: one network call vs the generic engine, max abs error %.2e %s%n", err, ok ? "PASS" : "FAIL");
        ok &= golden();
        if (Backend.tornadoRuntimePresent()) {
            ok &= onTheDevice(w, tokens);
        }
        // ACT on the embedded puzzle (seeded weights are untrained: the halting logit stays at -5, every step runs)
        long t0 = System.nanoTime();
        TrmResult r = gen.solve(tokens, 1, false);
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "ACT on an embedded puzzle (seeded, untrained weights): %d supervision steps, halt logit %.2f, %.2f s%n",
                r.steps()[0], r.halt()[0], secs);
        out.println("puzzle            prediction (untrained)");
        String[] p = Sudoku.pretty(PUZZLE).split("\n");
        String[] q = Sudoku.pretty(Sudoku.format(r.prediction(0, 81))).split("\n");
        for (int i = 0; i < p.length; i++) {
            out.printf("  %-22s  %s%n", p[i], q[i]);
        }
        int batch = quick ? 4 : 16;
        int[] many = new int[batch * 81];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(tokens, 0, many, i * 81, 81);
        }
        TrmCarry c = gen.initialCarry(batch);
        gen.step(many, c);
        t0 = System.nanoTime();
        gen.step(many, c);
        secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "speed: batch %d, %d threads: %.1f puzzles/s per supervision step, %.1f GFLOP/s (JMH figures: README)%n",
                batch, Parallel.threads(), batch / secs, batch * SudokuTrmModel.SPEC.flopsPerStep() / secs / 1e9);
        return ok;
    }

    /**
     * One supervision step through the TornadoVM glue against the JVM's, with the network scaled by 0.5 (with
     * seeded weights the 21-call recursion amplifies rounding differences between any two correct
     * implementations; the seed's golden files use the same scale for their end-to-end check).
     */
    private boolean onTheDevice(TrmWeights w, int[] tokens) {
        TrmModel scaled = SudokuTrmModel.of(w.scaleNetwork(0.5f));
        if (DeviceGlues.find(TrmGlue.class, SudokuTrmModel.class) == null) {
            out.println("(no TornadoVM glue: build the examples with -Ptornadovm to run them on the device)");
            return true;
        }
        try (TrmRunner dev = TrmRunners.open(scaled, 1, Backend.TORNADOVM); TrmRunner jvm = TrmRunners.open(scaled, 1, Backend.JVM)) {
            long t0 = System.nanoTime();
            float[] got = dev.step(tokens).logits();
            double secs = (System.nanoTime() - t0) / 1e9;
            float[] want = jvm.step(tokens).logits();
            double max = 0;
            double err = 0;
            for (int i = 0; i < want.length; i++) {
                max = Math.max(max, Math.abs(want[i]));
                err = Math.max(err, Math.abs(want[i] - got[i]));
            }
            boolean ok = err <= 1e-4 * max;
            out.printf(Locale.ROOT, "backend: %s: one supervision step (21 network calls, network x 0.5), logits max rel %.2e vs the JVM %s, %.1f s%n",
                    Backend.TORNADOVM.describe(), err / max, ok ? "PASS" : "FAIL", secs);
            return ok;
        }
    }

    /** The golden file's first network call, teacher-forced, when the TRM reference files are at hand (see DataFiles). */
    private boolean golden() {
        java.util.Optional<Path> found = DataFiles.find("golden/trm/trm_seed0.safetensors");
        if (found.isEmpty()) {
            out.println("(" + DataFiles.missing("golden/trm/trm_seed0.safetensors") + ": skipped)");
            return true;
        }
        Path f = found.get();
        try (SafetensorsFile g = SafetensorsFile.open(f)) {
            TrmWeights w = TrmWeights.load(SudokuTrmModel.SPEC, TensorSource.of(g).filter(n -> !n.contains(".") || n.startsWith("network.")
                    || n.startsWith("input_embedding.") || n.startsWith("output_head.") || n.startsWith("q_head.")));
            TrmModel m = SudokuTrmModel.of(w);
            float[] out1 = new float[4 * 82 * 512];
            m.network(g.floats("trace.net1.in"), 4, out1);
            float[] expected = g.floats("trace.net1.out");
            double err = 0;
            for (int i = 0; i < out1.length; i++) {
                err = Math.max(err, Math.abs(out1[i] - expected[i]));
            }
            boolean ok = err <= 2e-3;
            out.printf(Locale.ROOT, "checked: golden first network call of the seed model.py (PyTorch), max abs error %.2e (tolerance 2e-3) %s%n",
                    err, ok ? "PASS" : "FAIL");
            return ok;
        }
    }
}
