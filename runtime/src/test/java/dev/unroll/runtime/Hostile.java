package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

/**
 * Hostile and careless inputs: each case must end, within a time limit, either as it should (a
 * result) or with one clean {@link UnrollException} whose message says what is wrong; never a hang, an
 * out-of-memory error, another exception, a control character in the message or an endless message.
 */
public final class Hostile {
    /** The time any single case may take. */
    public static final Duration LIMIT = Duration.ofSeconds(30);

    private Hostile() {}

    /** Code under test. */
    @FunctionalInterface
    public interface Body {
        /**
         * @throws Exception anything
         */
        void run() throws Exception;
    }

    /**
     * One case.
     *
     * @param name what is tried
     * @param body the attempt
     * @param expect a fragment the error message must contain, or null when the attempt must succeed
     */
    public record Case(String name, Body body, String expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * @param name what is tried
     * @param expect the message fragment of the clean error it must give
     * @param body the attempt
     * @return the case
     */
    public static Case rejects(String name, String expect, Body body) {
        return new Case(name, body, expect);
    }

    /**
     * @param name what is tried
     * @param body the attempt, which must succeed
     * @return the case
     */
    public static Case accepts(String name, Body body) {
        return new Case(name, body, null);
    }

    /** @param c a case to run and judge */
    public static void check(Case c) {
        Throwable t = attempt(c.name(), c.body(), LIMIT);
        if (c.expect() == null) {
            assertNull(t, () -> c.name() + ": failed with " + t);
            return;
        }
        assertNotNull(t, c.name() + ": accepted silently");
        assertClean(c.name(), t);
        assertTrue(t.getMessage().contains(c.expect()), () -> c.name() + ": message does not say \"" + c.expect() + "\": " + t.getMessage());
    }

    /**
     * For fuzzing, where the right outcome of a random input is unknown: the attempt must end within
     * {@code limit} either normally or with one clean {@link UnrollException}.
     *
     * @param name what is tried
     * @param limit the time it may take
     * @param body the attempt
     */
    public static void endsCleanly(String name, Duration limit, Body body) {
        Throwable t = attempt(name, body, limit);
        if (t != null) {
            assertClean(name, t);
        }
    }

    private static Throwable attempt(String name, Body body, Duration limit) {
        return assertTimeoutPreemptively(limit, () -> {
            try {
                body.run();
                return null;
            } catch (Throwable x) {
                return x;
            }
        }, name + ": a hang");
    }

    private static void assertClean(String name, Throwable t) {
        if (!(t instanceof UnrollException)) {
            throw new AssertionError(name + ": " + t + " is not a clean Unroll error", t);
        }
        String m = t.getMessage();
        assertTrue(m.length() <= UnrollException.MAX_MESSAGE + 40, () -> name + ": a message of " + m.length() + " characters");
        assertFalse(m.chars().anyMatch(Character::isISOControl), () -> name + ": a control character in the message: " + m);
    }
}
