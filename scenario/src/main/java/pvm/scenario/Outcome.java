package pvm.scenario;

/** What {@code expect STATEMENT -> OUTCOME} requires of the statement. */
public sealed interface Outcome {

    /** The outcome as a scenario writes it. */
    String text();

    /** The statement succeeded. */
    record Ok() implements Outcome {
        @Override
        public String text() {
            return "ok";
        }
    }

    /** An access faulted and the kernel could not resolve it: the process got SIGSEGV. */
    record Segv() implements Outcome {
        @Override
        public String text() {
            return "SEGV";
        }
    }

    /**
     * The statement failed with this errno, compared with {@code VmError.errno()}.
     *
     * @param name {@code EINVAL}, {@code ENOMEM}, ...
     */
    record Errno(String name) implements Outcome {
        @Override
        public String text() {
            return name;
        }
    }
}
