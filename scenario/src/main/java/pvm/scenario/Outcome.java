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
     * A valid access faulted and the kernel found no page for it (SerenityOS's
     * {@code PageFaultResponse::OutOfMemory}): an out-of-memory end, not an invalid access.
     */
    record Oom() implements Outcome {
        @Override
        public String text() {
            return "OOM";
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
