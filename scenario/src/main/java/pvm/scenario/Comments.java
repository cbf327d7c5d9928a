package pvm.scenario;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The comment lines of a scenario, by line number, for {@code pvm run --explain} and {@code pvm
 * demo}: a lesson's explanation is its comments, and each block is shown just before the
 * statements it precedes.
 */
public final class Comments {

    /** Nothing to explain: what a run without {@code --explain} prints between statements. */
    public static final Comments NONE = new Comments(new TreeMap<>());

    private final NavigableMap<Integer, String> lines;

    private Comments(NavigableMap<Integer, String> lines) {
        this.lines = lines;
    }

    /** The whole-line comments of a scenario's {@code text}, as written. */
    public static Comments of(String text) {
        NavigableMap<Integer, String> lines = new TreeMap<>();
        int number = 0;
        for (String raw : text.split("\r?\n|\r", -1)) {
            number++;
            if (isComment(raw)) {
                lines.put(number, raw.strip());
            }
        }
        return new Comments(lines);
    }

    /** Whether a line is a comment of its own (not a statement with a comment after it). */
    public static boolean isComment(String line) {
        return line.strip().startsWith("#");
    }

    /** The comment lines after line {@code previous} and before line {@code next}. */
    public List<String> between(int previous, int next) {
        return previous >= next ? List.of() : List.copyOf(lines.subMap(previous, false, next, false).values());
    }

    /** The comment lines after line {@code previous}: those that end the file. */
    public List<String> after(int previous) {
        return List.copyOf(lines.tailMap(previous, false).values());
    }
}
