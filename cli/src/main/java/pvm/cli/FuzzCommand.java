package pvm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pvm fuzz}: listed here so that {@code pvm --help} names it and shells complete its
 * options, but run by {@code bin/pvm} itself (through {@code bin/campaign}): a campaign runs the
 * fuzz tests on the test class path, which needs Maven and a JDK rather than the built command.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Fuzz the scenario parser and statement sequences on every target with Jazzer (docs/reliability.md).")
final class FuzzCommand implements Callable<Integer> {

    @Option(names = "--minutes", paramLabel = "N", description = "How long the whole campaign runs (default 10).")
    int minutes = 10;

    @Option(names = "--only", paramLabel = "NAME", description = "One test: i686, nommu, riscv64 or parser (repeatable; default the three targets).")
    List<String> only;

    @Option(names = "--jobs", paramLabel = "N", description = "How many tests run at once (default 1).")
    int jobs = 1;

    @Override
    public Integer call() {
        System.err.println("pvm: 'fuzz' runs the fuzz tests from the test class path, so bin/pvm runs it: bin/pvm fuzz [--minutes N]");
        return ExitStatus.BAD_INPUT;
    }
}
