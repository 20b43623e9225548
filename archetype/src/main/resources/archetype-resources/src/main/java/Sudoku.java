package ${package};

import dev.unroll.annotations.TinyRecursiveModel;

/**
 * A Tiny Recursive Model for 9x9 Sudoku (81 cells, 11 token ids), hidden 64, 2 layers, 2 latent
 * steps per cycle, 2 cycles. Unroll generates {@code SudokuModel} from it at compile time.
 */
@TinyRecursiveModel(hidden = 64, context = 81, vocab = 11, layers = 2, latentSteps = 2, cycles = 2, seed = 7)
public interface Sudoku {}
