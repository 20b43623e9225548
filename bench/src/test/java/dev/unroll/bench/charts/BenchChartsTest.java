package dev.unroll.bench.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.bench.charts.BenchCharts.ChartData;
import dev.unroll.bench.charts.BenchCharts.Point;
import dev.unroll.runtime.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The committed charts ({@code docs/charts}) hold the committed JMH results ({@code bench/results}) and
 * nothing else: their CSVs are what {@link BenchCharts#charts} computes now, every figure in them is a
 * record of a JMH results file (so a withdrawn or hand-typed figure fails), and the drawn series are the
 * CSVs' figures. Paths are relative to the module (Maven's {@code basedir}).
 */
class BenchChartsTest {
    private static Path results;
    private static Path charts;

    @BeforeAll
    static void paths() {
        System.setProperty("java.awt.headless", "true");
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        results = module.resolve("../bench/results").normalize();
        charts = module.resolve("../docs/charts").normalize();
        assertTrue(Files.isDirectory(results), results + " is a directory");
        assertTrue(Files.isDirectory(charts), charts + " is a directory");
    }

    @Test
    void theCommittedCsvsAreTheChartsOfTheCommittedResults() throws IOException {
        List<ChartData> computed = BenchCharts.charts(results);
        assertFalse(computed.isEmpty(), "charts from " + results);
        Set<String> names = new TreeSet<>();
        for (ChartData data : computed) {
            names.add(data.name());
            Path csv = charts.resolve(data.name() + ".csv");
            assertTrue(Files.isRegularFile(csv), csv + " is committed (redraw with BenchCharts)");
            assertEquals(BenchCharts.csv(data), Files.readString(csv, StandardCharsets.UTF_8),
                    csv + " is what BenchCharts computes from " + results + " (redraw with BenchCharts)");
        }
        assertEquals(names, baseNames(".csv"), "one CSV in docs/charts per chart");
        assertEquals(names, baseNames(".png"), "one PNG in docs/charts per chart");
    }

    @Test
    void everyCommittedFigureIsARecordOfAJmhResultsFile() throws IOException {
        int rows = 0;
        for (String name : baseNames(".csv")) {
            List<List<String>> csv = parseCsv(Files.readString(charts.resolve(name + ".csv"), StandardCharsets.UTF_8));
            assertEquals(List.of(BenchCharts.CSV_HEADER.split(",")), csv.get(0), name + ".csv header");
            for (List<String> row : csv.subList(1, csv.size())) {
                String where = name + ".csv " + row;
                assertEquals(12, row.size(), where);
                Path source = results.resolve(row.get(6)).normalize();
                assertTrue(source.startsWith(results) && Files.isRegularFile(source), where + ": source in bench/results");
                Map<String, Object> metric = jmhRecord(source, row.get(7), row.get(8), where);
                assertEquals(row.get(9), BenchCharts.figure(number(metric.get("score")), BenchCharts.JMH_DIGITS), where + ": score");
                assertEquals(row.get(10), BenchCharts.figure(number(metric.get("scoreError")), BenchCharts.JMH_DIGITS), where + ": score error");
                assertEquals(row.get(11), metric.get("scoreUnit"), where + ": unit");
                double value = Double.parseDouble(row.get(2));
                double error = Double.parseDouble(row.get(3));
                assertTrue(Double.isFinite(value) && value > 0, where + ": a plotted value");
                assertTrue(Double.isFinite(error) && error >= 0, where + ": an error bar");
                if (row.get(4).equals("99.9% CI")) {
                    double relative = number(metric.get("scoreError")) / number(metric.get("score"));
                    assertEquals(relative, error / value, 1e-4 * Math.max(1, relative), where + ": the error is JMH's, relative");
                } else {
                    assertTrue(row.get(4).startsWith("min-max of ") && row.get(10).equals("NaN"), where + ": a range only where JMH gives no error");
                }
                rows++;
            }
        }
        assertTrue(rows > 0, "figures in docs/charts");
    }

    @Test
    void theDrawnSeriesAreTheDataAndCarryErrorBars() throws IOException {
        for (ChartData data : BenchCharts.charts(results)) {
            Chart<?, ?> chart = BenchCharts.draw(data);
            assertEquals(data.series(), List.copyOf(chart.getSeriesMap().keySet()), data.name() + ": series");
            for (String series : data.series()) {
                List<Point> points = data.points(series);
                List<Double> values = points.stream().map(Point::value).toList();
                List<Double> errors = points.stream().map(Point::error).toList();
                if (chart instanceof CategoryChart c) {
                    CategorySeries s = c.getSeriesMap().get(series);
                    assertEquals(points.stream().map(Point::x).toList(), List.copyOf(s.getXData()), data.name() + " " + series);
                    assertEquals(values, doubles(s.getYData()), data.name() + " " + series);
                    assertEquals(errors, doubles(s.getExtraValues()), data.name() + " " + series + ": error bars");
                } else if (chart instanceof XYChart c) {
                    XYSeries s = c.getSeriesMap().get(series);
                    assertEquals(points.stream().map(p -> Double.parseDouble(p.x())).toList(), boxed(s.getXData()), data.name() + " " + series);
                    assertEquals(values, boxed(s.getYData()), data.name() + " " + series);
                    assertEquals(errors, boxed(s.getExtraValues()), data.name() + " " + series + ": error bars");
                } else {
                    fail("chart type " + chart.getClass());
                }
            }
        }
    }

    /** @return the primary metric of the one record of {@code file} with this benchmark and these parameters */
    private static Map<String, Object> jmhRecord(Path file, String benchmark, String params, String where) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(parsed instanceof List<?> records)) {
            fail(where + ": " + file + " is not a JMH results file");
            return Map.of();
        }
        for (Object o : records) {
            if (o instanceof Map<?, ?> r && benchmark.equals(r.get("benchmark")) && r.get("primaryMetric") instanceof Map<?, ?> m) {
                StringJoiner p = new StringJoiner(";");
                if (r.get("params") instanceof Map<?, ?> ps) {
                    ps.forEach((k, v) -> p.add(k + "=" + v));
                }
                if (p.toString().equals(params)) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> metric = (Map<String, Object>) m;
                    found.add(metric);
                }
            }
        }
        assertEquals(1, found.size(), where + ": JMH records in " + file);
        return found.get(0);
    }

    private static double number(Object v) {
        return "NaN".equals(v) ? Double.NaN : ((Number) v).doubleValue();
    }

    private static List<Double> doubles(java.util.Collection<? extends Number> c) {
        return c.stream().map(Number::doubleValue).toList();
    }

    private static List<Double> boxed(double[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    private static Set<String> baseNames(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(charts)) {
            Set<String> names = new TreeSet<>();
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(suffix))
                    .forEach(f -> names.add(f.substring(0, f.length() - suffix.length())));
            return names;
        }
    }

    /** RFC 4180 lines: fields split at commas, quoted fields may hold commas and doubled quotes. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        f.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    fields.add(f.toString());
                    f.setLength(0);
                } else {
                    f.append(ch);
                }
            }
            fields.add(f.toString());
            lines.add(fields);
        }
        return lines;
    }
}
