package dev.unroll.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * {@code -prof dev.unroll.bench.jmh.ThreadCpuProfiler}: the CPU time the benchmark's worker threads
 * spent per operation ({@code ·cpu.time/op}, in the benchmark's time unit), next to JMH's wall-clock
 * score. On a shared, noisy machine a thread that is descheduled accrues wall time but no CPU time,
 * so single-thread comparisons read this figure. JIT and GC threads are not counted.
 */
public final class ThreadCpuProfiler implements InternalProfiler {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long before;

    /** Enables thread CPU time measurement (off by default on some JVMs). */
    public ThreadCpuProfiler() {
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
    }

    @Override
    public String getDescription() {
        return "CPU time of the benchmark's worker threads per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = workerCpuNanos();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long cpu = workerCpuNanos() - before;
        long ops = Math.max(1, result.getMetadata().getMeasuredOps());
        TimeUnit unit = benchmarkParams.getTimeUnit();
        double perOp = (double) cpu / ops / TimeUnit.NANOSECONDS.convert(1, unit);
        return List.of(new ScalarResult("·cpu.time/op", perOp, shortUnit(unit) + "/op", AggregationPolicy.AVG));
    }

    /** @return CPU nanoseconds of every live JMH worker thread so far */
    private static long workerCpuNanos() {
        long sum = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains("jmh-worker")) {
                long ns = THREADS.getThreadCpuTime(t.getThreadId());
                if (ns > 0) {
                    sum += ns;
                }
            }
        }
        return sum;
    }

    private static String shortUnit(TimeUnit unit) {
        return switch (unit) {
            case NANOSECONDS -> "ns";
            case MICROSECONDS -> "us";
            case MILLISECONDS -> "ms";
            case SECONDS -> "s";
            default -> unit.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
