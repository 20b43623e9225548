package dev.unroll.processor.plan;

/** The binary operators of the kernel IR, with their Java spelling and precedence. */
public enum BinOp {
    /** {@code a * b}. */
    MUL("*", 12),
    /** {@code a / b}. */
    DIV("/", 12),
    /** {@code a + b}. */
    ADD("+", 11),
    /** {@code a - b}. */
    SUB("-", 11),
    /** {@code a << b}. */
    SHL("<<", 10),
    /** {@code a >>> b}. */
    USHR(">>>", 10),
    /** {@code a < b}. */
    LT("<", 9),
    /** {@code a > b}. */
    GT(">", 9),
    /** {@code a <= b}. */
    LE("<=", 9),
    /** {@code a >= b}. */
    GE(">=", 9),
    /** {@code a == b}. */
    EQ("==", 8),
    /** {@code a != b}. */
    NE("!=", 8),
    /** {@code a & b}. */
    BIT_AND("&", 7),
    /** {@code a | b}. */
    BIT_OR("|", 5),
    /** {@code a && b}. */
    AND("&&", 4),
    /** {@code a || b}. */
    OR("||", 3);

    private final String symbol;
    private final int precedence;

    BinOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** @return the Java operator */
    public String symbol() {
        return symbol;
    }

    /** @return Java's precedence, higher binds tighter */
    public int precedence() {
        return precedence;
    }
}
