package dev.unroll.runtime;

/** Runs a piece of a test with a system property set, and puts the caller's value back (or clears it) whatever happens. */
public final class TestProperties {
    private TestProperties() {}

    /**
     * @param key the property
     * @param value its value while {@code body} runs
     * @param body the test's piece
     * @throws Exception what {@code body} throws
     */
    public static void with(String key, String value, Hostile.Body body) throws Exception {
        String old = System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }
}
