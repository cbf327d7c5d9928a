package pvm.cli;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import pvm.scenario.Session;
import pvm.scenario.View;

/**
 * Tab completion for {@code pvm shell} that knows where it is in a statement: the statements and
 * process names first, the views after {@code show}, a process's operations after its name,
 * protections and flags where {@code mmap} and {@code mprotect} take them, outcomes after
 * {@code ->}, and the session's {@code $variables}, processes, marks and files by name.
 */
final class ShellCompleter implements Completer {

    /** The shell's own words, besides the language's. */
    static final List<String> SHELL_WORDS = List.of("help", "quit");

    private static final List<String> PROTECTIONS = List.of("none", "r", "rw", "rx", "rwx", "w", "wx", "x");

    private final Session session;

    ShellCompleter(Session session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before = line.words().subList(0, line.wordIndex());
        for (String c : candidates(before, line.word().substring(0, line.wordCursor()))) {
            // A flag list is one word: complete its last flag, and leave room for a ',' after it.
            boolean flag = c.contains(",") || Session.flags().contains(c);
            candidates.add(new Candidate(c, c, null, null, null, null, !flag));
        }
    }

    /** The words that may stand where {@code current} is being typed, after the words {@code before}. */
    List<String> candidates(List<String> before, String current) {
        if (current.startsWith("$")) {
            return session.variables().keySet().stream().map(v -> "$" + v).toList();
        }
        List<String> words = new ArrayList<>(before);
        int arrow = words.indexOf("->");
        if (arrow >= 0) {
            return arrow == words.size() - 1 ? Session.outcomes() : List.of();
        }
        if (words.size() >= 2 && words.get(0).startsWith("$") && words.get(1).equals("=")) {
            words = words.subList(2, words.size());
            if (words.isEmpty()) {
                return List.copyOf(session.processNames());
            }
        }
        if (!words.isEmpty() && words.get(0).equals("expect")) {
            if (words.size() == 1) {
                List<String> c = new ArrayList<>(List.of("verify", "unchanged"));
                c.addAll(statementStarts(false));
                return c;
            }
            if (words.get(1).equals("unchanged")) {
                return words.size() == 2 ? List.copyOf(session.markNames()) : List.of();
            }
            words = words.subList(1, words.size());
        }
        if (words.isEmpty()) {
            return statementStarts(true);
        }
        String first = words.get(0);
        int position = words.size();
        return switch (first) {
            case "show" -> position == 1 ? views()
                    : position == (words.get(1).equals("walk") ? 3 : 2) ? List.copyOf(session.processNames()) : List.of();
            case "fork", "vfork", "exit" -> position == 1 ? List.copyOf(session.processNames()) : List.of();
            case "spawn" -> position == 2 || position == 4 ? List.of("stack", "heap") : List.of();
            case "mem" -> List.of("-m", "-p", "-s", "-h");
            default -> session.processNames().contains(first) ? operationArgument(words, current) : List.of();
        };
    }

    /** What follows {@code P}: an operation, then that operation's words in their places. */
    private List<String> operationArgument(List<String> words, String current) {
        if (words.size() == 1) {
            return Session.operations();
        }
        int argument = words.size() - 2;  // 0 is the first word after the operation
        return switch (words.get(1)) {
            case "mmap" -> switch (argument) {
                case 2 -> PROTECTIONS;
                case 3 -> flagList(current);
                case 4 -> List.of("file", "phys");
                case 5 -> words.get(6).equals("file") ? List.copyOf(session.fileNames()) : List.of();
                default -> List.of();
            };
            case "mprotect" -> argument == 2 ? PROTECTIONS : List.of();
            case "checkfile" -> argument == 2 ? List.copyOf(session.fileNames()) : List.of();
            default -> List.of();
        };
    }

    /** The flags, each after the ones typed already ({@code private,an} completes to {@code private,anon}). */
    private static List<String> flagList(String current) {
        String typed = current.substring(0, current.lastIndexOf(',') + 1);
        List<String> given = List.of(typed.split(","));
        return Session.flags().stream().filter(f -> !given.contains(f)).map(f -> typed + f).toList();
    }

    private List<String> statementStarts(boolean shellWords) {
        List<String> c = new ArrayList<>(Session.statementKeywords());
        c.addAll(session.processNames());
        if (shellWords) {
            c.addAll(SHELL_WORDS);
        }
        return c;
    }

    private static List<String> views() {
        return java.util.Arrays.stream(View.values()).map(View::keyword).toList();
    }
}
