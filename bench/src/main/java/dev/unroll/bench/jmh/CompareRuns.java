package dev.unroll.bench.jmh;

import dev.unroll.runtime.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the B/A ratios of an interleaved A, B, A comparison ({@code bench/compare.sh}) from the three
 * JMH JSON result files: per benchmark and parameters, thread CPU time per op ({@link ThreadCpuProfiler})
 * and wall time per op. The ratio divides B by the mean of the two A runs; the A drift (their
 * difference over their mean) shows how far the machine moved during the comparison. With
 * {@code --by-position} the i-th result of each file is compared, whatever its name: A and B may be
 * two benchmarks of one jar ({@code bench/interleave.sh}).
 */
public final class CompareRuns {
    private CompareRuns() {}

    /** One benchmark's score and error in one run. */
    private record Score(double value, double error, String unit) {}

    /**
     * @param args A1.json B.json A2.json
     * @throws IOException when a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        boolean byPosition = args.length == 4 && args[0].equals("--by-position");
        String[] files = byPosition ? java.util.Arrays.copyOfRange(args, 1, 4) : args;
        if (files.length != 3) {
            System.err.println("usage: CompareRuns [--by-position] A1.json B.json A2.json");
            System.exit(2);
        }
        List<Map<String, Score[]>> runs = List.of(read(Path.of(files[0])), read(Path.of(files[1])), read(Path.of(files[2])));
        System.out.printf(Locale.ROOT, "%-58s %-9s %14s %14s %14s %8s %8s%n", "benchmark", "metric", "A", "B", "A again", "B/A", "A drift");
        List<String> keysA = List.copyOf(runs.get(0).keySet());
        List<String> keysB = List.copyOf(runs.get(1).keySet());
        List<String> keysA2 = List.copyOf(runs.get(2).keySet());
        for (int i = 0; i < keysA.size(); i++) {
            String key = keysA.get(i);
            Score[] a1 = runs.get(0).get(key);
            Score[] b = byPosition ? (i < keysB.size() ? runs.get(1).get(keysB.get(i)) : null) : runs.get(1).get(key);
            Score[] a2 = byPosition ? (i < keysA2.size() ? runs.get(2).get(keysA2.get(i)) : null) : runs.get(2).get(key);
            if (b == null || a2 == null) {
                continue;
            }
            if (byPosition) {
                System.out.println("A: " + key + "   B: " + keysB.get(i));
            }
            for (int m = 0; m < 2; m++) {
                if (a1[m] == null || b[m] == null || a2[m] == null) {
                    continue;
                }
                double a = (a1[m].value() + a2[m].value()) / 2;
                System.out.printf(Locale.ROOT, "%-58s %-9s %14s %14s %14s %8.3f %7.1f%%%n", m == 0 ? (byPosition ? "" : key) : "", m == 0 ? "cpu" : "wall",
                        format(a1[m]), format(b[m]), format(a2[m]), b[m].value() / a, 100 * Math.abs(a1[m].value() - a2[m].value()) / a);
            }
        }
    }

    private static String format(Score s) {
        return String.format(Locale.ROOT, "%.3g±%.2g", s.value(), s.error());
    }

    /** @return by "benchmark (params)": {cpu, wall} scores */
    private static Map<String, Score[]> read(Path file) throws IOException {
        Map<String, Score[]> out = new LinkedHashMap<>();
        for (Object o : Json.asList(Json.parse(Files.readString(file, StandardCharsets.UTF_8)), file.toString())) {
            Map<String, Object> r = Json.asObject(o, file.toString());
            String name = Json.asString(r.get("benchmark"), "benchmark");
            StringBuilder key = new StringBuilder(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
            if (r.get("params") instanceof Map<?, ?> params) {
                key.append(' ').append(params.values());
            }
            Score wall = score(Json.asObject(r.get("primaryMetric"), "primaryMetric"));
            Score cpu = null;
            if (r.get("secondaryMetrics") instanceof Map<?, ?> secondary && secondary.get("·cpu.time/op") instanceof Map<?, ?> c) {
                @SuppressWarnings("unchecked")
                Map<String, Object> metric = (Map<String, Object>) c;
                cpu = score(metric);
            }
            out.put(key.toString(), new Score[] {cpu, wall});
        }
        return out;
    }

    private static Score score(Map<String, Object> metric) {
        Object error = metric.get("scoreError");
        return new Score(Json.asDouble(metric.get("score"), "score"),
                error instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : Double.NaN,
                String.valueOf(metric.get("scoreUnit")));
    }
}
