package pvm.cli;

/** The exit statuses every subcommand uses (docs/scenario-language.md, "Running scenarios"). */
final class ExitStatus {

    static final int OK = 0;
    /** An expectation or statement failed. */
    static final int FAILED = 1;
    /** Bad input: an unreadable or malformed file, an unknown architecture, a bad size. */
    static final int BAD_INPUT = 2;

    private ExitStatus() {
    }
}
