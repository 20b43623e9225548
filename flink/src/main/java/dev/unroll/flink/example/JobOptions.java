package dev.unroll.flink.example;

import dev.unroll.flink.IfFlavourUnavailable;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import java.io.Serializable;
import java.util.Locale;

/**
 * The example job's options. Every option is {@code --name value}; an unknown name, a missing or
 * malformed value is an {@link UnrollException} naming the option, the value and the rule.
 *
 * @param events readings in all ({@code --events}, default 200000)
 * @param sensors sensors, one stream each ({@code --sensors}, 1000)
 * @param partitions source partitions ({@code --partitions}, 16): more than the largest parallelism
 * @param eventsPerSecond the source's rate ({@code --rate}, 0: as fast as it goes)
 * @param batch events stepped together ({@code --batch}, 256; 1 steps them one by one)
 * @param parallelism the job's parallelism ({@code --parallelism}; 0, the default, leaves it to
 *     {@code flink run -p} or the cluster's {@code parallelism.default})
 * @param flavour the kernel flavour ({@code --flavour scalar|simd}; null: the job's default, SIMD)
 * @param ifFlavourUnavailable what a task does without it ({@code --if-flavour-unavailable fail|warn})
 * @param output what the job prints ({@code --output sample|check|none})
 * @param checkpointMillis checkpoint interval ({@code --checkpoint-interval}, ms, 2000; 0: none)
 */
public record JobOptions(long events, int sensors, int partitions, double eventsPerSecond, int batch, int parallelism, Flavour flavour,
        IfFlavourUnavailable ifFlavourUnavailable, Output output, long checkpointMillis) implements Serializable {
    /** What the job prints. */
    public enum Output {
        /** Every 100th output of sensor-0 (the default). */
        SAMPLE,
        /**
         * Every output as raw bits ({@code out KEY TOKENS HEX...}) and every key's final state as a
         * SHA-256 ({@code state KEY TOKENS SHA256}): what a check compares with a lone run.
         */
        CHECK,
        /** Nothing: the outputs go to a discarding sink (throughput runs). */
        NONE
    }

    /** @return the defaults */
    public static JobOptions defaults() {
        return new JobOptions(200_000, 1000, 16, 0, 256, 0, null, IfFlavourUnavailable.FAIL, Output.SAMPLE, 2000);
    }

    /**
     * @param args {@code --name value} pairs
     * @return the options
     * @throws UnrollException naming the option at fault
     */
    public static JobOptions parse(String... args) {
        JobOptions o = defaults();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new UnrollException(name + " needs a value");
            }
            String v = args[i + 1];
            o = switch (name) {
                case "--events" -> o.with(atLeast(name, v, 0), o.sensors, o.partitions, o.eventsPerSecond, o.batch, o.parallelism);
                case "--sensors" -> o.with(o.events, (int) atMost(name, atLeast(name, v, 1)), o.partitions, o.eventsPerSecond, o.batch, o.parallelism);
                case "--partitions" -> o.with(o.events, o.sensors, (int) atMost(name, atLeast(name, v, 1)), o.eventsPerSecond, o.batch, o.parallelism);
                case "--rate" -> o.with(o.events, o.sensors, o.partitions, rate(v), o.batch, o.parallelism);
                case "--batch" -> o.with(o.events, o.sensors, o.partitions, o.eventsPerSecond, (int) atMost(name, atLeast(name, v, 1)), o.parallelism);
                case "--parallelism" -> o.with(o.events, o.sensors, o.partitions, o.eventsPerSecond, o.batch, (int) atMost(name, atLeast(name, v, 1)));
                case "--flavour" -> new JobOptions(o.events, o.sensors, o.partitions, o.eventsPerSecond, o.batch, o.parallelism,
                        choice(name, v, Flavour.class), o.ifFlavourUnavailable, o.output, o.checkpointMillis);
                case "--if-flavour-unavailable" -> new JobOptions(o.events, o.sensors, o.partitions, o.eventsPerSecond, o.batch, o.parallelism,
                        o.flavour, choice(name, v, IfFlavourUnavailable.class), o.output, o.checkpointMillis);
                case "--output" -> new JobOptions(o.events, o.sensors, o.partitions, o.eventsPerSecond, o.batch, o.parallelism, o.flavour,
                        o.ifFlavourUnavailable, choice(name, v, Output.class), o.checkpointMillis);
                case "--checkpoint-interval" -> new JobOptions(o.events, o.sensors, o.partitions, o.eventsPerSecond, o.batch, o.parallelism,
                        o.flavour, o.ifFlavourUnavailable, o.output, atLeast(name, v, 0));
                default -> throw new UnrollException("unknown option " + name + " (options: --events, --sensors, --partitions, --rate, --batch, "
                        + "--parallelism, --flavour, --if-flavour-unavailable, --output, --checkpoint-interval)");
            };
        }
        return o;
    }

    private JobOptions with(long e, int s, int p, double r, int b, int par) {
        return new JobOptions(e, s, p, r, b, par, flavour, ifFlavourUnavailable, output, checkpointMillis);
    }

    private static long atLeast(String name, String v, long min) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UnrollException(name + " " + v + ": not a whole number");
        }
        if (n < min) {
            throw new UnrollException(name + " " + v + ": must be at least " + min);
        }
        return n;
    }

    private static long atMost(String name, long n) {
        if (n > Integer.MAX_VALUE) {
            throw new UnrollException(name + " " + n + ": must be at most " + Integer.MAX_VALUE);
        }
        return n;
    }

    private static double rate(String v) {
        double r;
        try {
            r = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UnrollException("--rate " + v + ": not a number");
        }
        if (!(r >= 0) || Double.isInfinite(r)) {
            throw new UnrollException("--rate " + v + ": must be finite and at least 0 (events per second, 0: unlimited)");
        }
        return r;
    }

    private static <E extends Enum<E>> E choice(String name, String v, Class<E> type) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new UnrollException(name + " " + v + ": expected one of " + allowed);
        }
    }
}
