package dev.unroll.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.cli.QuickTimer;
import dev.unroll.runtime.Hostile;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;

/**
 * Coverage-guided fuzz target (Jazzer) of {@link QuickTimer}, the timing {@code bench} and {@code demo}
 * print: window lengths in and out of range (NaN, negative, huge), work that reports any count,
 * sometimes a negative one. Each call must return a rate whose figures are finite and ordered
 * (lowest ≤ median ≤ highest) and whose doubt is stated when it is not settled, or end with one clean
 * UnrollException, within {@link #LIMIT}. In the normal test run it replays the committed corpus
 * ({@code QuickTimerFuzzTestInputs/rate/}).
 */
class QuickTimerFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(10);

    @FuzzTest(maxDuration = "15s")
    void rate(FuzzedDataProvider in) {
        double seconds = in.consumeBoolean() ? in.consumeDouble() : in.consumeInt(1, 20) / 1000.0;
        double warmup = in.consumeBoolean() ? in.consumeDouble() : in.consumeInt(1, 5) / 1000.0;
        long[] counts = in.consumeLongs(8);
        Hostile.endsCleanly("QuickTimer(" + seconds + ", " + warmup + ")", LIMIT, () -> {
            QuickTimer t = new QuickTimer(seconds, warmup, new PrintWriter(Writer.nullWriter()));
            if (seconds > 0.05 || warmup > 0.01) {
                return; // valid but slow: the constructor's checks are what this target covers there
            }
            int[] call = {0};
            QuickTimer.Rate r = t.rate("fuzz", n -> counts.length == 0 ? n : Math.min(n, counts[call[0]++ % counts.length]));
            assertTrue(Double.isFinite(r.median()) && r.low() <= r.median() && r.median() <= r.high(), r::toString);
            assertTrue(r.settled() || r.doubt() != null, r::toString);
        });
    }
}
