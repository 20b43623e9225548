package dev.unroll.runtime.trm;

import dev.unroll.runtime.UnrollException;

/**
 * Sudoku in the TRM token convention: 0 = PAD, 1 = blank cell, 2..10 = digits 1..9 (token = digit + 1).
 */
public final class Sudoku {
    /** Cells of a 9x9 grid. */
    public static final int CELLS = 81;

    private Sudoku() {}

    /**
     * @param puzzle 81 characters, row by row: digits 1-9, and '.' or '0' for blanks (whitespace ignored)
     * @return 81 tokens
     * @throws UnrollException naming the first bad character and its position
     */
    public static int[] parse(String puzzle) {
        dev.unroll.runtime.internal.Checks.notNull("Sudoku.parse: the puzzle", puzzle);
        int[] tokens = new int[CELLS];
        int n = 0;
        for (int i = 0; i < puzzle.length(); i++) {
            char c = puzzle.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (n == CELLS) {
                throw new UnrollException("sudoku has more than 81 cells (extra '" + c + "' at character " + i + ")");
            }
            if (c == '.' || c == '0') {
                tokens[n++] = 1;
            } else if (c >= '1' && c <= '9') {
                tokens[n++] = c - '0' + 1;
            } else {
                throw new UnrollException("sudoku character " + i + " ('" + c + "') must be 1-9, '.' or '0'");
            }
        }
        if (n != CELLS) {
            throw new UnrollException("sudoku has " + n + " cells, expected 81");
        }
        return tokens;
    }

    /**
     * @param tokens 81 tokens
     * @return the grid as 81 characters (digits; '.' for blank or PAD)
     */
    public static String format(int[] tokens) {
        cells("Sudoku.format: tokens", tokens);
        StringBuilder sb = new StringBuilder(CELLS);
        for (int t : tokens) {
            sb.append(t >= 2 && t <= 10 ? (char) ('0' + t - 1) : '.');
        }
        return sb.toString();
    }

    /**
     * @param grid 81 characters
     * @return a 9-line rendering with box separators
     */
    public static String pretty(String grid) {
        if (dev.unroll.runtime.internal.Checks.notNull("Sudoku.pretty: the grid", grid).length() != CELLS) {
            throw new dev.unroll.runtime.UnrollException("Sudoku.pretty: a grid of " + grid.length() + " characters; a Sudoku has " + CELLS);
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 9; r++) {
            if (r % 3 == 0 && r > 0) {
                sb.append("------+-------+------\n");
            }
            for (int c = 0; c < 9; c++) {
                if (c % 3 == 0 && c > 0) {
                    sb.append("| ");
                }
                sb.append(grid.charAt(r * 9 + c)).append(c == 8 ? "" : " ");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * @param tokens 81 tokens
     * @return whether they form a complete valid solution (every row, column and box holds 1..9)
     */
    public static boolean isSolution(int[] tokens) {
        dev.unroll.runtime.internal.Checks.notNull("Sudoku.isSolution: tokens", tokens);
        if (tokens.length != CELLS) {
            return false;
        }
        for (int unit = 0; unit < 9; unit++) {
            int rows = 0;
            int cols = 0;
            int box = 0;
            for (int k = 0; k < 9; k++) {
                rows |= bit(tokens[unit * 9 + k]);
                cols |= bit(tokens[k * 9 + unit]);
                box |= bit(tokens[(unit / 3 * 3 + k / 3) * 9 + unit % 3 * 3 + k % 3]);
            }
            if (rows != 0x3fe || cols != 0x3fe || box != 0x3fe) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param puzzle 81 puzzle tokens
     * @param solution 81 solution tokens
     * @return whether the solution keeps every given digit of the puzzle
     */
    public static boolean keepsGivens(int[] puzzle, int[] solution) {
        cells("Sudoku.keepsGivens: puzzle", puzzle);
        cells("Sudoku.keepsGivens: solution", solution);
        for (int i = 0; i < CELLS; i++) {
            if (puzzle[i] >= 2 && puzzle[i] != solution[i]) {
                return false;
            }
        }
        return true;
    }

    private static int bit(int token) {
        int d = token - 1;
        return d >= 1 && d <= 9 ? 1 << d : 0;
    }

    private static void cells(String what, int[] tokens) {
        dev.unroll.runtime.ShapeMismatchException.checkLength(what, CELLS, dev.unroll.runtime.internal.Checks.notNull(what, tokens).length);
    }
}
