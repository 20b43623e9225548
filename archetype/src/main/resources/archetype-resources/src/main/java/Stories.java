package ${package};

import dev.unroll.annotations.Transformer;

/**
 * A Llama-style decoder: 4 layers, width 128, 4 query heads over 2 key/value heads, MLP 344, a
 * vocabulary of 512, a cache of 256 positions. Unroll generates {@code StoriesModel} from it at
 * compile time; load your own weights with {@code StoriesModel.load(path)} (safetensors under Hugging
 * Face Llama names) or {@code StoriesModel.loadLlama2c(path)}.
 */
@Transformer(layers = 4, width = 128, heads = 4, kvHeads = 2, ffnHidden = 344, vocab = 512, maxSeq = 256)
public interface Stories {}
