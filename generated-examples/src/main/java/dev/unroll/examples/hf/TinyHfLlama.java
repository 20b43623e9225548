package dev.unroll.examples.hf;

import dev.unroll.annotations.Transformer;

/**
 * A decoder described by a Hugging Face {@code config.json} instead of members: the processor reads
 * {@code src/main/resources/configs/tiny-hf-llama/config.json} (2 layers, width 64, 4 heads over 2
 * key/value heads, MLP 176, a vocabulary of 256, untied classifier, Hugging Face's rotary pairing) at
 * compile time; {@code maxSeq} caps its 2048 positions at 256. (In a package of its own: the TornadoVM
 * device checks compile the other example packages' sources without their resources.)
 */
@Transformer(config = "configs/tiny-hf-llama/config.json", maxSeq = 256)
public interface TinyHfLlama {}
