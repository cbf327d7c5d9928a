package pvm.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pvm} command. Each subcommand is a class of its own. */
@Command(name = "pvm", mixinStandardHelpOptions = true, version = "pvm 0.1.0",
        description = "A runnable model of the Phoenix-RTOS kernel memory manager.")
public final class Main implements Runnable {

    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, RunCommand.class, ShellCommand.class,
            BootCommand.class, ArchsCommand.class, PagesCommand.class, ReportCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (for tests: no {@code System.exit}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // picocli reads a subcommand's annotations by reflection when it is added, a good part of
        // start-up: a command line naming a subcommand gets that one only; help, an option, a typo
        // or nothing gets them all.
        String first = args.length > 0 ? args[0] : "";
        boolean named = SUBCOMMANDS.stream().anyMatch(c -> nameOf(c).equals(first)) && !first.equals("help");
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

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
