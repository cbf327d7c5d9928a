package pvm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code pvm test}: listed here so that {@code pvm --help} names it, but run by {@code bin/pvm}
 * itself, which needs Maven and a JDK rather than the built command.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the whole test suite (./mvnw verify); 'bin/pvm test --arch NAME' tests one target.")
final class TestCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("pvm: 'test' builds and tests the project, so bin/pvm runs it: bin/pvm test [--arch NAME]");
        return ExitStatus.BAD_INPUT;
    }
}
