package dev.unroll.runtime.transformer;

import java.util.List;

/**
 * A generated sequence.
 *
 * @param tokens the prompt followed by the generated tokens (a stop token is not appended)
 * @param generated how many tokens were generated
 * @param logits the logits of every step, when asked for (else empty)
 * @param nanos wall time of the generation loop (prefill included)
 * @param mode how the recurrence ran
 * @param warnings validation warnings
 */
public record GenerationResult(int[] tokens, int generated, List<float[]> logits, long nanos, String mode, List<String> warnings) {
    /**
     * Copies what it is given: a result is immutable.
     *
     * @param tokens the prompt followed by the generated tokens
     * @param generated how many tokens were generated
     * @param logits the logits of every step, or empty
     * @param nanos wall time of the generation loop
     * @param mode how the recurrence ran
     * @param warnings validation warnings
     */
    public GenerationResult {
        tokens = dev.unroll.runtime.internal.Checks.notNull("GenerationResult: tokens", tokens).clone();
        logits = dev.unroll.runtime.internal.Checks.noNulls("GenerationResult: logits", logits).stream().map(float[]::clone).toList();
        warnings = List.copyOf(dev.unroll.runtime.internal.Checks.noNulls("GenerationResult: warnings", warnings));
        dev.unroll.runtime.internal.Checks.notNull("GenerationResult: mode", mode);
    }

    /** @return a copy of the tokens */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** @return copies of every step's logits */
    @Override
    public List<float[]> logits() {
        return logits.stream().map(float[]::clone).toList();
    }

    /** @return generated tokens per second */
    public double tokensPerSecond() {
        return generated / (nanos / 1e9);
    }
}
