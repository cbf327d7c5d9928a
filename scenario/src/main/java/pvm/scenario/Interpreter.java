package pvm.scenario;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import pvm.hal.pmap.Architecture;
import pvm.kernel.Json;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;

/**
 * Runs a parsed scenario on one target (docs/scenario-language.md): decides whether the target runs it at all
 * ({@code requires}, {@code target}), boots the machine its {@code boot} describes, runs the
 * statements in order and stops at the first failure unless asked to keep going.
 *
 * <p>Each statement prints one line, its number, the statement as written and its result:
 * <pre>
 *   4  $a = parent mmap 0 1P rw private,anon  -> 0x40000000
 *  12  expect child store 8 $a 1 -> SEGV  -> FAILED: expected SEGV, got ok
 * </pre>
 * with views, SIGSEGV reports and invariant violations indented below it.
 */
public final class Interpreter {

    private Interpreter() {
    }

    /**
     * Runs {@code scenario} on {@code arch}, printing its lines (not the summary) to {@code out}.
     *
     * @param keepGoing run on after a failure ({@code pvm run --keep-going})
     * @return the counts, for the summary line
     */
    public static Summary run(Scenario scenario, Architecture arch, boolean keepGoing, Consumer<String> out) {
        return run(scenario, arch, keepGoing, KernelOptions.DEFAULT, out);
    }

    /** {@link #run(Scenario, Architecture, boolean, Consumer)} on a machine booted with kernel {@code options}. */
    public static Summary run(Scenario scenario, Architecture arch, boolean keepGoing, KernelOptions options, Consumer<String> out) {
        return run(scenario, arch, keepGoing, options, false, out);
    }

    /**
     * {@link #run(Scenario, Architecture, boolean, KernelOptions, Consumer)}, printing with
     * {@code json} one JSON object per statement (and per note such as a skip) instead of text.
     */
    public static Summary run(Scenario scenario, Architecture arch, boolean keepGoing, KernelOptions options, boolean json,
            Consumer<String> text) {
        return run(scenario, arch, keepGoing, options, json, Comments.NONE, text);
    }

    /**
     * {@link #run(Scenario, Architecture, boolean, KernelOptions, boolean, Consumer)} that prints each
     * block of {@code comments} before the statement it precedes ({@code pvm run --explain}).
     */
    public static Summary run(Scenario scenario, Architecture arch, boolean keepGoing, KernelOptions options, boolean json,
            Comments comments, Consumer<String> text) {
        return run(scenario, arch, keepGoing, false, options, json, comments, text);
    }

    /**
     * {@link #run(Scenario, Architecture, boolean, KernelOptions, boolean, Comments, Consumer)} that,
     * with {@code verifyEach}, runs every layer's invariant checker after every statement, as
     * {@code expect verify} does ({@code pvm run --verify-each}): the first statement after which
     * one fails is the scenario's failure, with the violations below it.
     */
    public static Summary run(Scenario scenario, Architecture arch, boolean keepGoing, boolean verifyEach, KernelOptions options,
            boolean json, Comments comments, Consumer<String> text) {
        Consumer<String> out = json ? note -> text.accept(Json.write(noteObject(scenario, arch.name(), note))) : text;
        int total = scenario.statements().size();
        Optional<String> skip = scenario.header().skipReason(arch.name(), Requirement.MMU.metBy(arch));
        if (skip.isPresent()) {
            out.accept("--- " + scenario.name() + " on " + arch.name() + ": skipped (" + skip.get() + ") ---");
            return new Summary(scenario.name(), arch.name(), 0, 0, total, skip);
        }
        var booted = MachineBooter.boot(arch, scenario.header().bootStatement(), options);
        if (booted.isLeft()) {
            out.accept("--- " + scenario.name() + " on " + arch.name() + " (" + scenario.path() + ") ---");
            StepResult failed = StepResult.fail("cannot boot: " + booted.getLeft());
            Optional<Line> boot = scenario.header().boot();
            failed.lines(boot.map(l -> Integer.toString(l.number())).orElse("-"), boot.map(Line::text).orElse("boot"))
                    .forEach(out);
            stopped(total, out);
            return new Summary(scenario.name(), arch.name(), 0, 1, total, Optional.empty());
        }
        Machine machine = booted.get();
        out.accept("--- " + scenario.name() + " on " + MachineBooter.describe(machine) + " (" + scenario.path() + ") ---");
        return run(scenario, new ScenarioRun(machine), keepGoing, verifyEach, json ? text : null, comments, out);
    }

    private static java.util.Map<String, Object> noteObject(Scenario scenario, String target, String note) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("scenario", scenario.name());
        m.put("target", target);
        m.put("note", note.strip());
        return m;
    }

    /** Runs the statements of {@code scenario} on a machine already booted for it. */
    static Summary run(Scenario scenario, ScenarioRun run, boolean keepGoing, boolean verifyEach, Consumer<String> out) {
        return run(scenario, run, keepGoing, verifyEach, null, Comments.NONE, out);
    }

    /** {@link #run(Scenario, ScenarioRun, boolean, boolean, Consumer)}; with {@code json} non-null, each statement's result goes there as JSON. */
    private static Summary run(Scenario scenario, ScenarioRun run, boolean keepGoing, boolean verifyEach, Consumer<String> json,
            Comments comments, Consumer<String> out) {
        String target = run.machine().architecture().name();
        List<Line> lines = scenario.statements();
        int passed = 0;
        int failed = 0;
        int previous = 0;
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            comments.between(previous, line.number()).forEach(out);
            previous = line.number();
            StepResult r = run.execute(line.statement());
            if (verifyEach) {
                r = verified(r, run);
            }
            if (json != null) {
                json.accept(r.json(scenario.name(), target, line));
            } else {
                r.lines(line).forEach(out);
            }
            if (r.passed()) {
                passed++;
                continue;
            }
            failed++;
            if (!keepGoing) {
                int notRun = lines.size() - i - 1;
                stopped(notRun, out);
                return new Summary(scenario.name(), run.machine().architecture().name(), passed, failed, notRun, Optional.empty());
            }
        }
        comments.after(previous).forEach(out);
        return new Summary(scenario.name(), run.machine().architecture().name(), passed, failed, 0, Optional.empty());
    }

    /**
     * {@code r}, failed when a checker finds a broken invariant after its statement: the
     * violations follow the statement's own details.
     */
    private static StepResult verified(StepResult r, ScenarioRun run) {
        StepResult check = run.execute(new Statement.ExpectVerify());
        if (check.passed()) {
            return r;
        }
        List<String> details = new java.util.ArrayList<>(r.details());
        details.addAll(check.details());
        String after = "--verify-each: " + check.result() + " after this statement";
        return new StepResult(false, r.passed() ? after + " (its result: " + r.result() + ")" : r.result() + "; " + after, details, null);
    }

    private static void stopped(int notRun, Consumer<String> out) {
        if (notRun > 0) {
            out.accept(String.format("       stopped at the first failure: %d statement%s not run (--keep-going runs them)",
                    notRun, notRun == 1 ? "" : "s"));
        }
    }
}
