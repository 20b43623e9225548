package dev.unroll.runtime.fla;

/**
 * Where element {@code [b, t, h, x]} of a per-token tensor lives: fla's {@code [B, T, H, X]} or the
 * head-first {@code [B, H, T, X]}; for per-head scalars ({@code [B, T, H]}), {@code X = 1}.
 */
final class Layout {
    private final boolean headFirst;
    private final int tokens;
    private final int heads;
    private final int width;

    private Layout(boolean headFirst, int tokens, int heads, int width) {
        this.headFirst = headFirst;
        this.tokens = tokens;
        this.heads = heads;
        this.width = width;
    }

    static Layout btH(int tokens, int heads, int width) {
        return new Layout(false, tokens, heads, width);
    }

    static Layout bhT(int tokens, int heads, int width) {
        return new Layout(true, tokens, heads, width);
    }

    /** @return the offset of element 0 of row {@code [b, t, h]} */
    int at(int b, int t, int h) {
        return (headFirst ? (b * heads + h) * tokens + t : (b * tokens + t) * heads + h) * width;
    }

    int[] shape(int batch) {
        return headFirst ? new int[] {batch, heads, tokens, width} : new int[] {batch, tokens, heads, width};
    }
}
