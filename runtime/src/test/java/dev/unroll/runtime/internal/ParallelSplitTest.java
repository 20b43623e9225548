package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#split}: every part runs once per call, whether the split workers or the pool take
 * the extra parts (more parts than workers; several callers at once); a part's exception reaches
 * the caller after the other parts are done, and the workers go on serving later calls.
 */
class ParallelSplitTest {
    @Test
    void everyPartRunsOncePerCall() {
        for (int parts : new int[] {1, 2, 3, 7}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            for (int call = 0; call < 1000; call++) {
                Parallel.split(parts, runs::incrementAndGet);
            }
            for (int p = 0; p < parts; p++) {
                assertEquals(1000, runs.get(p), parts + " parts: part " + p);
            }
        }
    }

    @Test
    void callersAtOnceEachGetTheirOwnParts() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] done = new Future<?>[4];
            for (int c = 0; c < done.length; c++) {
                final int caller = c;
                done[c] = callers.submit(() -> {
                    for (int call = 0; call < 500; call++) {
                        long[] out = new long[3];
                        Parallel.split(3, p -> out[p] = 1000L * caller + p);
                        assertArrayEquals(new long[] {1000L * caller, 1000L * caller + 1, 1000L * caller + 2}, out);
                    }
                    return null;
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aPartsExceptionReachesTheCallerAndTheWorkersGoOn() {
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.split(2, p -> {
            runs.incrementAndGet(p);
            if (p == 1) {
                throw new IllegalStateException("part 1 failed");
            }
        }));
        assertEquals("part 1 failed", e.getMessage());
        assertEquals(1, runs.get(0));
        int[] squares = new int[2];
        Parallel.split(2, p -> squares[p] = p * p);
        assertArrayEquals(IntStream.range(0, 2).map(p -> p * p).toArray(), squares);
    }
}
