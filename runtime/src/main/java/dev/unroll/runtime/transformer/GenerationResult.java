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
    /** @return generated tokens per second */
    public double tokensPerSecond() {
        return generated / (nanos / 1e9);
    }
}
