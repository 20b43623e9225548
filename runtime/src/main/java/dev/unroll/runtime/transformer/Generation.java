package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.util.List;
import java.util.Set;

/**
 * The settings of a generation.
 *
 * @param prompt prompt tokens (at least one)
 * @param maxNewTokens tokens to generate at most
 * @param sampler the sampler
 * @param recurrence the recurrent pass, or null for a plain forward
 * @param stopTokens tokens that end generation (not appended)
 * @param hooks hooks, or null
 * @param keepLogits record every step's logits
 */
public record Generation(int[] prompt, int maxNewTokens, Sampler sampler, RecurrentPassSpec recurrence, Set<Integer> stopTokens, Hooks hooks,
        boolean keepLogits) {
    /**
     * Checks the arguments.
     *
     * @param prompt prompt tokens (at least one)
     * @param maxNewTokens tokens to generate at most
     * @param sampler the sampler
     * @param recurrence the recurrent pass, or null for a plain forward
     * @param stopTokens tokens that end generation (not appended)
     * @param hooks hooks, or null
     * @param keepLogits record every step's logits
     */
    public Generation {
        if (prompt == null || prompt.length == 0) {
            throw new UnrollException("the prompt must hold at least one token");
        }
        if (maxNewTokens < 0) {
            throw new UnrollException("maxNewTokens (" + maxNewTokens + ") must be >= 0");
        }
        prompt = prompt.clone();
        dev.unroll.runtime.internal.Checks.notNull("Generation: the sampler", sampler);
        stopTokens = Set.copyOf(dev.unroll.runtime.internal.Checks.noNulls("Generation: the stop tokens", stopTokens));
    }

    /**
     * @param prompt prompt tokens
     * @param maxNewTokens tokens to generate
     * @return greedy, plain, stopping at BOS (as llama2.c's run.c)
     */
    public static Generation greedy(int[] prompt, int maxNewTokens) {
        return new Generation(prompt, maxNewTokens, Sampler.greedy(), null, Set.of(Tokenizer.BOS), null, false);
    }

    /**
     * @param r recurrence
     * @return a copy with it
     */
    public Generation withRecurrence(RecurrentPassSpec r) {
        return new Generation(prompt, maxNewTokens, sampler, r, stopTokens, hooks, keepLogits);
    }

    /**
     * @param s sampler
     * @return a copy with it
     */
    public Generation withSampler(Sampler s) {
        return new Generation(prompt, maxNewTokens, s, recurrence, stopTokens, hooks, keepLogits);
    }

    /**
     * @param keep record logits
     * @return a copy
     */
    public Generation keepingLogits(boolean keep) {
        return new Generation(prompt, maxNewTokens, sampler, recurrence, stopTokens, hooks, keep);
    }

    /**
     * @param h hooks
     * @return a copy
     */
    public Generation withHooks(Hooks h) {
        return new Generation(prompt, maxNewTokens, sampler, recurrence, stopTokens, h, keepLogits);
    }

    /**
     * @param stops stop tokens
     * @return a copy
     */
    public Generation withStopTokens(Set<Integer> stops) {
        return new Generation(prompt, maxNewTokens, sampler, recurrence, stops, hooks, keepLogits);
    }

    /** @return the list of step logits to fill */
    List<float[]> newLogitList() {
        return new java.util.ArrayList<>();
    }
}
