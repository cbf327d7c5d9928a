package pvm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pvm stress}: listed here so that {@code pvm --help} names it and shells complete its
 * options, but run by {@code bin/pvm} itself (through {@code bin/campaign}), as {@link FuzzCommand}.
 */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = "Race CPUs in one address space: faults against munmap, mprotect, fork and exit (docs/reliability.md).")
final class StressCommand implements Callable<Integer> {

    @Option(names = "--minutes", paramLabel = "N", description = "How long the whole run takes (default 10).")
    int minutes = 10;

    @Option(names = "--only", paramLabel = "NAME", description = "One target: i686 or riscv64 (repeatable; default both).")
    List<String> only;

    @Override
    public Integer call() {
        System.err.println("pvm: 'stress' runs the stress test from the test class path, so bin/pvm runs it: bin/pvm stress [--minutes N]");
        return ExitStatus.BAD_INPUT;
    }
}
