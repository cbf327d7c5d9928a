package pvm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import pvm.hal.pmap.Architecture;
import pvm.kernel.KernelOptions;
import pvm.scenario.Session;

/**
 * {@code pvm shell}: the scenario language one statement at a time on one machine. At a terminal
 * it edits lines, completes words where they fit and keeps its history in {@code ~/.pvm_history};
 * the terminal shows each statement as typed, so only its result is printed. Fed by a pipe it
 * prints a transcript (each statement with its result) and exits 1 when a statement failed.
 */
@Command(name = "shell", mixinStandardHelpOptions = true, description = "An interactive shell: type scenario statements one at a time.")
final class ShellCommand implements Callable<Integer> {

    /** Where the history of every session is kept. */
    static final String HISTORY = ".pvm_history";

    /** The longest line a piped shell takes: 64 KiB, far beyond any statement. */
    static final int MAX_LINE = 64 << 10;

    @Option(names = "--arch", defaultValue = Main.DEFAULT_ARCH, description = "target architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    @Override
    public Integer call() throws IOException {
        var chosen = policies.withTarget(arch);
        if (chosen.isLeft()) {
            System.err.println("pvm: " + chosen.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        Architecture target = chosen.get().architecture();
        KernelOptions options = chosen.get().options();
        Session session = new Session(target, "shell", options);
        var console = System.console();
        return console != null && console.isTerminal() ? interactive(session) : piped(session, System.out);
    }

    /** Lines from standard input, each statement printed with its result; 1 when any failed. */
    static int piped(Session session, PrintStream out) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean failed = false;
        for (String line = readLine(in); line != null && !leaves(line); line = readLine(in)) {
            if (line.length() > MAX_LINE) {
                System.err.println("pvm: a line of standard input is longer than " + (MAX_LINE >> 10) + " KiB; is it a scenario?");
                return ExitStatus.BAD_INPUT;
            }
            if (isHelp(line)) {
                ShellHelp.lines().forEach(out::println);
                continue;
            }
            session.execute(line).forEach(out::println);
            failed |= session.lastFailed();
        }
        out.flush();
        return failed ? ExitStatus.FAILED : ExitStatus.OK;
    }

    /**
     * The next line, without its end; null at the end of the input. Past {@link #MAX_LINE}
     * characters it stops reading and returns what it has, one character too long, so that an
     * endless line ({@code pvm shell < /dev/zero}) is refused instead of filling the heap.
     */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            line.append((char) c);
            if (line.length() > MAX_LINE) {
                return line.toString();
            }
        }
        int end = line.length() - 1;
        return end >= 0 && line.charAt(end) == '\r' ? line.substring(0, end) : line.toString();
    }

    private int interactive(Session session) throws IOException {
        session.echo(false);
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("pvm")
                    .completer(new ShellCompleter(session))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), HISTORY))
                    .build();
            terminal.writer().println("pvm shell on " + arch + ": scenario statements one per line "
                    + "(docs/scenario-language.md); 'help' lists them, Tab completes, 'quit' or Ctrl-D leaves.");
            while (true) {
                String line;
                try {
                    line = reader.readLine("pvm> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return ExitStatus.OK;
                }
                if (leaves(line)) {
                    return ExitStatus.OK;
                }
                List<String> output = isHelp(line) ? ShellHelp.lines() : session.execute(line);
                output.forEach(terminal.writer()::println);
                terminal.flush();
            }
        }
    }

    /** {@code quit} or {@code exit} alone; {@code exit P} is the statement that ends process P. */
    static boolean leaves(String line) {
        String word = line.strip();
        return word.equals("quit") || word.equals("exit");
    }

    private static boolean isHelp(String line) {
        return line.strip().equals("help");
    }
}
