package dev.unroll.runtime.transformer;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.spec.InvalidDescriptorException;
import dev.unroll.runtime.spec.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Llama-family decoder descriptor ({@link dev.unroll.annotations.Transformer}) with its optional
 * compile-time recurrent block ({@link dev.unroll.annotations.RecurrentPass}).
 *
 * @param layers decoder layers
 * @param width model width d
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param ffnHidden feed-forward hidden width
 * @param vocab vocabulary
 * @param maxSeq KV-cache capacity
 * @param ropeTheta RoPE base
 * @param normEps RMS norm epsilon
 * @param tiedClassifier whether the classifier is the embedding
 * @param rope RoPE pairing
 * @param block the recurrent block, or null
 */
public record TransformerSpec(
        int layers,
        int width,
        int heads,
        int kvHeads,
        int ffnHidden,
        int vocab,
        int maxSeq,
        double ropeTheta,
        double normEps,
        boolean tiedClassifier,
        RopeLayout rope,
        Block block) {

    /**
     * A recurrent block: layers {@code loopStart..loopEnd} (inclusive) run {@code depth} times.
     *
     * @param loopStart first layer
     * @param loopEnd last layer
     * @param depth total passes
     */
    public record Block(int loopStart, int loopEnd, int depth) {
        /** @return the block as annotation source */
        public String describe() {
            return "@RecurrentPass(loopStart = " + loopStart + ", loopEnd = " + loopEnd + ", depth = " + depth + ")";
        }
    }

    /** @return head width d / heads */
    /**
     * The layers one token's forward runs, in order: every layer, the block's layers once per pass.
     *
     * @return the layer of each step
     */
    public int[] forwardLayers() {
        return forward(false);
    }

    /**
     * @return the pass (1-based) of each step of {@link #forwardLayers()}, as hooks report it
     */
    public int[] forwardPasses() {
        return forward(true);
    }

    private int[] forward(boolean passes) {
        int depth = block == null ? 1 : block.depth();
        int blockLayers = block == null ? 0 : block.loopEnd() - block.loopStart() + 1;
        int[] out = new int[layers + (depth - 1) * blockLayers];
        int step = 0;
        for (int l = 0; l < layers; l++) {
            if (block != null && l == block.loopStart()) {
                for (int pass = 1; pass <= depth; pass++) {
                    for (int b = block.loopStart(); b <= block.loopEnd(); b++) {
                        out[step++] = passes ? pass : b;
                    }
                }
                l = block.loopEnd();
            } else {
                out[step++] = passes ? 1 : l;
            }
        }
        return out;
    }

    /** @return query/key width of one attention head: width / heads */
    public int headWidth() {
        return width / heads;
    }

    /** @return key/value width per position: kvHeads * headWidth */
    public int kvWidth() {
        return kvHeads * headWidth();
    }

    /** @return query heads per key/value head */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** @return this spec without a recurrent block */
    public TransformerSpec withoutBlock() {
        return new TransformerSpec(layers, width, heads, kvHeads, ffnHidden, vocab, maxSeq, ropeTheta, normEps, tiedClassifier, rope, null);
    }

    /**
     * @param b a block (null: none)
     * @return this spec with that block
     */
    public TransformerSpec withBlock(Block b) {
        return new TransformerSpec(layers, width, heads, kvHeads, ffnHidden, vocab, maxSeq, ropeTheta, normEps, tiedClassifier, rope, b);
    }

    /**
     * @param r a RoPE layout
     * @return this spec with it
     */
    public TransformerSpec withRope(RopeLayout r) {
        return new TransformerSpec(layers, width, heads, kvHeads, ffnHidden, vocab, maxSeq, ropeTheta, normEps, tiedClassifier, r, block);
    }

    /** @return parameter count */
    public long parameters() {
        long d = width;
        long perLayer = 2 * d + d * d * 2 + 2 * d * kvWidth() + 3 * d * ffnHidden;
        return vocab * d * (tiedClassifier ? 1 : 2) + layers * perLayer + d;
    }

    /** @return a one-line description */
    public String describe() {
        String s = "@Transformer(layers = " + layers + ", width = " + width + ", heads = " + heads + ", kvHeads = " + kvHeads
                + ", ffnHidden = " + ffnHidden + ", vocab = " + vocab + ", maxSeq = " + maxSeq + ", ropeTheta = " + ropeTheta
                + ", normEps = " + normEps + ", tiedClassifier = " + tiedClassifier + ", rope = " + rope + ")";
        return block == null ? s : s + " " + block.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** @return the descriptor JSON */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", layers);
        m.put("width", width);
        m.put("heads", heads);
        m.put("kvHeads", kvHeads);
        m.put("ffnHidden", ffnHidden);
        m.put("vocab", vocab);
        m.put("maxSeq", maxSeq);
        m.put("ropeTheta", ropeTheta);
        m.put("normEps", normEps);
        m.put("tiedClassifier", tiedClassifier);
        m.put("rope", rope.name());
        if (block != null) {
            m.put("loopStart", block.loopStart());
            m.put("loopEnd", block.loopEnd());
            m.put("depth", block.depth());
        }
        return m;
    }

    /**
     * @param m descriptor JSON
     * @return the spec (validated)
     */
    public static TransformerSpec fromJson(Map<String, Object> m) {
        Json.onlyKnown(m, java.util.List.of("layers", "width", "heads", "kvHeads", "ffnHidden", "vocab", "maxSeq", "ropeTheta", "normEps",
                "tiedClassifier", "rope", "loopStart", "loopEnd", "depth"), "transformer descriptor");
        Builder b = builder(Json.asInt(Json.required(m, "layers"), "layers"), Json.asInt(Json.required(m, "width"), "width"),
                Json.asInt(Json.required(m, "heads"), "heads"), Json.asInt(Json.required(m, "ffnHidden"), "ffnHidden"),
                Json.asInt(Json.required(m, "vocab"), "vocab"), Json.asInt(Json.required(m, "maxSeq"), "maxSeq"));
        if (m.containsKey("kvHeads")) {
            b.kvHeads = Json.asInt(m.get("kvHeads"), "kvHeads");
        }
        if (m.containsKey("ropeTheta")) {
            b.ropeTheta = Json.asDouble(m.get("ropeTheta"), "ropeTheta");
        }
        if (m.containsKey("normEps")) {
            b.normEps = Json.asDouble(m.get("normEps"), "normEps");
        }
        if (m.containsKey("tiedClassifier")) {
            b.tiedClassifier = Boolean.TRUE.equals(m.get("tiedClassifier"));
        }
        if (m.containsKey("rope")) {
            b.rope = Json.asEnum(m.get("rope"), RopeLayout.class, "rope");
        }
        if (m.containsKey("depth")) {
            b.block(Json.asInt(Json.required(m, "loopStart"), "loopStart"), Json.asInt(Json.required(m, "loopEnd"), "loopEnd"),
                    Json.asInt(m.get("depth"), "depth"));
        }
        return b.build();
    }

    /**
     * @param layers layers
     * @param width width
     * @param heads heads
     * @param ffnHidden FFN width
     * @param vocab vocabulary
     * @param maxSeq maximum sequence
     * @return a builder with the annotation's defaults for the rest
     */
    public static Builder builder(int layers, int width, int heads, int ffnHidden, int vocab, int maxSeq) {
        return new Builder(layers, width, heads, ffnHidden, vocab, maxSeq);
    }

    /** Builder; fields are the annotation members. */
    public static final class Builder {
        /** Layers. */
        public int layers;
        /** Width. */
        public int width;
        /** Heads. */
        public int heads;
        /** KV heads; 0 means heads. */
        public int kvHeads;
        /** FFN width. */
        public int ffnHidden;
        /** Vocabulary. */
        public int vocab;
        /** Maximum sequence. */
        public int maxSeq;
        /** RoPE base. */
        public double ropeTheta = 10000.0;
        /** RMS epsilon. */
        public double normEps = 1e-5;
        /** Tied classifier. */
        public boolean tiedClassifier = true;
        /** RoPE layout. */
        public RopeLayout rope = RopeLayout.INTERLEAVED;
        /** Whether a block is set. */
        public boolean hasBlock;
        /** Block start. */
        public int loopStart;
        /** Block end. */
        public int loopEnd;
        /** Block depth. */
        public int depth = 2;

        Builder(int layers, int width, int heads, int ffnHidden, int vocab, int maxSeq) {
            this.layers = layers;
            this.width = width;
            this.heads = heads;
            this.ffnHidden = ffnHidden;
            this.vocab = vocab;
            this.maxSeq = maxSeq;
        }

        /**
         * @param start loopStart
         * @param end loopEnd
         * @param d depth
         * @return this
         */
        public Builder block(int start, int end, int d) {
            hasBlock = true;
            loopStart = start;
            loopEnd = end;
            depth = d;
            return this;
        }

        /**
         * @param explicit explicit members
         * @return findings in rule order
         */
        public List<Violation> check(Set<String> explicit) {
            return TransformerRules.check(this, explicit);
        }

        /** @return the spec, validated */
        public TransformerSpec build() {
            InvalidDescriptorException.throwIfErrors(check(Set.of()));
            return buildUnchecked();
        }

        /** @return the spec, unchecked */
        public TransformerSpec buildUnchecked() {
            return new TransformerSpec(layers, width, heads, kvHeads == 0 ? heads : kvHeads, ffnHidden, vocab, maxSeq, ropeTheta, normEps,
                    tiedClassifier, rope, hasBlock ? new Block(loopStart, loopEnd, depth) : null);
        }
    }
}
