package io.tributary.support.cel;

/** A condition that does not compile; the message names the line and column. */
public class InvalidConditionException extends IllegalArgumentException {
    private final int line;
    private final int column;

    public InvalidConditionException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    /** 1-based; 0 when CEL gave no position. */
    public int line() {
        return line;
    }

    /** 1-based; 0 when CEL gave no position. */
    public int column() {
        return column;
    }
}
