package dev.unroll.examples.trm;

import dev.unroll.annotations.TinyRecursiveModel;
import dev.unroll.annotations.WeightFormat;

/**
 * {@link SudokuTrm} with its row projections (MLP gate/up and down) stored as
 * {@link WeightFormat#Q4}, converted from the F32 checkpoint at load time.
 */
@TinyRecursiveModel(weights = WeightFormat.Q4)
public interface SudokuTrmQ4 {}
