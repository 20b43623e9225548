package dev.unroll.runtime.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code pre_tokenizer} of a {@code tokenizer.json}, which cuts a section of text into the words
 * BPE encodes one by one: {@code ByteLevel}, {@code Split} (behaviours {@code Isolated} and
 * {@code Removed}), {@code Metaspace} (without {@code split}) and a {@code Sequence} of them.
 */
abstract class HfPreTokenizer {
    /**
     * @param text a section of text, or a piece of it
     * @param section its index among the text's sections (split around added tokens)
     * @return the words
     */
    abstract List<String> split(String text, int section);

    /** @return the pre-tokenizer, or null when the file declares none */
    static HfPreTokenizer of(HfNode n) {
        if (n.isNull()) {
            return null;
        }
        switch (n.type()) {
            case "ByteLevel":
                return byteLevel(n);
            case "Split":
                return split(n);
            case "Metaspace":
                return metaspace(n);
            case "Sequence": {
                List<HfPreTokenizer> steps = new ArrayList<>();
                for (HfNode child : n.at("pretokenizers").list()) {
                    HfPreTokenizer step = of(child);
                    if (step == null) {
                        throw child.error("is null, expected a pre-tokenizer");
                    }
                    steps.add(step);
                }
                return new HfPreTokenizer() {
                    @Override
                    List<String> split(String text, int section) {
                        List<String> pieces = List.of(text);
                        for (HfPreTokenizer step : steps) {
                            List<String> next = new ArrayList<>();
                            for (String piece : pieces) {
                                next.addAll(step.split(piece, section));
                            }
                            pieces = next;
                        }
                        return pieces;
                    }
                };
            }
            default:
                throw n.at("type").unsupported("pre-tokenizers ByteLevel, Split, Metaspace and Sequence only");
        }
    }

    private static HfPreTokenizer byteLevel(HfNode n) {
        boolean prefix = n.at("add_prefix_space").bool(false);
        Pattern regex = n.at("use_regex").bool(true) ? HfPattern.gpt2() : null;
        return new HfPreTokenizer() {
            @Override
            List<String> split(String text, int section) {
                if (prefix && !text.startsWith(" ")) {
                    text = " " + text;
                }
                List<String> words = regex == null ? List.of(text) : HfPattern.split(regex, text, true, false);
                List<String> out = new ArrayList<>(words.size());
                for (String w : words) {
                    out.add(HfByteLevel.encode(w));
                }
                return out;
            }
        };
    }

    private static HfPreTokenizer split(HfNode n) {
        Pattern p = HfPattern.of(n.at("pattern"));
        HfNode invertNode = n.at("invert");
        if (invertNode.isNull()) {
            throw invertNode.error("is absent: the reference implementations disagree on its default, declare true or false");
        }
        if (invertNode.bool(false)) {
            return new HfPreTokenizer() {
                @Override
                List<String> split(String text, int section) {
                    return HfPattern.split(p, text, true, false);
                }
            };
        }
        HfNode behaviour = n.at("behavior");
        switch (behaviour.string()) {
            case "Isolated":
                return new HfPreTokenizer() {
                    @Override
                    List<String> split(String text, int section) {
                        return HfPattern.split(p, text, true, true);
                    }
                };
            case "Removed":
                return new HfPreTokenizer() {
                    @Override
                    List<String> split(String text, int section) {
                        return HfPattern.split(p, text, false, true);
                    }
                };
            default:
                throw behaviour.unsupported("Split behaviours Isolated and Removed only");
        }
    }

    private static HfPreTokenizer metaspace(HfNode n) {
        String replacement = n.at("replacement").stringOr("\u2581");
        if (replacement.isEmpty()) {
            throw n.at("replacement").error("is empty");
        }
        if (n.at("split").bool(false)) {
            throw n.at("split").unsupported("Metaspace without split only (the reference implementations disagree)");
        }
        HfNode scheme = n.at("prepend_scheme");
        String prepend;
        if (scheme.isNull()) {
            if (!n.at("add_prefix_space").bool(true)) {
                throw n.at("add_prefix_space").unsupported("without prepend_scheme the reference implementations disagree");
            }
            prepend = "always";
        } else {
            prepend = scheme.string();
            if (!prepend.equals("always") && !prepend.equals("first") && !prepend.equals("never")) {
                throw scheme.unsupported("always, first or never");
            }
        }
        String scheme0 = prepend;
        return new HfPreTokenizer() {
            @Override
            List<String> split(String text, int section) {
                String s = text.replace(" ", replacement);
                if (!s.startsWith(replacement) && (scheme0.equals("always") || (scheme0.equals("first") && section == 0))) {
                    s = replacement + s;
                }
                return List.of(s);
            }
        };
    }
}
