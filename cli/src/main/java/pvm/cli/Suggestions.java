package pvm.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import pvm.hal.pmap.Spelling;

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
        return Spelling.near(word, known);
    }
}
