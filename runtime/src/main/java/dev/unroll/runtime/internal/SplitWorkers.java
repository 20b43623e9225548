package dev.unroll.runtime.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Daemon threads (one fewer than the runtime's threads) that take the extra parts of
 * {@link Parallel#split}. Between calls a worker spins for {@value #SPIN_NANOS} ns before it parks:
 * one token's forward hands out parts every few tens of microseconds, and a parked thread takes
 * about as long to wake. One caller at a time; another finds them busy and uses the pool.
 */
final class SplitWorkers {
    private static final long SPIN_NANOS = 200_000;
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static volatile Worker[] workers;

    private SplitWorkers() {}

    /**
     * @param parts parts, at least 2
     * @param body the work for one part
     * @return false, having run nothing, when the workers are busy or too few
     */
    static boolean run(int parts, IntConsumer body) {
        Worker[] w = workers();
        if (parts - 1 > w.length || !BUSY.compareAndSet(false, true)) {
            return false;
        }
        try {
            for (int i = 1; i < parts; i++) {
                w[i - 1].post(body, i);
            }
            Throwable failure = null;
            try {
                body.accept(0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int i = 1; i < parts; i++) {
                Throwable t = w[i - 1].await();
                if (failure == null) {
                    failure = t;
                }
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return true;
        } finally {
            BUSY.set(false);
        }
    }

    private static Worker[] workers() {
        Worker[] w = workers;
        if (w == null) {
            synchronized (SplitWorkers.class) {
                w = workers;
                if (w == null) {
                    w = new Worker[Parallel.threads() - 1];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = new Worker("unroll-split-" + (i + 1));
                    }
                    workers = w;
                }
            }
        }
        return w;
    }

    /** One thread and its mailbox: a posted part, its sequence number, and what it threw. */
    private static final class Worker implements Runnable {
        private final Thread thread;
        private IntConsumer body;
        private int part;
        private Throwable failure;
        private volatile long posted;
        private volatile long finished;
        private volatile boolean parked;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void post(IntConsumer b, int p) {
            body = b;
            part = p;
            failure = null;
            posted = posted + 1; // the volatile write publishes body and part
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        Throwable await() {
            long target = posted;
            while (finished != target) {
                Thread.onSpinWait();
            }
            return failure; // read after the volatile read of finished
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long spinFrom = System.nanoTime();
                while (posted == seen) {
                    if (System.nanoTime() - spinFrom < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (posted == seen) {
                            LockSupport.park(this);
                        }
                        parked = false;
                        spinFrom = System.nanoTime();
                    }
                }
                seen = posted;
                try {
                    body.accept(part);
                } catch (Throwable t) {
                    failure = t;
                }
                finished = seen;
            }
        }
    }
}
