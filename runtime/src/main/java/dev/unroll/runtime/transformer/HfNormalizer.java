package dev.unroll.runtime.transformer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code normalizer} of a {@code tokenizer.json}: {@code NFC}, {@code NFKC}, {@code NFD},
 * {@code NFKD}, {@code Prepend}, {@code Replace} and a {@code Sequence} of them; any other is refused.
 */
final class HfNormalizer {
    private HfNormalizer() {}

    /** @return the normalizer, or null when the file declares none */
    static UnaryOperator<String> of(HfNode n) {
        if (n.isNull()) {
            return null;
        }
        String type = n.type();
        switch (type) {
            case "NFC":
                return s -> Normalizer.normalize(s, Normalizer.Form.NFC);
            case "NFKC":
                return s -> Normalizer.normalize(s, Normalizer.Form.NFKC);
            case "NFD":
                return s -> Normalizer.normalize(s, Normalizer.Form.NFD);
            case "NFKD":
                return s -> Normalizer.normalize(s, Normalizer.Form.NFKD);
            case "Prepend": {
                String prepend = n.at("prepend").string();
                return s -> prepend + s;
            }
            case "Replace": {
                Pattern p = HfPattern.of(n.at("pattern"));
                String content = Matcher.quoteReplacement(n.at("content").stringOr(""));
                return s -> p.matcher(s).replaceAll(content);
            }
            case "Sequence": {
                List<UnaryOperator<String>> steps = new ArrayList<>();
                for (HfNode child : n.at("normalizers").list()) {
                    UnaryOperator<String> step = of(child);
                    if (step == null) {
                        throw child.error("is null, expected a normalizer");
                    }
                    steps.add(step);
                }
                return s -> {
                    for (UnaryOperator<String> step : steps) {
                        s = step.apply(s);
                    }
                    return s;
                };
            }
            default:
                throw n.at("type").unsupported("normalizers NFC, NFKC, NFD, NFKD, Prepend, Replace and Sequence only");
        }
    }
}
