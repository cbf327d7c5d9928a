package pvm.scenario;

/**
 * A line a scenario cannot be parsed at.
 *
 * @param file the file as the user named it
 * @param line 1-based line
 * @param column 1-based column of the token where something else was expected
 * @param message {@code expected ..., found ...}
 */
public record ParseError(String file, int line, int column, String message) {

    /** {@code file:line:column: expected ..., found ...}. */
    public String text() {
        return file + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public String toString() {
        return text();
    }
}
