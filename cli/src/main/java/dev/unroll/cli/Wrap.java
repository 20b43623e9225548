package dev.unroll.cli;

/**
 * Folds a long output line (a descriptor with every member, a run's figures) at spaces into lines of
 * at most {@link #WIDTH} columns, the help text's width, continuation lines indented: a terminal
 * never has to wrap what the command line prints. A word longer than a line (a path) stays whole.
 */
final class Wrap {
    /** Columns of every line the commands print, as of their help. */
    static final int WIDTH = Unroll.HELP_WIDTH;

    private Wrap() {}

    /**
     * @param first the start of the first line (a label such as {@code "descriptor: "}), counted in its width
     * @param text the text to fold
     * @param indent the start of every further line
     * @return the lines joined by {@code \n}, without a final one
     */
    static String lines(String first, String text, String indent) {
        StringBuilder out = new StringBuilder(first);
        int column = first.length();
        boolean lineEmpty = true;
        for (String word : text.split(" ", -1)) {
            if (!lineEmpty && column + 1 + word.length() > WIDTH) {
                out.append('\n').append(indent);
                column = indent.length();
                lineEmpty = true;
            }
            if (!lineEmpty) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
            lineEmpty = false;
        }
        return out.toString();
    }
}
