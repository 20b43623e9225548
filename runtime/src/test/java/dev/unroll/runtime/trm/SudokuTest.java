package dev.unroll.runtime.trm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrollException;
import org.junit.jupiter.api.Test;

class SudokuTest {
    @Test
    void theGoldenLabelsAreSolutionsOfTheGoldenPuzzles() {
        try (TrmGolden g = new TrmGolden()) {
            int[] puzzles = g.tokens();
            int[] labels = g.file.ints("input.labels");
            for (int b = 0; b < 4; b++) {
                int[] p = java.util.Arrays.copyOfRange(puzzles, b * 81, b * 81 + 81);
                int[] s = java.util.Arrays.copyOfRange(labels, b * 81, b * 81 + 81);
                assertTrue(Sudoku.isSolution(s), "label " + b);
                assertTrue(Sudoku.keepsGivens(p, s), "label " + b + " keeps the givens");
                assertFalse(Sudoku.isSolution(p), "a puzzle with blanks is not a solution");
                assertArrayEquals(p, Sudoku.parse(Sudoku.format(p).replace('.', '0')), "format/parse round trip");
            }
        }
    }

    @Test
    void parsesTheTokenConvention() {
        String puzzle = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
        int[] t = Sudoku.parse(puzzle);
        assertEquals(6, t[0], "digit 5 is token 6");
        assertEquals(1, t[2], "blank is token 1");
        assertEquals(puzzle, Sudoku.format(t));
        assertEquals(Sudoku.format(t), Sudoku.format(Sudoku.parse(puzzle.replace('.', '0'))));
        String solved = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";
        assertTrue(Sudoku.isSolution(Sudoku.parse(solved)));
        assertTrue(Sudoku.keepsGivens(t, Sudoku.parse(solved)));
        String broken = "434678912672195348198342567859761423426853791713924856961537284287419635345286179";
        assertFalse(Sudoku.isSolution(Sudoku.parse(broken)));
        assertTrue(Sudoku.pretty(solved).startsWith("5 3 4 | 6 7 8 | 9 1 2\n"));
    }

    @Test
    void rejectsBadPuzzlesByPosition() {
        UnrollException e = assertThrows(UnrollException.class, () -> Sudoku.parse("53x"));
        assertEquals("sudoku character 2 ('x') must be 1-9, '.' or '0'", e.getMessage());
        assertEquals("sudoku has 3 cells, expected 81", assertThrows(UnrollException.class, () -> Sudoku.parse("123")).getMessage());
    }
}
