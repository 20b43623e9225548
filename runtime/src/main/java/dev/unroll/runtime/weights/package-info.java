/**
 * Where weights come from: {@link dev.unroll.runtime.weights.TensorSource}, a view over a safetensors
 * file or a map, checked by name, shape and finiteness when a family's weights load from it.
 */
package dev.unroll.runtime.weights;
