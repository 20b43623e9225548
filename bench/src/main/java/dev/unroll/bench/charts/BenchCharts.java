package dev.unroll.bench.charts;

import dev.unroll.examples.trm.SudokuTrmModel;
import dev.unroll.runtime.internal.json.Json;
import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns the committed JMH results ({@code bench/results/*.json}) into PNG charts under
 * {@code docs/charts}, each with a sidecar CSV of the figures it plots ({@code docs/charts/<name>.csv}).
 * Run: {@code java -cp bench/target/benchmarks.jar dev.unroll.bench.charts.BenchCharts bench/results docs/charts}.
 *
 * <p>Extraction ({@link #charts}) is a pure function of the results directory and is all that drawing
 * ({@link #draw}) and the CSVs ({@link #csv}) see; {@code BenchChartsTest} recomputes it and compares it
 * with the committed CSVs. Every plotted figure comes from one JMH record and carries that record's
 * error: JMH's 99.9% confidence half-width ({@code primaryMetric.scoreError}), or, where JMH gives none
 * (fewer than 3 iterations), the largest distance from the score to an iteration. A figure in another
 * unit than JMH's keeps the score's relative error (exact for a scaling such as ops/s to thousand
 * tokens/s, first order for the reciprocal of a time such as ms/op to tokens/s): XChart's error bars
 * are symmetric.
 *
 * <p>The charts carry JMH results only. The greedy chart used to show run.c at 4,482 tokens/s
 * ({@code bench/results/anchors.json}, since deleted): a figure from other minutes with another build
 * and stopping rule, which the README withdrew. The same-run comparisons with run.c and llama.cpp
 * ({@code bench/results/vs-runc-*.txt}, {@code vs-llamacpp-*.txt}) time another workload (greedy until
 * BOS or 256 positions, not JMH's 511 tokens), so they stay in the README's tables, not beside these bars.
 */
public final class BenchCharts {
    private static final Color SIMD = new Color(0x1f77b4);
    private static final Color SCALAR = new Color(0x9ecae1);
    private static final Color GENERIC = new Color(0xff7f0e);
    private static final Color OTHER = new Color(0x7f7f7f);

    /** Significant digits of the plotted figures in the CSVs. */
    static final int VALUE_DIGITS = 6;
    /** Significant digits of the JMH figures in the CSVs. */
    static final int JMH_DIGITS = 10;
    /** The CSV header. */
    static final String CSV_HEADER = "series,x,value,error,error_kind,unit,source,benchmark,params,jmh_score,jmh_error,jmh_unit";

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
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        for (ChartData data : charts(Path.of(args[0]))) {
            Path base = out.resolve(data.name());
            BitmapEncoder.saveBitmap(draw(data), base.toString(), BitmapFormat.PNG);
            Files.writeString(out.resolve(data.name() + ".csv"), csv(data), StandardCharsets.UTF_8);
            System.out.println(base + ".png");
            System.out.println(base + ".csv");
        }
    }

    /** One JMH record: the file it is in, benchmark, parameters, score, error and unit. */
    record Result(String source, String benchmark, Map<String, Object> params, double score, double scoreError,
            double min, double max, int iterations, String unit) {
        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        String param(String name) {
            return String.valueOf(params.get(name));
        }

        /** @return the parameters as {@code key=value;key=value}, in the file's order */
        String paramsText() {
            StringJoiner j = new StringJoiner(";");
            params.forEach((k, v) -> j.add(k + "=" + v));
            return j.toString();
        }

        /** @return JMH's confidence half-width, or the largest distance to an iteration where JMH gives none */
        double error() {
            return Double.isNaN(scoreError) ? Math.max(score - min, max - score) : scoreError;
        }

        String errorKind() {
            return Double.isNaN(scoreError) ? "min-max of " + iterations + " iterations" : "99.9% CI";
        }
    }

    /** How a chart is drawn. */
    enum Kind {
        /** bars per category */
        BARS,
        /** lines over a numeric x, logarithmic y */
        LINES_LOG_Y
    }

    /**
     * One plotted figure and the JMH record it comes from.
     *
     * @param series the series (legend entry)
     * @param x the category or the x value
     * @param value the plotted value, in {@code unit}
     * @param error the error bar's half-height, in {@code unit}
     * @param errorKind what the error bar is
     * @param unit the plotted unit
     * @param from the JMH record
     */
    record Point(String series, String x, double value, double error, String errorKind, String unit, Result from) {}

    /** One chart: its file name, titles, size, and the plotted figures, series in order of appearance. */
    record ChartData(String name, Kind kind, String title, String xTitle, String yTitle, int width, int height,
            boolean legend, int xLabelRotation, List<Point> points) {
        List<String> series() {
            Set<String> s = new LinkedHashSet<>();
            points.forEach(p -> s.add(p.series()));
            return List.copyOf(s);
        }

        List<Point> points(String series) {
            return points.stream().filter(p -> p.series().equals(series)).toList();
        }
    }

    /**
     * @param in the results directory
     * @return the data of every chart whose results file is there, in a fixed order
     * @throws IOException when a file cannot be read
     */
    static List<ChartData> charts(Path in) throws IOException {
        List<ChartData> charts = new ArrayList<>();
        if (Files.isRegularFile(in.resolve("attention-step-d64.json"))) {
            charts.add(attention("attention-step-d64", read(in.resolve("attention-step-d64.json")), "width 64, 4 heads"));
        }
        if (Files.isRegularFile(in.resolve("attention-step-d256.json"))) {
            charts.add(attention("attention-step-d256", read(in.resolve("attention-step-d256.json")), "width 256, 8 heads"));
        }
        if (Files.isRegularFile(in.resolve("trm.json"))) {
            charts.add(trm(read(in.resolve("trm.json"))));
        }
        if (Files.isRegularFile(in.resolve("trm-step.json"))) {
            charts.add(trmBatches(read(in.resolve("trm-step.json"))));
        }
        if (Files.isRegularFile(in.resolve("transformer-step.json"))) {
            charts.add(transformerStep(read(in.resolve("transformer-step.json"))));
        }
        if (Files.isRegularFile(in.resolve("transformer-greedy.json"))) {
            charts.add(greedy(read(in.resolve("transformer-greedy.json"))));
        }
        return charts;
    }

    static List<Result> read(Path file) throws IOException {
        String source = file.getFileName().toString();
        List<Result> results = new ArrayList<>();
        for (Object o : Json.asList(Json.parse(Files.readString(file, StandardCharsets.UTF_8)), file.toString())) {
            Map<String, Object> r = Json.asObject(o, file.toString());
            Map<String, Object> metric = Json.asObject(r.get("primaryMetric"), "primaryMetric");
            Map<String, Object> percentiles = Json.asObject(metric.get("scorePercentiles"), "scorePercentiles");
            Object params = r.get("params");
            results.add(new Result(source, Json.asString(r.get("benchmark"), "benchmark"),
                    params == null ? Map.of() : Json.asObject(params, "params"),
                    number(metric.get("score"), "score"), number(metric.get("scoreError"), "scoreError"),
                    number(percentiles.get("0.0"), "scorePercentiles 0.0"), number(percentiles.get("100.0"), "scorePercentiles 100.0"),
                    Json.asInt(r.get("measurementIterations"), "measurementIterations") * Json.asInt(r.get("forks"), "forks"),
                    Json.asString(metric.get("scoreUnit"), "scoreUnit")));
        }
        return results;
    }

    /** JMH writes an undefined figure as the string {@code "NaN"}. */
    private static double number(Object v, String what) {
        return "NaN".equals(v) ? Double.NaN : Json.asDouble(v, what);
    }

    /** A figure derived from {@code r}: its error keeps the score's relative error. */
    private static Point point(String series, String x, Result r, ToDoubleFunction<Result> value, String unit) {
        double v = value.applyAsDouble(r);
        return new Point(series, x, v, Math.abs(v) * r.error() / r.score(), r.errorKind(), unit, r);
    }

    /** Single-stream step throughput of every layer of one width, per flavour, against the generic engine. */
    static ChartData attention(String name, List<Result> results, String size) {
        List<Point> points = new ArrayList<>();
        for (String impl : List.of("simd", "scalar", "generic")) {
            for (Result r : results) {
                if (r.method().equals("step") && r.param("impl").equals(impl)) {
                    points.add(point(label(impl), r.param("layer").replace("_D64", "").replace("Wide_", ""), r,
                            x -> perSecond(x) / 1e3, "thousand tokens/s"));
                }
            }
        }
        return new ChartData(name, Kind.BARS, "Linear attention, " + size + ": one token per step",
                "generated layer", "thousand tokens/s", 1100, 520, true, 35, points);
    }

    /** TRM network calls (Sudoku, hidden 512, batch 1, one thread) in GFLOP/s. */
    static ChartData trm(List<Result> results) {
        double flopsPerCall = SudokuTrmModel.SPEC.flopsPerNetworkCall();
        List<Point> points = new ArrayList<>();
        for (Result r : results) {
            if (r.method().equals("network")) {
                points.add(point("GFLOP/s", label(r.param("impl")), r, x -> flopsPerCall * perSecond(x) / 1e9, "GFLOP/s"));
            }
        }
        return new ChartData("trm-network", Kind.BARS, "TRM network call, Sudoku hidden 512, batch 1, 1 thread",
                "implementation", "GFLOP/s", 700, 420, false, 0, points);
    }

    /** One supervision step of the generated model (SIMD, 2 threads) at batch 1, 16, 64, in GFLOP/s. */
    static ChartData trmBatches(List<Result> results) {
        List<Point> points = new ArrayList<>();
        for (Result r : results) {
            if (r.method().equals("step")) {
                int batch = Integer.parseInt(r.param("batch"));
                points.add(point("GFLOP/s", Integer.toString(batch), r,
                        x -> batch * SudokuTrmModel.SPEC.flopsPerStep() * perSecond(x) / 1e9, "GFLOP/s"));
            }
        }
        return new ChartData("trm-batch", Kind.BARS, "TRM supervision step, generated SIMD, 2 threads",
                "batch (puzzles)", "GFLOP/s", 700, 420, false, 0, points);
    }

    /** Cost of one decoding step against the prefix length: KV-cached against full recompute. */
    static ChartData transformerStep(List<Result> results) {
        List<Point> points = new ArrayList<>();
        for (String method : List.of("cached", "recompute")) {
            for (String pass : List.of("plain", "recurrent")) {
                String series = method + ", " + (pass.equals("plain") ? "plain forward" : "recurrent pass 1..3 x2");
                for (Result r : results) {
                    if (r.method().equals(method) && r.param("pass").equals(pass)) {
                        points.add(point(series, r.param("prefix"), r, x -> 1e6 / perSecond(x), "µs per token"));
                    }
                }
            }
        }
        return new ChartData("transformer-step", Kind.LINES_LOG_Y, "stories260K: one decoding step after a prefix",
                "prefix length (tokens)", "µs per token (log)", 980, 480, true, 0, points);
    }

    /** Greedy generation of 511 tokens, per implementation (JMH only: see the class comment on run.c). */
    static ChartData greedy(List<Result> results) {
        List<Point> points = new ArrayList<>();
        for (Result r : results) {
            if (r.method().equals("generate")) {
                points.add(point("tokens/s", label(r.param("impl")), r, x -> 511 * perSecond(x), "tokens/s"));
            }
        }
        return new ChartData("transformer-greedy", Kind.BARS, "stories260K greedy generation, 511 tokens, 1 thread",
                "implementation", "tokens/s", 700, 420, false, 0, points);
    }

    /**
     * @param data a chart's data
     * @return the chart, drawn from {@code data} alone; the title names what the error bars are
     */
    static Chart<?, ?> draw(ChartData data) {
        Set<String> kinds = new LinkedHashSet<>();
        data.points().forEach(p -> kinds.add(p.errorKind()));
        String title = data.title() + " (JMH; bars: " + String.join(", ", kinds) + ")";
        if (data.kind() == Kind.LINES_LOG_Y) {
            XYChart c = new XYChartBuilder().width(data.width()).height(data.height()).title(title)
                    .xAxisTitle(data.xTitle()).yAxisTitle(data.yTitle()).build();
            style(c);
            c.getStyler().setYAxisLogarithmic(true);
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
            c.getStyler().setErrorBarsColorSeriesColor(true);
            for (String series : data.series()) {
                List<Point> ps = data.points(series);
                var s = c.addSeries(series, ps.stream().map(p -> Double.parseDouble(p.x())).toList(),
                        ps.stream().map(Point::value).toList(), ps.stream().map(Point::error).toList());
                s.setMarker(series.contains("plain") ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                s.setLineColor(color(series));
                s.setMarkerColor(color(series));
            }
            return c;
        }
        CategoryChart c = new CategoryChartBuilder().width(data.width()).height(data.height()).title(title)
                .xAxisTitle(data.xTitle()).yAxisTitle(data.yTitle()).build();
        style(c);
        c.getStyler().setLegendVisible(data.legend());
        c.getStyler().setXAxisLabelRotation(data.xLabelRotation());
        c.getStyler().setErrorBarsColorSeriesColor(false);
        c.getStyler().setErrorBarsColor(Color.BLACK);
        for (String series : data.series()) {
            List<Point> ps = data.points(series);
            c.addSeries(series, ps.stream().map(Point::x).toList(), ps.stream().map(Point::value).toList(),
                    ps.stream().map(Point::error).toList()).setFillColor(color(series));
        }
        return c;
    }

    /**
     * @param data a chart's data
     * @return its CSV: {@link #CSV_HEADER}, then one line per plotted figure ({@code source} is the file's
     *     name in the results directory)
     */
    static String csv(ChartData data) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Point p : data.points()) {
            Result r = p.from();
            List<String> fields = List.of(p.series(), p.x(), figure(p.value(), VALUE_DIGITS), figure(p.error(), VALUE_DIGITS),
                    p.errorKind(), p.unit(), r.source(), r.benchmark(), r.paramsText(), figure(r.score(), JMH_DIGITS),
                    figure(r.scoreError(), JMH_DIGITS), r.unit());
            StringJoiner line = new StringJoiner(",");
            fields.forEach(f -> line.add(csvField(f)));
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /** @return {@code v} rounded to {@code digits} significant digits, the same on every JDK */
    static String figure(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    private static String csvField(String f) {
        return f.contains(",") || f.contains("\"") || f.contains("\n") ? "\"" + f.replace("\"", "\"\"") + "\"" : f;
    }

    private static void style(Chart<?, ?> c) {
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

    private static Color color(String series) {
        if (series.startsWith("generated SIMD") || series.startsWith("cached") || series.equals("GFLOP/s") || series.equals("tokens/s")) {
            return SIMD;
        }
        if (series.startsWith("generated scalar")) {
            return SCALAR;
        }
        if (series.startsWith("generic") || series.startsWith("recompute")) {
            return GENERIC;
        }
        return OTHER;
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
}
