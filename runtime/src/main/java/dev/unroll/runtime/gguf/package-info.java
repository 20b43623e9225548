/**
 * GGUF files (llama.cpp's model format, version 3): {@link dev.unroll.runtime.gguf.GgufFile} reads the
 * header, metadata and tensors (F32, F16, BF16, Q8_0, Q4_0, widened to F32 as they are read);
 * {@link dev.unroll.runtime.gguf.GgufModel} reads a llama-architecture file as the
 * {@code @Transformer} it describes and its tensors under Hugging Face's names.
 */
package dev.unroll.runtime.gguf;
