/** Converters of what users have (PyTorch traces, llama2.c logits, fla calls) into Unroll's golden format. */
package dev.unroll.cli.golden;
