package dev.unroll.runtime.sweep;

import dev.unroll.runtime.UnrollException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The generated hostile-argument sweep: every executable of a {@link Surface} is called with its
 * baseline arguments, then with each parameter in turn replaced by each of its type's other values
 * ({@link Values}), and on each registered receiver. The contract: a call returns, or throws one clean
 * {@link UnrollException} (a message of bounded length without control characters), within the time
 * limit; never another exception, an out-of-memory error or a hang. An executable whose receiver or
 * parameter types the values do not cover is reported uncovered, unless exempted with a reason.
 */
public final class Sweep {
    /** How a call ended. */
    public enum Kind {
        /** It returned. */
        RETURNED,
        /** A clean UnrollException. */
        CLEAN_ERROR,
        /** An UnrollException whose message is too long or holds a control character. */
        UNCLEAN_MESSAGE,
        /** Any other exception or error. */
        RAW_EXCEPTION,
        /** An out-of-memory error. */
        OUT_OF_MEMORY,
        /** It did not end within the limit. */
        HANG;

        /** @return whether the contract allows it */
        public boolean ok() {
            return this == RETURNED || this == CLEAN_ERROR;
        }
    }

    /**
     * One call.
     *
     * @param executable what was called
     * @param args the arguments' labels (the receiver first for instance methods)
     * @param kind how it ended
     * @param detail the exception, when one
     */
    public record Outcome(String executable, String args, Kind kind, String detail) {
        @Override
        public String toString() {
            return kind + " " + executable + " " + args + (detail == null ? "" : ": " + detail);
        }
    }

    /**
     * The sweep's result.
     *
     * @param entryPoints executables swept
     * @param exempted executables exempted, with the reason
     * @param uncovered executables the values do not cover (a new method, a new type)
     * @param outcomes every call
     */
    public record Report(int entryPoints, Map<String, String> exempted, List<String> uncovered, List<Outcome> outcomes) {
        /** @return calls by how they ended */
        public Map<Kind, Integer> counts() {
            Map<Kind, Integer> m = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                m.put(k, 0);
            }
            outcomes.forEach(o -> m.merge(o.kind(), 1, Integer::sum));
            return m;
        }

        /** @return the calls that broke the contract */
        public List<Outcome> violations() {
            return outcomes.stream().filter(o -> !o.kind().ok()).toList();
        }

        /** @return one line of counts, for the test's output and the README */
        public String summary() {
            return entryPoints + " entry points (" + exempted.size() + " more exempted), " + outcomes.size() + " calls: " + counts();
        }
    }

    private Sweep() {}

    /**
     * @param surface what to sweep
     * @param values the values by type
     * @param exempt executables ({@link Surface#describe}) not swept, with the reason
     * @param limit the time one call may take
     * @return the report
     */
    public static Report run(List<Executable> surface, Values values, Map<String, String> exempt, Duration limit) {
        List<String> uncovered = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, String> exempted = new LinkedHashMap<>();
        int swept = 0;
        Runner runner = new Runner(limit);
        try {
            for (Executable e : surface) {
                String name = Surface.describe(e);
                if (exempt.containsKey(name)) {
                    exempted.put(name, exempt.get(name));
                    continue;
                }
                String missing = missing(e, values);
                if (missing != null) {
                    uncovered.add(name + ": no values for " + missing);
                    continue;
                }
                swept++;
                sweep(e, name, values, runner, outcomes);
            }
        } finally {
            runner.close();
        }
        for (String name : exempt.keySet()) {
            if (!exempted.containsKey(name)) {
                uncovered.add(name + ": exempted, but not in the surface (remove the exemption)");
            }
        }
        return new Report(swept, exempted, uncovered, outcomes);
    }

    private static String missing(Executable e, Values values) {
        if (e instanceof Method m && !Modifier.isStatic(m.getModifiers()) && values.receivers(m.getDeclaringClass()).isEmpty()) {
            return "the receiver " + Surface.simpleName(m.getDeclaringClass());
        }
        for (Type t : e.getGenericParameterTypes()) {
            if (!values.covers(t)) {
                return "the parameter type " + t.getTypeName();
            }
        }
        return null;
    }

    private static void sweep(Executable e, String name, Values values, Runner runner, List<Outcome> outcomes) {
        boolean instance = e instanceof Method m && !Modifier.isStatic(m.getModifiers());
        List<Values.Value> receivers = instance ? values.receivers(e.getDeclaringClass()) : java.util.Collections.singletonList(null);
        Type[] types = e.getGenericParameterTypes();
        List<List<Values.Value>> params = new ArrayList<>();
        for (Type t : types) {
            params.add(values.of(t));
        }
        Values.Value[] base = new Values.Value[types.length];
        for (int i = 0; i < base.length; i++) {
            base[i] = params.get(i).get(0);
        }
        for (int r = 0; r < receivers.size(); r++) {
            outcomes.add(runner.call(e, name, receivers.get(r), base));
            if (r > 0) {
                continue; // the variations run on the first receiver; the others get the baseline
            }
            for (int i = 0; i < base.length; i++) {
                for (Values.Value v : params.get(i).subList(1, params.get(i).size())) {
                    Values.Value[] args = base.clone();
                    args[i] = v;
                    outcomes.add(runner.call(e, name, receivers.get(r), args));
                }
            }
        }
    }

    /** Runs calls on a worker thread, replacing it when one hangs. */
    private static final class Runner implements AutoCloseable {
        private final Duration limit;
        private ExecutorService worker = newWorker();

        Runner(Duration limit) {
            this.limit = limit;
        }

        private static ExecutorService newWorker() {
            return Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "api-sweep");
                t.setDaemon(true);
                return t;
            });
        }

        Outcome call(Executable e, String name, Values.Value receiver, Values.Value[] args) {
            StringBuilder labels = new StringBuilder(receiver == null ? "(" : receiver.label() + " (");
            for (int i = 0; i < args.length; i++) {
                labels.append(i == 0 ? "" : ", ").append(args[i].label());
            }
            String label = labels.append(')').toString();
            Future<Throwable> f = worker.submit(() -> {
                Object self = receiver == null ? null : receiver.make().get();
                Object[] actual = new Object[args.length];
                for (int i = 0; i < args.length; i++) {
                    actual[i] = args[i].make().get();
                }
                try {
                    if (e instanceof Constructor<?> c) {
                        c.newInstance(actual);
                    } else {
                        ((Method) e).invoke(self, actual);
                    }
                    return null;
                } catch (InvocationTargetException x) {
                    return x.getCause();
                }
            });
            Throwable t;
            try {
                t = f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException x) {
                f.cancel(true);
                worker.shutdownNow();
                worker = newWorker();
                return new Outcome(name, label, Kind.HANG, "over " + limit.toSeconds() + " s");
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(x);
            } catch (ExecutionException x) {
                throw new IllegalStateException("the sweep could not make the arguments of " + name + " " + label, x.getCause());
            }
            if (t == null) {
                return new Outcome(name, label, Kind.RETURNED, null);
            }
            if (t instanceof OutOfMemoryError) {
                return new Outcome(name, label, Kind.OUT_OF_MEMORY, t.toString());
            }
            if (!(t instanceof UnrollException)) {
                StackTraceElement at = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
                return new Outcome(name, label, Kind.RAW_EXCEPTION, t + (at == null ? "" : " at " + at));
            }
            String m = t.getMessage();
            if (m == null || m.isBlank() || m.length() > UnrollException.MAX_MESSAGE + 40 || m.chars().anyMatch(Character::isISOControl)) {
                return new Outcome(name, label, Kind.UNCLEAN_MESSAGE, m == null ? "no message" : m.length() + " characters");
            }
            return new Outcome(name, label, Kind.CLEAN_ERROR, null);
        }

        @Override
        public void close() {
            worker.shutdownNow();
        }
    }
}
