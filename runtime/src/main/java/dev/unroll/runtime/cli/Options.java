package dev.unroll.runtime.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses {@code --name value} options, {@code --flag}s and positional arguments; unknown options are usage errors. */
final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param args the arguments
     * @param withValue options that take a value
     * @param flags options without one
     */
    Options(List<String> args, Set<String> withValue, Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                positional.add(a);
            } else if (flags.contains(a)) {
                values.put(a, "true");
            } else if (withValue.contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(a + " needs a value");
                }
                values.put(a, args.get(++i));
            } else {
                throw new UsageException("unknown option " + a);
            }
        }
    }

    List<String> positional() {
        return positional;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback, int min) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new UsageException(name + " " + v + ": must be >= " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " " + v + ": not an integer");
        }
    }

    /** @return the backend {@code --backend jvm|tornadovm} asks for, or null to let the runtime choose */
    dev.unroll.runtime.backend.Backend backend() {
        String v = values.get("--backend");
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "jvm" -> dev.unroll.runtime.backend.Backend.JVM;
            case "tornadovm" -> dev.unroll.runtime.backend.Backend.TORNADOVM;
            default -> throw new UsageException("--backend " + v + ": expected jvm or tornadovm");
        };
    }

    double number(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0)) {
                throw new UsageException(name + " " + v + ": must be > 0");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " " + v + ": not a number");
        }
    }
}
