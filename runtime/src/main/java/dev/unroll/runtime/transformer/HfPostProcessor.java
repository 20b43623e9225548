package dev.unroll.runtime.transformer;

import java.util.Arrays;
import java.util.Map;

/**
 * The {@code post_processor} of a {@code tokenizer.json} for a single sequence: the special tokens
 * a {@code TemplateProcessing} puts before and after it ({@code ByteLevel} adds none; a
 * {@code Sequence} nests them). Pair templates are not read: a generator encodes one text.
 */
final class HfPostProcessor {
    final int[] prefix;
    final int[] suffix;

    private HfPostProcessor(int[] prefix, int[] suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    static final HfPostProcessor NONE = new HfPostProcessor(new int[0], new int[0]);

    static HfPostProcessor of(HfNode n, Map<String, Integer> ids) {
        if (n.isNull()) {
            return NONE;
        }
        switch (n.type()) {
            case "ByteLevel":
                return NONE;
            case "TemplateProcessing":
                return template(n, ids);
            case "Sequence": {
                HfPostProcessor all = NONE;
                for (HfNode child : n.at("processors").list()) {
                    HfPostProcessor p = of(child, ids);
                    all = new HfPostProcessor(concat(p.prefix, all.prefix), concat(all.suffix, p.suffix));
                }
                return all;
            }
            default:
                throw n.at("type").unsupported("post-processors TemplateProcessing, ByteLevel and Sequence only");
        }
    }

    private static HfPostProcessor template(HfNode n, Map<String, Integer> ids) {
        HfBpe.IntList before = new HfBpe.IntList();
        HfBpe.IntList after = new HfBpe.IntList();
        boolean seen = false;
        for (HfNode item : n.at("single").list()) {
            HfNode special = item.at("SpecialToken");
            HfNode sequence = item.at("Sequence");
            if (!special.isNull() && sequence.isNull()) {
                HfNode id = special.at("id");
                Integer v = ids.get(id.string());
                if (v == null) {
                    throw id.error(HfNode.describe(id.raw()) + " is not a token of the vocabulary");
                }
                (seen ? after : before).add(v);
            } else if (!sequence.isNull() && special.isNull()) {
                HfNode id = sequence.at("id");
                if (!"A".equals(id.string()) || seen) {
                    throw id.unsupported("a single template holds sequence A once");
                }
                seen = true;
            } else {
                throw item.error("must hold one of \"SpecialToken\" and \"Sequence\"");
            }
        }
        if (!seen) {
            throw n.at("single").error("has no sequence A: the text would be dropped");
        }
        return new HfPostProcessor(before.toArray(), after.toArray());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
