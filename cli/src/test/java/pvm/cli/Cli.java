package pvm.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the {@code pvm} command in the test's JVM and captures what it prints, for the CLI's tests. */
public final class Cli {

    /** The exit status and everything printed on standard output and standard error. */
    public record Result(int status, String out, String err) {
    }

    private Cli() {
    }

    /** Runs {@code pvm ARGS...}; callers hold {@code Resources.SYSTEM_OUT}, since the streams are swapped. */
    public static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
