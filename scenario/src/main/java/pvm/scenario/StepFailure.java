package pvm.scenario;

import java.util.List;

/**
 * A statement that cannot be carried out as written: an unknown process, an unbound variable, a
 * vfork parent named before its child exits, a byte that differs in a {@code check}. It fails the
 * statement whatever an {@code expect} around it says. Used only inside {@link ScenarioRun}.
 */
final class StepFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> details;

    StepFailure(String reason) {
        this(reason, List.of());
    }

    StepFailure(String reason, List<String> details) {
        super(reason, null, false, false);
        this.details = List.copyOf(details);
    }

    List<String> details() {
        return details;
    }
}
