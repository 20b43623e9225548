package dev.unroll.cli.verify;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tensor names of fla calls, one or several per file. A golden file names them
 * {@code input.NAME} and {@code expected.NAME}, or {@code input.NAME.CALL} and {@code expected.NAME.CALL}
 * for several calls ({@code NAME} one of the op's arguments or results); an argument without a call
 * suffix is shared by every call that does not give its own. A call saved from PyTorch may also use
 * fla's own names ({@code h0} for {@code initial_state}, {@code ht} for {@code final_state}), an
 * {@code in.}/{@code out.} (or {@code input.}/{@code output.}/{@code expected.}) prefix, and any of
 * {@code . _ - :} before its call suffix ({@code o_1}, {@code out.ht.with_h0}). Every tensor is read or
 * named in an error: never an ignored input.
 */
public final class FlaNames {
    /** fla's own names of the state arguments. */
    public static final Map<String, String> ALIASES = Map.of("h0", "initial_state", "ht", "final_state");
    private static final String SEPARATORS = "._-:";

    /**
     * One tensor of a file.
     *
     * @param stored its name in the file
     * @param name the op's name of it (initial_state, o, ...)
     * @param call the call it belongs to, "" when the file holds one call or the tensor is shared
     * @param result whether it is a result
     */
    public record Entry(String stored, String name, String call, boolean result) {}

    /**
     * A file's calls.
     *
     * @param ids the calls' ids, in order ("" when the file holds one call)
     * @param entries every tensor
     */
    public record Calls(List<String> ids, List<Entry> entries) {
        /**
         * @param call a call's id
         * @return its tensors, op name to stored name: its own, and the shared arguments it does not override
         */
        public Map<String, String> of(String call) {
            Checks.notNull("FlaNames.Calls.of: call", call);
            Map<String, String> m = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (e.call().isEmpty() && !e.result()) {
                    m.put(e.name(), e.stored());
                }
            }
            for (Entry e : entries) {
                if (e.call().equals(call) && !call.isEmpty()) {
                    m.put(e.name(), e.stored());
                }
            }
            if (call.isEmpty()) {
                entries.stream().filter(Entry::result).forEach(e -> m.put(e.name(), e.stored()));
            }
            return m;
        }
    }

    private FlaNames() {}

    /**
     * Reads the names of a golden file: {@code input.NAME[.CALL]} and {@code expected.NAME[.CALL]}, the op's own names.
     *
     * @param op the op
     * @param names the file's tensors
     * @param source the file, for messages
     * @return its calls
     */
    public static Calls golden(FlaOps.Op op, Collection<String> names, String source) {
        Checks.notNull("FlaNames.golden: op", op);
        Checks.noNulls("FlaNames.golden: names", names);
        List<Entry> entries = new ArrayList<>();
        for (String stored : names) {
            boolean input = stored.startsWith(GoldenFile.INPUT);
            boolean expected = stored.startsWith(GoldenFile.EXPECTED);
            Entry e = input || expected ? parse(op, stored, stored.substring(stored.indexOf('.') + 1), input ? Boolean.FALSE : Boolean.TRUE, false) : null;
            if (e == null) {
                throw new UnrollException(source + ": tensor '" + stored + "' is not read by " + op.name() + ": its golden file holds input."
                        + String.join(", input.", arguments(op)) + " and expected." + String.join(", expected.", op.results())
                        + ", each optionally with a call suffix (.CALL)");
            }
            entries.add(e);
        }
        return calls(op, entries, source);
    }

    /**
     * Reads the names of a call saved from PyTorch: the op's names or fla's, an optional direction
     * prefix, an optional call suffix.
     *
     * @param op the op
     * @param names the file's tensors
     * @param source the file, for messages
     * @return its calls
     */
    public static Calls saved(FlaOps.Op op, Collection<String> names, String source) {
        Checks.notNull("FlaNames.saved: op", op);
        Checks.noNulls("FlaNames.saved: names", names);
        List<Entry> entries = new ArrayList<>();
        for (String stored : names) {
            Boolean result = null;
            String rest = stored;
            for (String p : List.of("in.", "input.")) {
                if (stored.startsWith(p)) {
                    result = Boolean.FALSE;
                    rest = stored.substring(p.length());
                }
            }
            for (String p : List.of("out.", "output.", "expected.")) {
                if (stored.startsWith(p)) {
                    result = Boolean.TRUE;
                    rest = stored.substring(p.length());
                }
            }
            Entry e = parse(op, stored, rest, result, true);
            if (e == null) {
                throw new UnrollException(source + ": tensor '" + stored + "' is not an argument or a result of " + op.name() + " (arguments "
                        + op.required() + ", optional " + op.optional() + ", results " + op.results() + "; fla's h0 and ht are initial_state and "
                        + "final_state; an in./out. prefix and a call suffix such as _1 or .with_h0 are allowed)");
            }
            entries.add(e);
        }
        return calls(op, entries, source);
    }

    /** @return the op's arguments, required then optional */
    static List<String> arguments(FlaOps.Op op) {
        List<String> all = new ArrayList<>(op.required());
        all.addAll(op.optional());
        return all;
    }

    /**
     * @param direction null when the name says nothing, FALSE for an argument, TRUE for a result
     * @param fla whether fla's aliases and every separator are allowed
     * @return the entry, or null when the name is not one of the op's
     */
    private static Entry parse(FlaOps.Op op, String stored, String rest, Boolean direction, boolean fla) {
        List<String> known = new ArrayList<>(op.tensors());
        if (fla && op.hasState() && op.results().contains("final_state")) {
            known.addAll(ALIASES.keySet());
        }
        known.sort(Comparator.comparingInt(String::length).reversed());
        for (String k : known) {
            String call;
            if (rest.equals(k)) {
                call = "";
            } else if (rest.length() > k.length() + 1 && rest.startsWith(k) && (fla ? SEPARATORS.indexOf(rest.charAt(k.length())) >= 0
                    : rest.charAt(k.length()) == '.')) {
                call = rest.substring(k.length() + 1);
            } else {
                continue;
            }
            String name = ALIASES.getOrDefault(k, k);
            boolean result = op.results().contains(name);
            if (direction != null && direction != result) {
                return null;
            }
            return new Entry(stored, name, call, result);
        }
        return null;
    }

    private static Calls calls(FlaOps.Op op, List<Entry> entries, String source) {
        TreeSet<String> ids = new TreeSet<>(FlaNames::byId);
        for (Entry e : entries) {
            if (!e.call().isEmpty()) {
                ids.add(e.call());
            }
        }
        List<String> order = ids.isEmpty() ? List.of("") : List.copyOf(ids);
        Map<String, String> seen = new LinkedHashMap<>();
        for (Entry e : entries) {
            String key = e.name() + "@" + e.call();
            String before = seen.put(key, e.stored());
            if (before != null) {
                throw new UnrollException(source + ": tensors '" + before + "' and '" + e.stored() + "' are both " + e.name()
                        + (e.call().isEmpty() ? "" : " of call " + e.call()));
            }
            if (e.result() && e.call().isEmpty() && !ids.isEmpty()) {
                throw new UnrollException(source + ": result '" + e.stored() + "' has no call suffix while the file holds calls " + ids
                        + ": every result belongs to one call");
            }
        }
        Calls c = new Calls(order, List.copyOf(entries));
        for (String id : order) {
            Map<String, String> t = c.of(id);
            String which = id.isEmpty() ? "the call" : "call " + id;
            for (String r : op.required()) {
                if (!t.containsKey(r)) {
                    throw new UnrollException(source + ": " + which + " of " + op.name() + " has no " + r + " (it needs " + op.required() + ")");
                }
            }
            if (op.results().stream().noneMatch(t::containsKey)) {
                throw new UnrollException(source + ": " + which + " of " + op.name() + " has no result (" + String.join(", ", op.results())
                        + "): nothing to verify");
            }
        }
        return c;
    }

    /** Calls in natural order: numbers by value, then names. */
    private static int byId(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit) && a.length() < 10;
        boolean nb = b.chars().allMatch(Character::isDigit) && b.length() < 10;
        if (na && nb) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
    }
}
