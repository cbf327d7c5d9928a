package pvm.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import pvm.hal.pmap.Architectures;
import pvm.kernel.KernelOptions;
import pvm.scenario.Session;

/**
 * {@code pvm shell}: the scenario language one statement at a time on one machine, with line
 * editing, history and completion of the language's words.
 */
@Command(name = "shell", description = "An interactive shell: type scenario statements one at a time.")
final class ShellCommand implements Callable<Integer> {

    @Option(names = "--arch", defaultValue = Main.DEFAULT_ARCH, description = "target architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Mixin
    PolicyOptions policies = new PolicyOptions();

    @Override
    public Integer call() throws IOException {
        var found = Architectures.named(arch);
        if (found.isLeft()) {
            System.err.println("pvm: " + found.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        var options = policies.apply(KernelOptions.DEFAULT);
        if (options.isLeft()) {
            System.err.println("pvm: " + options.getLeft());
            return ExitStatus.BAD_INPUT;
        }
        Session session = new Session(found.get(), "shell", options.get());
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("pvm")
                    .completer(new StringsCompleter(Session.words())).build();
            terminal.writer().println("pvm shell on " + arch + ": scenario statements (docs/scenario-language.md), one per line; "
                    + "'show pages', 'show map P', 'expect verify'; Ctrl-D leaves.");
            while (true) {
                String line;
                try {
                    line = reader.readLine("pvm> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return ExitStatus.OK;
                }
                List<String> output = session.execute(line);
                output.forEach(terminal.writer()::println);
                terminal.flush();
            }
        }
    }
}
