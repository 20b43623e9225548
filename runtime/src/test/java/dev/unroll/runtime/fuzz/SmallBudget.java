package dev.unroll.runtime.fuzz;

import dev.unroll.runtime.Limits;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class under a memory budget of {@value #BUDGET} ({@code -Dunroll.maxBytes}), so that
 * a fuzzed size the loaders let through shows as an out-of-memory error long before the test JVM's
 * heap would, and restores the caller's budget afterwards.
 */
public final class SmallBudget implements BeforeAllCallback, AfterAllCallback {
    /** The budget fuzz targets run under. */
    public static final String BUDGET = "256m";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SmallBudget.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        String saved = System.getProperty(Limits.BUDGET_PROPERTY);
        context.getStore(NS).put("saved", saved == null ? "" : saved);
        System.setProperty(Limits.BUDGET_PROPERTY, BUDGET);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String saved = context.getStore(NS).get("saved", String.class);
        if (saved == null || saved.isEmpty()) {
            System.clearProperty(Limits.BUDGET_PROPERTY);
        } else {
            System.setProperty(Limits.BUDGET_PROPERTY, saved);
        }
    }
}
