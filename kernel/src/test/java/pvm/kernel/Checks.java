package pvm.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/** Assertions the kernel's tests share. */
final class Checks {

    private Checks() {
    }

    /** Every layer's checker passes; a failure names the first few violations, not thousands. */
    static void assertConsistent(Machine machine) {
        List<String> violations = machine.verify();
        if (!violations.isEmpty()) {
            fail(violations.size() + " invariant violation(s), the first: "
                    + String.join("\n  ", violations.subList(0, Math.min(5, violations.size()))));
        }
    }
}
