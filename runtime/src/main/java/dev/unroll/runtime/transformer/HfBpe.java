package dev.unroll.runtime.transformer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BPE on one word: the word's characters as symbols, then, as long as any adjacent pair has a
 * merge, the pair of lowest rank (the leftmost among equals) is merged, with a priority queue over
 * the pairs (O(n log n) in the word's length). Symbols left outside the vocabulary become
 * {@code <0xNN>} byte tokens ({@code byte_fallback}) or the unknown token. Words are cached.
 */
final class HfBpe {
    /** Words at least this long are not cached (as the reference). */
    static final int MAX_CACHED_LENGTH = 256;
    /** Cached words before the cache is cleared. */
    static final int CACHE_CAPACITY = 10_000;
    private static final int[] NONE = new int[0];

    private final Map<String, Integer> vocab;
    /** (left id, right id) packed in a long, to (rank, merged id) packed in a long. */
    private final Map<Long, Long> merges;
    private final int unk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final int[] byteIds = new int[256];
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    HfBpe(Map<String, Integer> vocab, Map<Long, Long> merges, int unk, boolean byteFallback, boolean ignoreMerges) {
        this.vocab = vocab;
        this.merges = merges;
        this.unk = unk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.format(java.util.Locale.ROOT, "<0x%02X>", b));
            byteIds[b] = id == null ? -1 : id;
        }
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    /** Encodes the words of one section into {@code out}, fusing adjacent unknown tokens when asked. */
    void encode(List<String> words, boolean fuseUnk, IntList out) {
        for (String w : words) {
            for (int id : word(w)) {
                if (fuseUnk && id == unk && unk >= 0 && out.size() > 0 && out.last() == unk) {
                    continue;
                }
                out.add(id);
            }
        }
    }

    int[] word(String w) {
        if (w.isEmpty()) {
            return NONE;
        }
        if (ignoreMerges) {
            Integer id = vocab.get(w);
            if (id != null) {
                return new int[] {id};
            }
        }
        int[] hit = cache.get(w);
        if (hit != null) {
            return hit;
        }
        int[] ids = merge(w);
        if (w.length() < MAX_CACHED_LENGTH) {
            if (cache.size() >= CACHE_CAPACITY) {
                cache.clear();
            }
            cache.put(w, ids);
        }
        return ids;
    }

    private int[] merge(String w) {
        int n = w.codePointCount(0, w.length());
        int[] id = new int[n];
        int[] start = new int[n + 1];
        int[] prev = new int[n];
        int[] next = new int[n];
        int[] end = new int[n];
        int[] version = new int[n];
        for (int i = 0, at = 0; i < n; i++) {
            start[i] = at;
            at += Character.charCount(w.codePointAt(at));
            end[i] = at;
            Integer v = vocab.get(w.substring(start[i], at));
            id[i] = v == null ? -1 : v;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // queue entries: rank, left symbol, left version, right symbol, right version
        PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, id, version, i, i + 1);
        }
        while (!queue.isEmpty()) {
            long[] e = queue.poll();
            int l = (int) e[1];
            int r = (int) e[3];
            if (version[l] != (int) e[2] || version[r] != (int) e[4] || next[l] != r || id[l] < 0) {
                continue;
            }
            Long m = merges.get(pair(id[l], id[r]));
            id[l] = (int) (long) m;
            end[l] = end[r];
            version[l]++;
            version[r] = -1;
            next[l] = next[r];
            if (next[r] >= 0) {
                prev[next[r]] = l;
            }
            if (prev[l] >= 0) {
                offer(queue, id, version, prev[l], l);
            }
            if (next[l] >= 0) {
                offer(queue, id, version, l, next[l]);
            }
        }
        IntList out = new IntList();
        for (int i = 0; i >= 0; i = next[i]) {
            if (id[i] >= 0) {
                out.add(id[i]);
                continue;
            }
            byte[] bytes = HfByteLevel.utf8(w.substring(start[i], end[i]));
            boolean all = byteFallback;
            for (int k = 0; all && k < bytes.length; k++) {
                all = byteIds[bytes[k] & 0xff] >= 0;
            }
            if (all) {
                for (byte b : bytes) {
                    out.add(byteIds[b & 0xff]);
                }
            } else if (unk >= 0) {
                out.add(unk);
            }
        }
        return out.toArray();
    }

    private void offer(PriorityQueue<long[]> queue, int[] id, int[] version, int l, int r) {
        if (id[l] < 0 || id[r] < 0) {
            return;
        }
        Long m = merges.get(pair(id[l], id[r]));
        if (m != null) {
            queue.add(new long[] {m >>> 32, l, version[l], r, version[r]});
        }
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        int last() {
            return a[n - 1];
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    static Map<Long, Long> newMerges(int capacity) {
        return new HashMap<>(Math.max(16, capacity * 4 / 3 + 1));
    }
}
