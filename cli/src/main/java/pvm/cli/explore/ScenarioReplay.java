package pvm.cli.explore;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import pvm.hal.pmap.Architecture;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.scenario.Line;
import pvm.scenario.ScenarioParser;
import pvm.scenario.Session;
import pvm.scenario.Statement;

/**
 * Replays a scenario statement by statement on a {@link Session}, as the shell would, and records
 * the machine after the boot and after every statement: the data the explorer page steps through.
 *
 * <p>Every statement runs, even after one failed (a failed step is marked, and the ones after it
 * show what the machine did next). A {@code requires} or {@code target} line the target does not
 * meet skips the scenario, as {@code pvm run} does: only the booted machine is recorded.
 */
public final class ScenarioReplay {

    /** How {@code pvm run} indents the lines below a statement. */
    private static final String DETAIL_INDENT = "       ";

    private final Session session;
    private final Json json = new Json();
    private boolean failed;
    private String skipped;
    private Touch lastTouch;

    private ScenarioReplay(Session session) {
        this.session = session;
    }

    /** What a replay gives: the session (its machine, for the other reports), the page data and how it went. */
    public record Result(Session session, String data, boolean failed, Optional<String> skipped) {
    }

    /**
     * Replays {@code lines}, the text of a scenario already known to parse, on a fresh machine of
     * {@code architecture} booted with kernel {@code options} (the policies chosen on the command line).
     *
     * @param source the scenario's path as the page and the messages name it
     */
    public static Result replay(Architecture architecture, KernelOptions options, Path source, List<String> lines) {
        ScenarioReplay r = new ScenarioReplay(new Session(architecture, source.toString(), options));
        r.run(source, lines);
        return new Result(r.session, r.json.toString(), r.failed, Optional.ofNullable(r.skipped));
    }

    private void run(Path source, List<String> lines) {
        json.beginObject().member("scenario", source.toString()).member("source", lines);
        int body = headers(lines);
        Optional<String> notBooted = session.ensureBooted();
        if (notBooted.isPresent()) {
            failed = true;
            json.member("bootError", notBooted.get()).name("steps").beginArray().endArray().endObject();
            return;
        }
        Machine machine = session.machine().orElseThrow();
        json.member("skipped", skipped).name("machine").beginObject();
        MachineSnapshot.machine(json, machine);
        json.endObject();
        json.name("steps").beginArray();
        step(0, "(boot)", true, machine.bootLog().isEmpty() ? "booted" : machine.bootLog().getFirst(), List.of());
        if (skipped == null) {
            body(lines, body, machine.pageSize());
        }
        json.endArray().endObject();
    }

    /**
     * Runs the header lines (and the comments around them) and records what they printed; a
     * {@code requires} or {@code target} the target does not meet marks the scenario skipped.
     *
     * @return the index of the first line of the body
     */
    private int headers(List<String> lines) {
        json.name("headers").beginArray();
        int i = 0;
        for (; i < lines.size(); i++) {
            Optional<Line> line = parse(i + 1, lines.get(i));
            if (line.isPresent() && !(line.get().statement() instanceof Statement.HeaderStatement)) {
                break;
            }
            List<String> out = session.execute(lines.get(i));
            out.forEach(json::value);
            failed |= session.lastFailed() && line.isPresent();
            skipped = session.skipped().orElse(null);
        }
        json.endArray();
        return i;
    }

    /** Runs the lines from {@code from} on, one step per statement. */
    private void body(List<String> lines, int from, long pageSize) {
        for (int i = from; i < lines.size(); i++) {
            Optional<Line> line = parse(i + 1, lines.get(i));
            if (line.isEmpty()) {
                session.execute(lines.get(i)); // blank or comment: the session counts the line all the same
                continue;
            }
            Touch.of(line.get().statement(), pageSize, session.variables()).ifPresent(t -> lastTouch = t);
            List<String> out = session.execute(lines.get(i));
            boolean passed = !session.lastFailed();
            failed |= !passed;
            // The lines below the statement, without the indentation that sets them off in a terminal.
            List<String> details = out.stream().skip(1).map(d -> d.startsWith(DETAIL_INDENT) ? d.substring(DETAIL_INDENT.length()) : d)
                    .toList();
            step(line.get().number(), line.get().text(), passed, out.isEmpty() ? "" : result(out.getFirst(), line.get().text()),
                    details);
        }
    }

    private Optional<Line> parse(int number, String text) {
        return ScenarioParser.parseLine("scenario", number, text).getOrElse(Optional.empty());
    }

    /**
     * The result a printed statement line ends with: what follows {@code ->} after the statement,
     * without the {@code FAILED:} a failure starts with (the page marks failures on its own).
     */
    private static String result(String printed, String statement) {
        int at = printed.indexOf(statement);
        String rest = at < 0 ? printed : printed.substring(at + statement.length());
        int arrow = rest.indexOf("  -> ");
        String result = arrow < 0 ? "" : rest.substring(arrow + 5);
        return result.startsWith("FAILED: ") ? result.substring("FAILED: ".length()) : result;
    }

    private void step(int line, String text, boolean passed, String result, List<String> details) {
        Machine machine = session.machine().orElseThrow();
        json.beginObject().member("line", line).member("text", text).member("passed", passed)
                .member("result", result).member("details", details);
        walk(machine);
        MachineSnapshot.write(json, machine);
        json.endObject();
    }

    /** The MMU's account of the last address touched, walked again now (its entries change as the lesson goes). */
    private void walk(Machine machine) {
        if (lastTouch == null) {
            json.name("walk").nullValue();
            return;
        }
        Process p = null;
        if (lastTouch.process() != null) {
            p = machine.processes().stream().filter(q -> q.name().equals(lastTouch.process())).findFirst().orElse(null);
        }
        json.name("walk").beginObject().member("process", lastTouch.process() == null ? "kernel" : lastTouch.process())
                .member("va", lastTouch.address());
        if (lastTouch.process() != null && p == null) {
            json.member("lines", List.of(lastTouch.process() + " has exited: its address space is gone"));
        } else {
            json.member("lines", machine.showWalk(p, lastTouch.address()));
        }
        json.endObject();
    }
}
