package pvm.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * What {@code pvm} says to a word it does not know: one line naming the word and the commands or
 * options it may have meant, by edit distance, so that {@code pvm rnu} suggests {@code run}
 * (picocli's own suggestions compare letter pairs and miss swapped letters).
 */
final class Suggestions {

    private Suggestions() {
    }

    /** The handler for {@link CommandLine#setParameterExceptionHandler}. */
    static int handle(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().getFirst();
            List<String> near = near(word, command);
            String kind = word.startsWith("-") ? "option" : command.getSubcommands().isEmpty() ? "argument" : "command";
            System.err.println(name + ": unknown " + kind + " '" + word + "'"
                    + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?")
                    + " (" + name + " --help lists them)");
        } else {
            System.err.println(name + ": " + e.getMessage() + " (" + name + " --help tells more)");
        }
        return ExitStatus.BAD_INPUT;
    }

    /** The subcommands and options of {@code command} at most two edits from {@code word}. */
    static List<String> near(String word, CommandLine command) {
        List<String> known = new ArrayList<>(command.getSubcommands().keySet());
        command.getCommandSpec().options().forEach(o -> known.addAll(List.of(o.names())));
        int limit = word.length() <= 3 ? 1 : 2;
        return known.stream().filter(k -> distance(word, k) <= limit).sorted().toList();
    }

    /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
