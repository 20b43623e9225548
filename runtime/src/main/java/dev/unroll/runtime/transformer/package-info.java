/**
 * Llama-family decoders and their recurrent passes: {@link dev.unroll.runtime.transformer.TransformerSpec},
 * {@link dev.unroll.runtime.transformer.TransformerWeights} (safetensors or
 * {@link dev.unroll.runtime.transformer.Llama2c llama2.c} checkpoints),
 * {@link dev.unroll.runtime.transformer.TransformerModel} (a generated model or the
 * {@link dev.unroll.runtime.transformer.GenericTransformer generic engine}), generation with a KV cache
 * ({@link dev.unroll.runtime.transformer.CachedGenerator}) or by recomputation
 * ({@link dev.unroll.runtime.transformer.RecomputeGenerator}), the
 * {@link dev.unroll.runtime.transformer.RecurrentPassSpec recurrent pass}, sampling, tokenizer and hooks.
 *
 * <p>Models, specs, weights and generators are immutable and thread-safe; a decode session, its KV
 * caches and a {@link dev.unroll.runtime.transformer.Hooks} belong to one generation at a time.
 */
package dev.unroll.runtime.transformer;
