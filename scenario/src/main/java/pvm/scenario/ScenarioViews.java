package pvm.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pvm.hal.pmap.VmError;
import pvm.kernel.Json;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.kernel.PshMem;

/**
 * What a scenario shows: the machine's views ({@code show WHAT}, as text and as JSON), the two views
 * of the scenario's own names ({@code show processes}, {@code show vars}) and psh's {@code mem}. It
 * reads the run's names and values; it changes nothing.
 */
final class ScenarioViews {

    private final Machine machine;
    private final Map<String, Process> processes;
    private final Map<String, String> vforkChildOf;
    private final Map<String, Long> variables;

    /** The views of a run whose processes, vfork children and variables are these (live maps, read only). */
    ScenarioViews(Machine machine, Map<String, Process> processes, Map<String, String> vforkChildOf, Map<String, Long> variables) {
        this.machine = machine;
        this.processes = processes;
        this.vforkChildOf = vforkChildOf;
        this.variables = variables;
    }

    /** {@code show VIEW}: the lines below the statement ({@code p} and {@code va} where the view takes them). */
    Effect show(View view, Process p, long va) {
        List<String> lines = switch (view) {
            case PAGES -> machine.showPages();
            case MEM -> machine.showMem();
            case MAP -> machine.showMap(p);
            case BUDDY -> machine.showBuddy();
            case KMALLOC -> machine.showKmalloc();
            case OBJECTS -> machine.showObjects();
            case WALK -> machine.showWalk(p, va);
            case PROCESSES -> processes();
            case VARS -> vars();
            case STATS -> machine.stats(statsProcess(p)).lines();
        };
        return new Effect.Done("", lines);
    }

    /** The view {@code show} prints, as JSON ({@code pvm run --json}). */
    String json(View view, Process p, long va) {
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("view", view.keyword());
        switch (view) {
            case PROCESSES -> named.put("processes", processes.values().stream()
                    .map(q -> new TreeMap<>(Map.of("name", q.name(), "pid", q.pid()))).toList());
            case VARS -> named.put("vars", variables);
            case STATS -> {
                return machine.views().statsJson(statsProcess(p));
            }
            default -> {
                return machine.views().json(view.keyword(), p, va);
            }
        }
        return Json.write(named);
    }

    /** {@code show stats} is about one process; the kernel's map has no such figures. */
    private static Process statsProcess(Process p) {
        if (p == null) {
            throw new StepFailure("show stats needs a process: show stats P");
        }
        return p;
    }

    /** {@code show processes}: one row per live process, the names a scenario uses beside Phoenix's pids. */
    private List<String> processes() {
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-12s %5s  %s", "name", "pid", "map"));
        processes.forEach((name, p) -> {
            String parent = vforkChildOf.entrySet().stream().filter(e -> e.getValue().equals(name))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            int entries = p.map().isShared() ? p.map().entries(p).size() : p.map().entries().size();
            rows.add(String.format("%-12s %5d  %s", name, p.pid(),
                    parent != null ? "its parent's (vfork child of " + parent + ")" : entries + " entries"));
        });
        if (processes.isEmpty()) {
            rows.add("(no process)");
        }
        return rows;
    }

    /** {@code show vars}: every variable with its value, in the order they were first set. */
    private List<String> vars() {
        List<String> rows = new ArrayList<>();
        variables.forEach((name, value) -> rows.add(String.format("$%-11s 0x%08x  (%d)", name, value, value)));
        if (variables.isEmpty()) {
            rows.add("(no variable)");
        }
        return rows;
    }

    /**
     * psh's {@code mem}; where psh takes a pid, a scenario may name the process. What psh prints on
     * either stream is shown; a run psh ends with a failure status fails with {@code EINVAL}.
     */
    Effect mem(Statement.Mem m) {
        List<String> args = new ArrayList<>(m.args());
        if (args.size() > 1 && args.get(0).equals("-m") && processes.containsKey(args.get(1))) {
            args.set(1, Integer.toString(processes.get(args.get(1)).pid()));
        }
        PshMem.Output out = machine.psh(args);
        if (out.status() != 0) {
            return new Effect.Failed(VmError.einval(String.join("; ", out.err())));
        }
        List<String> lines = new ArrayList<>(out.out());
        lines.addAll(out.err());
        return new Effect.Done("", lines);
    }
}
