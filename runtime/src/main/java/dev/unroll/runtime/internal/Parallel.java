package dev.unroll.runtime.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Splits independent work items (streams, heads, batch rows, output tiles) over threads. The
 * thread count is {@code -Dunroll.threads=N}, else the available processors; with one thread or one
 * item everything runs on the caller, with no pool involved.
 */
public final class Parallel {
    /**
     * The thread count once read (0 before): {@code -Dunroll.threads} is read on first use, not at
     * class loading, so that a bad value is an {@code UnrollException}, not an initialiser error.
     */
    private static volatile int threads;
    private static volatile ForkJoinPool pool;

    private Parallel() {}

    /**
     * @return the configured thread count
     * @throws dev.unroll.runtime.UnrollException when {@code -Dunroll.threads} is not a whole number in [1, 4096]
     */
    public static int threads() {
        int t = threads;
        if (t == 0) {
            t = (int) Checks.longProperty("unroll.threads", Runtime.getRuntime().availableProcessors(), 1, 4096, "the runtime's thread count");
            threads = t;
        }
        return t;
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, n), in parallel when worthwhile. Items must be
     * independent; exceptions propagate to the caller.
     *
     * @param n item count
     * @param body the work for one item
     */
    public static void forEach(int n, IntConsumer body) {
        int threads = Math.min(threads(), n);
        if (threads <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        pool().invoke(new Range(body, 0, n, Math.max(1, n / (threads * 4))));
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, parts): part 0 on the caller, the others on
     * {@link SplitWorkers}, which spin briefly between calls (a pool's parked thread takes tens of
     * microseconds to wake, as long as a small model's whole product). For short, evenly cut work
     * done often: one token's matrix products. When the workers are busy (another thread is
     * splitting) or fewer than the parts, the pool runs the parts. Exceptions propagate.
     *
     * @param parts part count
     * @param body the work for one part
     */
    public static void split(int parts, IntConsumer body) {
        if (parts <= 1) {
            body.accept(0);
            return;
        }
        if (SplitWorkers.run(parts, body)) {
            return;
        }
        ForkJoinPool p = pool();
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[parts - 1];
        for (int i = 1; i < parts; i++) {
            final int part = i;
            others[i - 1] = p.submit(() -> body.accept(part));
        }
        try {
            body.accept(0);
        } finally {
            for (ForkJoinTask<?> t : others) {
                t.join();
            }
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new ForkJoinPool(threads());
                    pool = p;
                }
            }
        }
        return p;
    }

    private static final class Range extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient IntConsumer body;
        private final int lo;
        private final int hi;
        private final int grain;

        Range(IntConsumer body, int lo, int hi, int grain) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (hi - lo <= grain) {
                for (int i = lo; i < hi; i++) {
                    body.accept(i);
                }
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(body, lo, mid, grain), new Range(body, mid, hi, grain));
        }
    }
}
