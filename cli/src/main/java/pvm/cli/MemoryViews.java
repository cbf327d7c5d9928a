package pvm.cli;

import java.io.PrintStream;
import pvm.kernel.Machine;

/** The text views of a machine's memory the commands share. */
final class MemoryViews {

    private MemoryViews() {
    }

    /** Memory accounting, free blocks per order, and the invariant check. */
    static void printSummary(Machine machine, PrintStream out) {
        out.println();
        machine.meminfo().lines().forEach(out::println);
        machine.views().buddy().forEach(line -> out.println("free " + line));
        var violations = machine.verify();
        out.println(violations.isEmpty() ? "invariants: ok" : "invariants: " + violations.size() + " violation(s)");
        violations.forEach(v -> out.println("  " + v));
    }
}
