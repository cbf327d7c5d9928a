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

    /** The accounting is what it was at {@code before} (nothing leaked); a failure says what differs. */
    static void assertUnchanged(Machine machine, Accounting before) {
        Accounting now = machine.accounting();
        if (!now.equals(before)) {
            fail("accounting differs: " + now.differencesFrom(before));
        }
    }

    /** Every process given exits, then nothing is left of what they held and every checker passes. */
    static void exitAndCheck(Machine machine, Accounting start, Process... processes) {
        for (Process p : processes) {
            machine.exit(p).getOrElseThrow(e -> new AssertionError(p + " did not exit: " + e.message()));
        }
        assertUnchanged(machine, start);
        assertConsistent(machine);
    }
}
