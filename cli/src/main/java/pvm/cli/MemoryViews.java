package pvm.cli;

import java.io.PrintStream;
import pvm.kernel.Json;
import pvm.kernel.Machine;

/** The text views of a machine's memory the commands share. */
final class MemoryViews {

    private MemoryViews() {
    }

    /** Memory accounting, free blocks per order, and the invariant check. */
    /** What {@link #printSummary} shows, with the boot log, as one JSON object ({@code pvm boot --json}). */
    static String json(Machine machine) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("arch", machine.architecture().name());
        m.put("ramBytes", machine.config().ramBytes());
        m.put("cpus", machine.config().cpus());
        m.put("policies", machine.policies());
        m.put("bootLog", machine.bootLog());
        m.put("mem", new Json.Raw(machine.views().json("mem", null, 0)));
        m.put("buddy", new Json.Raw(machine.views().json("buddy", null, 0)));
        m.put("kernelMap", new Json.Raw(machine.views().json("map", null, 0)));
        m.put("invariants", machine.verify());
        return Json.write(m);
    }

    static void printSummary(Machine machine, PrintStream out) {
        out.println();
        machine.meminfo().lines().forEach(out::println);
        machine.views().buddy().forEach(out::println);
        var violations = machine.verify();
        out.println(violations.isEmpty() ? "invariants: ok" : "invariants: " + violations.size() + " violation(s)");
        violations.forEach(v -> out.println("  " + v));
    }
}
