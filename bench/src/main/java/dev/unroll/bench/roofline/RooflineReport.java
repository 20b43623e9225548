package dev.unroll.bench.roofline;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.bench.llama.SeededShapes;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.weights.CompactFormats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The roofline table: reads JMH results of one run (the ceilings, {@link BandwidthProbe} and
 * {@link FmaPeak}, and the workloads) and prints, per workload, the bytes and FLOPs of one token
 * (or call), the achieved rate, the ceiling that binds and the fraction of it reached. A workload
 * whose bytes per FLOP put it under the memory roof is bound by the bandwidth of the level its
 * working set fits in; otherwise by the FMA peak (times the threads it runs on).
 *
 * <p>Cache levels by working set (this machine reports no cache sizes; AMD EPYC): L1 up to 32 KiB,
 * L2 up to 1 MiB, L3 up to 32 MiB, DRAM beyond. Bytes count every weight once per token plus state
 * or KV cache reads; a multiply-add is 2 FLOPs.
 *
 * <p>Usage: {@code RooflineReport RESULTS.json...} (as written by {@code bench/roofline.sh}).
 */
public final class RooflineReport {
    private static final double KIB = 1024;
    private static final double MIB = 1024 * 1024;

    private RooflineReport() {}

    /** One measured workload. */
    record Workload(String name, double bytes, double flops, double workingSet, int threads, double perSecond, double error, String unit) {}

    /**
     * @param args JMH JSON result files
     * @throws IOException when a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (String a : args) {
            read(Path.of(a), scores);
        }
        Ceilings c = Ceilings.of(scores);
        List<Workload> rows = workloads(scores);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "One core: L1 %.0f, L2 %.0f, L3 %.0f, DRAM %.0f GB/s; FMA %.0f GFLOP/s (Vector API, F32)%n%n",
                c.l1 / 1e9, c.l2 / 1e9, c.l3 / 1e9, c.dram / 1e9, c.fma / 1e9));
        out.append("| workload | bytes / token | FLOP / token | FLOP/byte | achieved | roof (what binds) | fraction |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|\n");
        for (Workload w : rows) {
            double intensity = w.flops() / w.bytes();
            String level;
            double bw;
            if (w.workingSet() <= 32 * KIB) {
                level = "L1";
                bw = c.l1;
            } else if (w.workingSet() <= MIB) {
                level = "L2";
                bw = c.l2;
            } else if (w.workingSet() <= 32 * MIB) {
                level = "L3";
                bw = c.l3;
            } else {
                level = "DRAM";
                bw = c.dram;
            }
            bw *= w.threads();
            double fma = c.fma * w.threads();
            boolean memory = bw * intensity < fma;
            double roof = memory ? bw * intensity : fma;
            double achievedFlops = w.perSecond() * w.flops();
            String roofText = memory ? String.format(Locale.ROOT, "%s %.0f GB/s → %.1f GFLOP/s", level, bw / 1e9, roof / 1e9)
                    : String.format(Locale.ROOT, "FMA%s %.0f GFLOP/s", w.threads() > 1 ? " × " + w.threads() : "", roof / 1e9);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s %s (± %.0f%%) = %.1f GFLOP/s, %.1f GB/s | %s | %.0f %% |%n", w.name(),
                    size(w.bytes()), count(w.flops()), intensity, count(w.perSecond()), w.unit(), 100 * w.error() / w.perSecond(),
                    achievedFlops / 1e9, w.perSecond() * w.bytes() / 1e9, roofText, 100 * achievedFlops / roof));
        }
        System.out.print(out);
    }

    /** The ceilings of one core, from the same run. */
    record Ceilings(double l1, double l2, double l3, double dram, double fma) {
        static Ceilings of(Map<String, double[]> s) {
            return new Ceilings(read(s, 16), read(s, 256), read(s, 4096), read(s, 262144), need(s, "FmaPeak.fma flops"));
        }

        /** The faster of one stream and four concurrent streams. */
        private static double read(Map<String, double[]> s, int kib) {
            double one = need(s, "BandwidthProbe.read kib=" + kib + " bytes");
            double[] four = s.get("BandwidthProbe.readFourStreams kib=" + kib + " bytes");
            return four == null ? one : Math.max(one, four[0]);
        }
    }

    private static double need(Map<String, double[]> s, String key) {
        double[] v = s.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no result for " + key + " among " + s.keySet());
        }
        return v[0];
    }

    private static List<Workload> workloads(Map<String, double[]> s) {
        List<Workload> out = new ArrayList<>();
        for (String layer : new String[] {"Gla_D64", "Wide_Gla", "WideBf16_Gla", "WideQ8_Gla"}) {
            double[] v = s.get("AttentionBenchmark.step impl=simd layer=" + layer);
            if (v != null) {
                double[] bf = attention(layer);
                out.add(new Workload("GLA step, " + (layer.startsWith("Wide") ? "width 256, 8 heads" : "width 64, 4 heads") + ", "
                        + format(layer), bf[0], bf[1], bf[0], 1, v[0], v[1], "tok/s"));
            }
        }
        double[] greedy = s.get("GreedyBenchmark.generate impl=simd");
        if (greedy != null) {
            TransformerSpec spec = SeededShapes.STORIES260K;
            double[] bf = decode(spec, WeightFormat.F32, spec.maxSeq() / 2.0);
            double perSecond = 511 * 1000 / greedy[0];
            out.add(new Workload("stories260K greedy token (F32)", bf[0], bf[1], bf[0], 1, perSecond, perSecond * greedy[1] / greedy[0], "tok/s"));
        }
        for (String shape : new String[] {"15M", "110M"}) {
            for (WeightFormat f : WeightFormat.values()) {
                double[] v = s.get("DecodeBenchmark.token shape=" + shape + " weights=" + f);
                if (v != null) {
                    TransformerSpec spec = SeededShapes.of(shape);
                    double[] bf = decode(spec, f, 128);
                    double perSecond = 1e6 / v[0];
                    out.add(new Workload("stories" + shape + "-shaped decode token (" + f + ")", bf[0], bf[1], bf[0], 1, perSecond,
                            perSecond * v[1] / v[0], "tok/s"));
                }
            }
        }
        TrmSpec trm = TrmSpec.builder().buildUnchecked();
        for (WeightFormat f : WeightFormat.values()) {
            double[] v = s.get("TrmBenchmark.network impl=simd weights=" + f);
            if (v != null) {
                double bytes = trmWeights(trm, f);
                double perSecond = 1000 / v[0];
                out.add(new Workload("TRM network call, batch 1, 1 thread (" + f + ")", bytes, trm.flopsPerNetworkCall(), bytes, 1, perSecond,
                        perSecond * v[1] / v[0], "calls/s"));
            }
        }
        for (WeightFormat f : WeightFormat.values()) {
            double[] step = s.get("TrmBenchmark.step batch=64 weights=" + f);
            if (step != null) {
                double bytes = trmWeights(trm, f);
                double perSecond = 1000 / step[0];
                out.add(new Workload("TRM supervision step, batch 64, 2 threads (" + f + ")", bytes * 21, trm.flopsPerStep() * 64, bytes, 2,
                        perSecond, perSecond * step[1] / step[0], "steps/s"));
            }
        }
        return out;
    }

    private static String format(String layer) {
        return layer.startsWith("WideBf16") ? "BF16" : layer.startsWith("WideQ8") ? "Q8" : "F32";
    }

    /** Bytes (projections in their format, element-wise weights, state read and written) and FLOPs of one step. */
    private static double[] attention(String layer) {
        try {
            Class<?> k = Class.forName((layer.startsWith("Wide") ? "dev.unroll.bench.attention." : "dev.unroll.examples.attention.") + layer + "Kernels");
            int p = k.getField("P").getInt(null);
            int d = k.getField("D").getInt(null);
            int hv = k.getField("HV").getInt(null);
            int aux = k.getField("AUX_SIZE").getInt(null);
            int state = k.getField("STATE_SIZE").getInt(null);
            double bpw = CompactFormats.bytesPerWeight(WeightFormat.valueOf(format(layer)));
            double bytes = bpw * ((double) p * d + (double) d * hv) + 4.0 * aux + 8.0 * state;
            double flops = 2.0 * ((double) p * d + (double) d * hv) + 4.0 * state;
            return new double[] {bytes, flops};
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(layer + ": " + e, e);
        }
    }

    /** Bytes and FLOPs of one decoding step at an average cache length. */
    private static double[] decode(TransformerSpec s, WeightFormat f, double positions) {
        double d = s.width();
        double matrices = s.layers() * (2 * d * d + 2 * s.kvWidth() * d + 3 * s.ffnHidden() * d) + s.vocab() * d;
        double cache = s.layers() * positions * 2 * s.kvWidth() * 4;
        double bytes = matrices * CompactFormats.bytesPerWeight(f) + d * 4 + cache;
        double flops = 2 * matrices + s.layers() * positions * 4 * d;
        return new double[] {bytes, flops};
    }

    /** Bytes of the weights one network call reads: the row projections in their format, the rest F32. */
    private static double trmWeights(TrmSpec s, WeightFormat f) {
        double h = s.hidden();
        double i = s.mlpIntermediate();
        double l = s.sequence();
        double mix = s.mixerIntermediate();
        double projections = s.layers() * (h * 2 * i + i * h);
        double mixer = s.layers() * (2 * mix * l + l * mix);
        return projections * CompactFormats.bytesPerWeight(f) + mixer * 4;
    }

    private static String size(double bytes) {
        return bytes >= MIB ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : String.format(Locale.ROOT, "%.0f KB", bytes / 1e3);
    }

    private static String count(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.3f", v);
    }

    /** Reads "Benchmark.method k=v k=v" (and "... counter" for secondary counters) to {score, error}. */
    private static void read(Path file, Map<String, double[]> out) throws IOException {
        for (Object o : Json.asList(Json.parse(Files.readString(file, StandardCharsets.UTF_8)), file.toString())) {
            Map<String, Object> r = Json.asObject(o, file.toString());
            String name = Json.asString(r.get("benchmark"), "benchmark");
            StringBuilder key = new StringBuilder(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
            if (r.get("params") instanceof Map<?, ?> params) {
                new java.util.TreeMap<>(params).forEach((k, v) -> key.append(' ').append(k).append('=').append(v));
            }
            out.put(key.toString(), score(Json.asObject(r.get("primaryMetric"), "primaryMetric")));
            if (r.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
                for (Map.Entry<?, ?> e : secondary.entrySet()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> metric = (Map<String, Object>) e.getValue();
                    out.put(key + " " + e.getKey(), score(metric));
                }
            }
        }
    }

    private static double[] score(Map<String, Object> metric) {
        Object error = metric.get("scoreError");
        return new double[] {Json.asDouble(metric.get("score"), "score"),
            error instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : 0};
    }
}
