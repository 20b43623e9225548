package dev.unroll.flink.example;

import dev.unroll.flink.AttentionOutput;
import dev.unroll.flink.FinalState;
import dev.unroll.flink.LayerSource;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks what {@code SensorFeaturesJob --output check} printed (the TaskManagers' stdout files)
 * against every sensor's readings run alone through the layer, in the job's flavour: each
 * sensor's outputs, token by token and bit for bit, and its final state's SHA-256. Lines printed
 * twice (a print sink is at-least-once: after a restore it prints again what followed the last
 * checkpoint) must be identical and are counted. Prints one summary line; exit code 0 when every
 * key matches, 1 when one does not (the first differences are printed), 2 on bad usage.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp unroll-flink-job.jar
 * dev.unroll.flink.example.SensorFeaturesCheck --events N --sensors K --flavour simd|scalar FILE...}
 */
public final class SensorFeaturesCheck {
    private SensorFeaturesCheck() {}

    /** What the files held: per key, the output lines by token, and the final-state lines. */
    record Printed(Map<String, Map<Long, String>> outputs, Map<String, String> states, long duplicates, List<String> conflicts) {}

    /**
     * @param args {@code --events N --sensors K --flavour F FILE...}
     */
    public static void main(String[] args) {
        long events = -1;
        int sensors = -1;
        Flavour flavour = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--sensors" -> sensors = Integer.parseInt(args[++i]);
                case "--flavour" -> flavour = Flavour.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                default -> files.add(Path.of(args[i]));
            }
        }
        if (events < 0 || sensors < 1 || flavour == null || files.isEmpty()) {
            System.err.println("usage: SensorFeaturesCheck --events N --sensors K --flavour scalar|simd FILE...");
            System.exit(2);
        }
        List<String> problems = check(read(files), expected(events, sensors, flavour));
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /**
     * @param files TaskManager stdout files
     * @return their output and state lines
     */
    static Printed read(List<Path> files) {
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            try (Stream<String> l = Files.lines(f, StandardCharsets.UTF_8)) {
                l.forEach(lines::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
        return parse(lines);
    }

    /**
     * @param lines what TaskManagers printed
     * @return the output and state lines (other lines are ignored), with the repeats counted
     */
    static Printed parse(List<String> lines) {
        Map<String, Map<Long, String>> outputs = new HashMap<>();
        Map<String, String> states = new HashMap<>();
        long duplicates = 0;
        List<String> conflicts = new ArrayList<>();
        for (String line : lines) {
            String[] p = line.replaceFirst("^\\d+> ", "").split(" "); // without the print sink's subtask prefix
            if (p.length != 4 || !(p[0].equals("out") || p[0].equals("state"))) {
                continue;
            }
            if (!p[2].matches("[1-9][0-9]{0,17}")) {
                conflicts.add("unreadable line: " + line);
                continue;
            }
            String value = p[0].equals("out") ? p[3] : p[2] + " " + p[3];
            String before = p[0].equals("out") ? outputs.computeIfAbsent(p[1], k -> new HashMap<>()).put(Long.parseLong(p[2]), value)
                    : states.put(p[1], value);
            if (before != null) {
                duplicates++;
                if (!before.equals(value)) {
                    conflicts.add(p[0] + " " + p[1] + " " + p[2] + " printed twice, differently");
                }
            }
        }
        return new Printed(outputs, states, duplicates, conflicts);
    }

    /**
     * @param events readings in all
     * @param sensors sensors
     * @param flavour the job's flavour
     * @return each sensor's readings run alone, printed as the job prints them
     */
    static Printed expected(long events, int sensors, Flavour flavour) {
        LinearAttentionLayer layer = LayerSource.seeded(SensorFeaturesLayer.SPEC).withFlavour(flavour).layer();
        int width = layer.spec().width();
        Map<String, AttentionState> alone = new HashMap<>();
        Map<String, Map<Long, String>> outputs = new HashMap<>();
        for (long i = 0; i < events; i++) {
            Reading r = Reading.synthetic(i, sensors, width);
            AttentionState s = alone.computeIfAbsent(r.sensor, k -> layer.newState());
            float[] y = new float[width];
            layer.step(s, r.values, y);
            String[] line = CheckLines.output(new AttentionOutput<>(r.sensor, r.time, s.tokens(), y)).split(" ");
            outputs.computeIfAbsent(r.sensor, k -> new HashMap<>()).put(s.tokens(), line[3]);
        }
        Map<String, String> states = new HashMap<>();
        alone.forEach((k, s) -> states.put(k, CheckLines.state(new FinalState<>(k, s.toBytes())).split(" ", 3)[2]));
        return new Printed(outputs, states, 0, List.of());
    }

    /**
     * Compares, prints a summary line and up to 10 differences.
     *
     * @param got what the job printed
     * @param want the lone runs
     * @return the differences (empty: every key matches)
     */
    static List<String> check(Printed got, Printed want) {
        List<String> problems = new ArrayList<>(got.conflicts());
        long outputs = 0;
        for (Map.Entry<String, Map<Long, String>> e : want.outputs().entrySet()) {
            Map<Long, String> g = got.outputs().getOrDefault(e.getKey(), Map.of());
            for (Map.Entry<Long, String> t : e.getValue().entrySet()) {
                String y = g.get(t.getKey());
                if (y == null) {
                    problems.add(e.getKey() + " token " + t.getKey() + ": no output");
                } else if (!y.equals(t.getValue())) {
                    problems.add(e.getKey() + " token " + t.getKey() + ": output differs from the sensor's readings run alone");
                }
            }
            outputs += g.size();
            if (g.size() > e.getValue().size()) {
                problems.add(e.getKey() + ": " + g.size() + " outputs, " + e.getValue().size() + " readings");
            }
            String s = got.states().get(e.getKey());
            if (!want.states().get(e.getKey()).equals(s)) {
                problems.add(e.getKey() + ": final state " + (s == null ? "not printed" : s + ", alone " + want.states().get(e.getKey())));
            }
        }
        got.outputs().keySet().stream().filter(k -> !want.outputs().containsKey(k)).forEach(k -> problems.add(k + ": not a sensor of this run"));
        System.out.printf("%s: %d sensors, %d outputs and %d final states checked against each sensor run alone; %d lines repeated "
                + "(an at-least-once print sink after a restore), all identical to the first: %s%n", problems.isEmpty() ? "OK" : "FAILED",
                want.outputs().size(), outputs, got.states().size(), got.duplicates(), got.conflicts().isEmpty() ? "yes" : "no");
        problems.stream().limit(10).forEach(p -> System.out.println("  " + p));
        if (problems.size() > 10) {
            System.out.println("  ... and " + (problems.size() - 10) + " more");
        }
        return problems;
    }
}
