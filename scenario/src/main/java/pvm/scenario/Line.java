package pvm.scenario;

/**
 * A statement with where it came from.
 *
 * @param number the 1-based line number in its file
 * @param text the statement as written, without comment and surrounding blanks (what the run prints)
 * @param statement the parsed statement
 */
public record Line(int number, String text, Statement statement) {
}
