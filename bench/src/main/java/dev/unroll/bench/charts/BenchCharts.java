package dev.unroll.bench.charts;

import dev.unroll.examples.trm.SudokuTrmModel;
import dev.unroll.runtime.internal.json.Json;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns the committed JMH results ({@code bench/results/*.json}) into PNG charts under
 * {@code docs/charts}: generated kernels against the generic engines and the reference anchors
 * ({@code bench/results/anchors.json}). Run: {@code java -cp bench/target/benchmarks.jar
 * dev.unroll.bench.charts.BenchCharts bench/results docs/charts}.
 */
public final class BenchCharts {
    private static final Color SIMD = new Color(0x1f77b4);
    private static final Color SCALAR = new Color(0x9ecae1);
    private static final Color GENERIC = new Color(0xff7f0e);
    private static final Color ANCHOR = new Color(0x7f7f7f);

    private BenchCharts() {}

    /**
     * @param args results directory, output directory
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchCharts RESULTS_DIR OUTPUT_DIR");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        List<String> written = new ArrayList<>();
        if (Files.isRegularFile(in.resolve("attention-step-d64.json"))) {
            written.add(write(attention(read(in.resolve("attention-step-d64.json")), "width 64, 4 heads"), out.resolve("attention-step-d64")));
        }
        if (Files.isRegularFile(in.resolve("attention-step-d256.json"))) {
            written.add(write(attention(read(in.resolve("attention-step-d256.json")), "width 256, 8 heads"), out.resolve("attention-step-d256")));
        }
        if (Files.isRegularFile(in.resolve("trm.json"))) {
            written.add(write(trm(read(in.resolve("trm.json"))), out.resolve("trm-network")));
        }
        if (Files.isRegularFile(in.resolve("trm-step.json"))) {
            written.add(write(trmBatches(read(in.resolve("trm-step.json"))), out.resolve("trm-batch")));
        }
        if (Files.isRegularFile(in.resolve("transformer-step.json"))) {
            written.add(write(transformerStep(read(in.resolve("transformer-step.json"))), out.resolve("transformer-step")));
        }
        if (Files.isRegularFile(in.resolve("transformer-greedy.json"))) {
            written.add(write(greedy(read(in.resolve("transformer-greedy.json")), anchors(in.resolve("anchors.json"))), out.resolve("transformer-greedy")));
        }
        written.forEach(System.out::println);
    }

    /** One JMH result: benchmark method, parameters, score and unit. */
    record Result(String method, Map<String, Object> params, double score, String unit) {
        String param(String name) {
            return String.valueOf(params.get(name));
        }
    }

    static List<Result> read(Path file) throws IOException {
        List<Result> results = new ArrayList<>();
        for (Object o : Json.asList(Json.parse(Files.readString(file, StandardCharsets.UTF_8)), file.toString())) {
            Map<String, Object> r = Json.asObject(o, file.toString());
            String benchmark = Json.asString(r.get("benchmark"), "benchmark");
            Map<String, Object> metric = Json.asObject(r.get("primaryMetric"), "primaryMetric");
            Object params = r.get("params");
            results.add(new Result(benchmark.substring(benchmark.lastIndexOf('.') + 1),
                    params == null ? Map.of() : Json.asObject(params, "params"),
                    Json.asDouble(metric.get("score"), "score"), Json.asString(metric.get("scoreUnit"), "scoreUnit")));
        }
        return results;
    }

    static Map<String, Double> anchors(Path file) throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            for (Object o : Json.asList(Json.parse(Files.readString(file, StandardCharsets.UTF_8)), file.toString())) {
                Map<String, Object> a = Json.asObject(o, file.toString());
                m.put(Json.asString(a.get("name"), "name"), Json.asDouble(a.get("value"), "value"));
            }
        }
        return m;
    }

    /** Single-stream step throughput of every layer of one width, per flavour, against the generic engine. */
    static CategoryChart attention(List<Result> results, String size) {
        CategoryChart c = new CategoryChartBuilder().width(1100).height(520).title("Linear attention, " + size + ": one token per step (JMH)")
                .xAxisTitle("generated layer").yAxisTitle("thousand tokens/s").build();
        style(c);
        c.getStyler().setXAxisLabelRotation(35);
        for (String impl : List.of("simd", "scalar", "generic")) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Result r : results) {
                if (r.method().equals("step") && r.param("impl").equals(impl)) {
                    names.add(r.param("layer").replace("_D64", "").replace("Wide_", ""));
                    values.add(perSecond(r) / 1e3);
                }
            }
            if (!names.isEmpty()) {
                c.addSeries(label(impl), names, values).setFillColor(color(impl));
            }
        }
        return c;
    }

    /** TRM network calls (Sudoku, hidden 512, batch 1, one thread) in GFLOP/s. */
    static CategoryChart trm(List<Result> results) {
        double flopsPerCall = SudokuTrmModel.SPEC.flopsPerNetworkCall();
        CategoryChart c = new CategoryChartBuilder().width(700).height(420).title("TRM network call, Sudoku hidden 512, batch 1, 1 thread (JMH)")
                .xAxisTitle("implementation").yAxisTitle("GFLOP/s").build();
        style(c);
        c.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Result r : results) {
            if (r.method().equals("network")) {
                names.add(label(r.param("impl")));
                values.add(flopsPerCall * perSecond(r) / 1e9);
            }
        }
        c.addSeries("GFLOP/s", names, values).setFillColor(SIMD);
        return c;
    }

    /** One supervision step of the generated model (SIMD, 2 threads) at batch 1, 16, 64, in GFLOP/s. */
    static CategoryChart trmBatches(List<Result> results) {
        CategoryChart c = new CategoryChartBuilder().width(700).height(420).title("TRM supervision step, generated SIMD, 2 threads (JMH)")
                .xAxisTitle("batch (puzzles)").yAxisTitle("GFLOP/s").build();
        style(c);
        c.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Result r : results) {
            if (r.method().equals("step")) {
                int batch = Integer.parseInt(r.param("batch"));
                names.add(Integer.toString(batch));
                values.add(batch * SudokuTrmModel.SPEC.flopsPerStep() * perSecond(r) / 1e9);
            }
        }
        c.addSeries("GFLOP/s", names, values).setFillColor(SIMD);
        return c;
    }

    /** Cost of one decoding step against the prefix length: KV-cached against full recompute. */
    static XYChart transformerStep(List<Result> results) {
        XYChart c = new XYChartBuilder().width(800).height(480).title("stories260K: one decoding step after a prefix (JMH)")
                .xAxisTitle("prefix length (tokens)").yAxisTitle("µs per token (log)").build();
        style(c);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        for (String method : List.of("cached", "recompute")) {
            for (String pass : List.of("plain", "recurrent")) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (Result r : results) {
                    if (r.method().equals(method) && r.param("pass").equals(pass)) {
                        x.add(Double.parseDouble(r.param("prefix")));
                        y.add(microseconds(r));
                    }
                }
                if (!x.isEmpty()) {
                    var s = c.addSeries(method + ", " + (pass.equals("plain") ? "plain forward" : "recurrent pass 1..3 x2"), x, y);
                    s.setMarker(pass.equals("plain") ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                    s.setLineColor(method.equals("cached") ? SIMD : GENERIC);
                    s.setMarkerColor(method.equals("cached") ? SIMD : GENERIC);
                }
            }
        }
        return c;
    }

    /** Greedy generation of 511 tokens, per implementation, beside llama2.c's run.c. */
    static CategoryChart greedy(List<Result> results, Map<String, Double> anchors) {
        CategoryChart c = new CategoryChartBuilder().width(700).height(420).title("stories260K greedy generation, 511 tokens, 1 thread")
                .xAxisTitle("implementation").yAxisTitle("tokens/s").build();
        style(c);
        c.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Result r : results) {
            if (r.method().equals("generate")) {
                names.add(label(r.param("impl")));
                values.add(511 * perSecond(r));
            }
        }
        for (Map.Entry<String, Double> a : anchors.entrySet()) {
            if (a.getKey().startsWith("run.c")) {
                names.add(a.getKey());
                values.add(a.getValue());
            }
        }
        c.addSeries("tokens/s", names, values).setFillColor(SIMD);
        return c;
    }

    private static void style(org.knowm.xchart.internal.chartpart.Chart<?, ?> c) {
        Styler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setAntiAlias(true);
    }

    private static String label(String impl) {
        return switch (impl) {
            case "simd" -> "generated SIMD";
            case "scalar" -> "generated scalar";
            case "generic" -> "generic engine";
            case "naive" -> "naive Java";
            default -> impl;
        };
    }

    private static Color color(String impl) {
        return switch (impl) {
            case "simd" -> SIMD;
            case "scalar" -> SCALAR;
            case "generic" -> GENERIC;
            default -> ANCHOR;
        };
    }

    /** @return operations per second, whatever JMH unit the score is in */
    static double perSecond(Result r) {
        return switch (r.unit()) {
            case "ops/s" -> r.score();
            case "ops/ms" -> r.score() * 1e3;
            case "ops/us" -> r.score() * 1e6;
            case "s/op" -> 1 / r.score();
            case "ms/op" -> 1e3 / r.score();
            case "us/op" -> 1e6 / r.score();
            case "ns/op" -> 1e9 / r.score();
            default -> throw new IllegalArgumentException("unit " + r.unit());
        };
    }

    private static double microseconds(Result r) {
        return 1e6 / perSecond(r);
    }

    private static String write(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path base) throws IOException {
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapFormat.PNG);
        return base + ".png";
    }
}
