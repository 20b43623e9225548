package dev.unroll.examples.trm;

import dev.unroll.annotations.TinyRecursiveModel;

/**
 * The seed model: Sudoku, hidden 512, 2 layers, n = 6, T = 3, MLP mixer over 1 + 81 positions, one
 * halting logit. Golden data: {@code $UNROLL_SHARED/golden/trm/}.
 */
@TinyRecursiveModel
public interface SudokuTrm {}
