package pvm.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pvm} command. Each subcommand is a class of its own. */
@Command(name = "pvm", mixinStandardHelpOptions = true, version = "pvm 0.1.0",
        description = "A runnable model of the Phoenix-RTOS kernel memory manager.")
public final class Main implements Runnable {

    /** The target every command runs on when {@code --arch} names none: the one default in pvm. */
    public static final String DEFAULT_ARCH = "i686";

    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, RunCommand.class, ShellCommand.class,
            BootCommand.class, ArchsCommand.class, PagesCommand.class, ReportCommand.class, SweepCommand.class, TestCommand.class,
            FuzzCommand.class, StressCommand.class,
            CompletionCommand.class, CommandLine.HelpCommand.class);

    /** Subcommands that look at all the others: they get them all. */
    private static final List<String> NEED_ALL = List.of("help", "completion");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (for tests: no {@code System.exit}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::oneLine)
                .setParameterExceptionHandler(Suggestions::handle);
        // picocli reads a subcommand's annotations by reflection when it is added, a good part of
        // start-up: a command line naming a subcommand gets that one only; help, completion, an
        // option, a typo (for the suggestions) or nothing gets them all.
        String first = args.length > 0 ? args[0] : "";
        boolean named = !NEED_ALL.contains(first) && SUBCOMMANDS.stream().anyMatch(c -> nameOf(c).equals(first));
        for (Class<?> c : SUBCOMMANDS) {
            if (!named || nameOf(c).equals(first)) {
                cli.addSubcommand(c);
            }
        }
        return cli.execute(args);
    }

    private static String nameOf(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
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
