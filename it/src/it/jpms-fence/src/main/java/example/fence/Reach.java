package example.fence;

import dev.unroll.runtime.internal.Checks;

/** Calls the runtime's support layer, which its module does not export to users. */
public final class Reach {
    private Reach() {}

    /** @return what the support layer says */
    public static int reach() {
        return Checks.positive("n", 1);
    }
}
