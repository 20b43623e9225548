package dev.unroll.flink.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.flink.IfFlavourUnavailable;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import org.junit.jupiter.api.Test;

/** The example job's options: each one read, every mistake named. */
class JobOptionsTest {
    @Test
    void everyOptionIsRead() {
        assertEquals(JobOptions.defaults(), JobOptions.parse());
        JobOptions o = JobOptions.parse("--events", "10", "--sensors", "3", "--partitions", "2", "--rate", "2.5", "--batch", "1", "--parallelism", "4",
                "--flavour", "scalar", "--if-flavour-unavailable", "warn", "--output", "check", "--checkpoint-interval", "0");
        assertEquals(new JobOptions(10, 3, 2, 2.5, 1, 4, Flavour.SCALAR, IfFlavourUnavailable.WARN, JobOptions.Output.CHECK, 0), o);
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("unknown option --p (options: --events, --sensors, --partitions, --rate, --batch, --parallelism, --flavour, "
                + "--if-flavour-unavailable, --output, --checkpoint-interval)", error("--p", "2"));
        assertEquals("--events needs a value", error("--events"));
        assertEquals("--events ten: not a whole number", error("--events", "ten"));
        assertEquals("--sensors 0: must be at least 1", error("--sensors", "0"));
        assertEquals("--parallelism 3000000000: must be at most 2147483647", error("--parallelism", "3000000000"));
        assertEquals("--rate -1: must be finite and at least 0 (events per second, 0: unlimited)", error("--rate", "-1"));
        assertEquals("--flavour avx: expected one of scalar, simd", error("--flavour", "avx"));
        assertEquals("--output all: expected one of sample, check, none", error("--output", "all"));
    }

    private static String error(String... args) {
        return assertThrows(UnrollException.class, () -> JobOptions.parse(args)).getMessage();
    }
}
