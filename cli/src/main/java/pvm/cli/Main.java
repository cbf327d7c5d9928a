package pvm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pvm} command. Each subcommand is a class of its own. */
@Command(name = "pvm", mixinStandardHelpOptions = true, version = "pvm 0.1.0",
        description = "A runnable model of the Phoenix-RTOS kernel memory manager.",
        subcommands = {DemoCommand.class, RunCommand.class, ShellCommand.class, BootCommand.class, ArchsCommand.class,
            PagesCommand.class, ReportCommand.class, TestCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** The target every command runs on when {@code --arch} names none: the one default in pvm. */
    public static final String DEFAULT_ARCH = "i686";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (for tests: no {@code System.exit}). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::oneLine)
                .setParameterExceptionHandler(Suggestions::handle)
                .execute(args);
    }

    /**
     * What a command that throws prints: one line, never a stack trace. Commands report the
     * failures they expect themselves; this is the net for the rest.
     */
    static int oneLine(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        System.err.println("pvm: " + what);
        return ExitStatus.BAD_INPUT;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
