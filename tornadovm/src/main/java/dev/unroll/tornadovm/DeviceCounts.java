package dev.unroll.tornadovm;

import dev.unroll.annotations.TokenMixer;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.transformer.BatchDecodeRunner;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerRunners;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts what each of {@link DeviceBench}'s workloads asks of the device per call, from TornadoVM's own
 * record: run in a TornadoVM JVM with {@code -Dtornado.print.bytecodes=True}, it captures the bytecodes
 * TornadoVM's interpreter prints for one warm call and counts its kernel launches ({@code LAUNCH}) and
 * the bytes it moves on every execution ({@code TRANSFER_*_ALWAYS}, TornadoVM's sizes, array headers
 * included). Beside them, the device memory the kernels read and write per call (a model of the kernels
 * as written: weights and caches read once per launch that uses them; for attention {@link AttentionTraffic})
 * and a GPU model of the call from the three: launches x latency + device bytes / bandwidth + link bytes /
 * link bandwidth, with {@link DeviceBench}'s named parameters. Prints a Markdown table.
 */
public final class DeviceCounts {
    private static final Pattern SIZE = Pattern.compile("size=(\\d+)");

    private DeviceCounts() {}

    /** @param args none */
    public static void main(String[] args) throws Exception {
        if (!Boolean.parseBoolean(System.getProperty("tornado.print.bytecodes", "false"))) {
            System.err.println("DeviceCounts reads TornadoVM's bytecode trace: run it with -Dtornado.print.bytecodes=True");
            System.exit(2);
        }
        PrintStream out = System.out;
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "GPU model (a projection, not a measurement): launches x %.0f us + device bytes / %.0f GB/s + link bytes / %.0f GB/s%n%n",
                DeviceBench.GPU_LAUNCH_SECONDS * 1e6, DeviceBench.GPU_BYTES_PER_SECOND / 1e9, DeviceBench.LINK_BYTES_PER_SECOND / 1e9));
        table.append("| workload | tokens / call | launches / call | launches / token | host→device bytes / call | device→host bytes / call"
                + " | device bytes / token (model) | GPU model, tokens/s |\n|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String name : DeviceBench.ATTENTION) {
            LinearAttentionProvider p = DeviceBench.provider(LinearAttentionProvider.class, name);
            LinearAttentionLayer layer = p.create(AttentionWeights.seeded(p.spec()));
            int d = p.spec().width();
            int tokens = 256;
            try (SequenceRunner r = LinearAttentionRunners.open(layer, layer.newState(), tokens, Backend.TORNADOVM)) {
                float[] xs = new float[tokens * d];
                float[] ys = new float[xs.length];
                table.append(row("attention " + name.replace("Layer", "") + ", 256-token sequence", tokens,
                        AttentionTraffic.of(p, tokens).deviceBytes() * tokens, () -> r.run(xs, ys)));
            }
            int streams = DeviceBench.STREAMS;
            AttentionState[] states = new AttentionState[streams];
            for (int b = 0; b < streams; b++) {
                states[b] = layer.newState();
            }
            try (StreamsRunner r = LinearAttentionRunners.openStreams(layer, states, Backend.TORNADOVM)) {
                float[] xs = new float[streams * d];
                float[] ys = new float[xs.length];
                table.append(row("attention " + name.replace("Layer", "") + ", " + streams + " streams", streams,
                        AttentionTraffic.of(p, streams).deviceBytes() * streams, () -> r.step(xs, ys)));
            }
        }
        TrmProvider tp = DeviceBench.provider(TrmProvider.class, "SudokuTrmModel");
        TrmModel trm = tp.create(TrmWeights.seeded(tp.spec()));
        int[] puzzle = new int[tp.spec().context()];
        try (TrmRunner r = TrmRunners.open(trm, 1, Backend.TORNADOVM)) {
            table.append(row("TRM SudokuTrm, batch 1, one supervision step (\"tokens\": puzzles)", 1, trmBytes(tp.spec()), () -> r.step(puzzle)));
        }
        Llama2c.Checkpoint c = Llama2c.load(DataFiles.require("models/stories260K/stories260K.bin"));
        for (String name : List.of("Stories260KModel", "Stories260KLoopedModel")) {
            TransformerProvider p = DeviceBench.provider(TransformerProvider.class, name);
            TransformerModel model = p.create(c.weights());
            RecurrentPassSpec rp = p.spec().block() == null ? null : RecurrentPassSpec.of(p.spec().block());
            int passes = model.spec().layers() + (rp == null ? 0 : (rp.loopEnd() - rp.loopStart() + 1) * (rp.depth() - 1));
            float[] logits = new float[model.spec().vocab()];
            try (DecodeRunner r = new CachedGenerator(model, Backend.TORNADOVM).open(rp, null, 1)) {
                for (int pos = 0; pos < 64; pos++) {
                    r.absorb(1 + pos % 400, pos);
                }
                table.append(row("transformer " + name.replace("Model", "") + ", one decoding step at position 64", 1,
                        decodeBytes(model.spec(), passes, 64), () -> r.next(7, 64, logits)));
            }
            int[] prompt = DeviceBench.prompt256(model);
            try (DecodeRunner r = new CachedGenerator(model, Backend.TORNADOVM).open(rp, null, prompt.length)) {
                table.append(row("transformer " + name.replace("Model", "") + ", a 256-token prompt in blocks of " + deviceBlock(), prompt.length,
                        promptBytes(model.spec(), passes, prompt.length), () -> r.absorb(prompt, 0, prompt.length, 0)));
            }
            int n = DeviceBench.SEQUENCES;
            try (BatchDecodeRunner r = TransformerRunners.openBatch(model, n, Backend.TORNADOVM)) {
                int[] tokens = new int[n];
                float[][] all = new float[n][model.spec().vocab()];
                int[][] at = DeviceBench.fill(r, tokens, all);
                table.append(row("transformer " + name.replace("Model", "") + ", " + n + " sequences x 1 token at position 64", n,
                        sequencesBytes(model.spec(), passes, n, 64), () -> r.next(tokens, at[64], all)));
            }
        }
        out.println();
        out.print(table);
        out.flush();
    }

    private interface Call {
        void run() throws Exception;
    }

    /** One table row: a warm call first, then one call with TornadoVM's trace captured. */
    private static String row(String what, int tokens, double deviceBytes, Call call) throws Exception {
        call.run();
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setOut(old);
        }
        Trace t = Trace.of(buf.toString(StandardCharsets.UTF_8));
        long launches = t.launches();
        long in = t.toDevice();
        long back = t.toHost();
        double perToken = (double) launches / tokens;
        double seconds = launches * DeviceBench.GPU_LAUNCH_SECONDS + deviceBytes / DeviceBench.GPU_BYTES_PER_SECOND
                + (in + back) / DeviceBench.LINK_BYTES_PER_SECOND;
        String r = String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %,d | %,d | %,.0f | %,.0f |%n", what, tokens, launches, perToken, in, back,
                deviceBytes / tokens, tokens / seconds);
        System.out.print(r);
        return r;
    }

    /**
     * What one call asked of the device, read from TornadoVM's bytecode trace.
     *
     * @param launches kernel launches ({@code LAUNCH})
     * @param toDevice bytes sent on every execution ({@code TRANSFER_HOST_TO_DEVICE_ALWAYS})
     * @param toHost bytes received on every execution ({@code TRANSFER_DEVICE_TO_HOST_ALWAYS}, blocking or not)
     */
    record Trace(long launches, long toDevice, long toHost) {
        /**
         * @param trace what TornadoVM printed (its colour codes are ignored)
         * @return the counts
         */
        static Trace of(String trace) {
            long launches = 0;
            long in = 0;
            long back = 0;
            for (String line : trace.split("\n")) {
                String l = line.replaceAll("\u001B\\[[0-9;]*m", "");
                if (l.contains(" LAUNCH ")) {
                    launches++;
                } else if (l.contains("TRANSFER_HOST_TO_DEVICE_ALWAYS")) {
                    in += size(l);
                } else if (l.contains("TRANSFER_DEVICE_TO_HOST_ALWAYS")) {
                    back += size(l);
                }
            }
            return new Trace(launches, in, back);
        }
    }

    private static long size(String line) {
        Matcher m = SIZE.matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Weights of every network call of a supervision step, batch 1, read once per call. */
    private static double trmBytes(TrmSpec s) {
        double h = s.hidden();
        double l = s.sequence();
        double mix = s.mixer() == TokenMixer.MLP ? 3 * l * s.mixerIntermediate() : 4 * h * h;
        double perLayer = mix + 3 * h * s.mlpIntermediate();
        return 4.0 * s.cycles() * (s.latentSteps() + 1) * s.layers() * perLayer;
    }

    /** @return tokens per device block of the decoders' glue (a constant of the generated kernels, found on the class path) */
    private static int deviceBlock() {
        try {
            return Class.forName("dev.unroll.examples.transformer.Stories260KKernels").getField("DEVICE_BLOCK").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the generated examples are not on the class path: " + e, e);
        }
    }

    /**
     * A prompt from position 0 in blocks (no logits): every pass's weights once per block (a row stays in cache while
     * the block's tokens use it), and each token's attention over the cache up to its position.
     */
    private static double promptBytes(TransformerSpec s, int passes, int tokens) {
        double kv = s.kvWidth();
        double blocks = Math.ceil((double) tokens / deviceBlock());
        double cache = 2 * kv * ((double) tokens * (tokens + 1) / 2);
        return 4.0 * (blocks * passes * layerFloats(s) + passes * cache);
    }

    /**
     * One token of each of n sequences in blocks: the weights and the classifier once per block (a row stays in cache while
     * the block's tokens use it), each sequence's cache up to the position.
     */
    private static double sequencesBytes(TransformerSpec s, int passes, int n, int position) {
        double blocks = Math.ceil((double) n / deviceBlock());
        return 4.0 * (blocks * (passes * layerFloats(s) + (double) s.vocab() * s.width()) + (double) n * passes * 2 * s.kvWidth() * (position + 1));
    }

    /** One decoding step: every pass's weights, the classifier, and the KV cache up to the position, read once. */
    private static double decodeBytes(TransformerSpec s, int passes, int position) {
        double cache = 2.0 * s.kvWidth() * (position + 1);
        return 4.0 * (passes * (layerFloats(s) + cache) + (double) s.vocab() * s.width());
    }

    /** @return the floats of one layer's matrices and norms */
    private static double layerFloats(TransformerSpec s) {
        double d = s.width();
        return 2 * d * s.queryWidth() + 2 * d * s.kvWidth() + 3 * d * s.ffnHidden() + 2 * d;
    }
}
