package pvm.scenario;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.VmError;
import pvm.kernel.Accounting;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;
import pvm.vm.page.AllocationFailures;

/**
 * {@code pvm sweep}: SQLite's discipline on a scenario. A first run counts the allocations each
 * statement makes; then, for every statement and every one of its allocations, a fresh machine
 * replays the statements before it, the allocation is failed ({@link AllocationFailures#failAfter})
 * and the statement must take its out-of-memory path cleanly:
 *
 * <ul>
 *   <li>it fails with {@code ENOMEM} (or {@code EIO} from a backing-store read), or, a fault, the
 *       fault ends in {@code OOM} (the fault path's {@code ENOMEM}); or it succeeds anyway, having
 *       done without the allocation (then the accounting must be the one of the run without
 *       injection, up to the page tables it kept: done differently, it may need others);</li>
 *   <li>the accounting equals what it was before the statement ({@code mark} / {@code expect
 *       unchanged}); otherwise the point <em>leaked</em>;</li>
 *   <li>every layer's checker passes, and the same statement, run again without injection, gives
 *       what it gave without injection; otherwise the point is <em>broken</em> (so is a kernel
 *       exception).</li>
 * </ul>
 *
 * Statements run while the scenario's own {@code inject} is armed are not swept.
 */
public final class Sweep {

    /** How a failed allocation left the machine. */
    public enum Verdict { CLEAN, LEAKED, BROKEN }

    /**
     * One allocation point that did not come out clean.
     *
     * @param line the statement
     * @param allocation which of its allocations failed (0 for the first)
     */
    public record Finding(Line line, long allocation, Verdict verdict, String why) {

        /** {@code line 7 (allocation 2 of p mmap ...): leaked: free bytes ...}. */
        public String text() {
            return String.format("line %d, allocation %d of '%s': %s: %s", line.number(), allocation, line.text(),
                    verdict.name().toLowerCase(java.util.Locale.ROOT), why);
        }
    }

    /**
     * A scenario's sweep on one target.
     *
     * @param points allocation points swept (one per allocation of each statement)
     * @param skipped why the target does not run the scenario ({@code requires}, {@code target})
     * @param error why the sweep could not run every statement (a boot that fails, a statement that
     *     fails without injection); the points before it were swept
     * @param perStatement the allocation points of each statement swept, in order
     */
    public record Result(String scenario, String target, long points, long clean, long leaked, long broken,
            List<Finding> findings, Optional<String> skipped, Optional<String> error, List<Long> perStatement) {

        public Result {
            findings = List.copyOf(findings);
            perStatement = List.copyOf(perStatement);
        }

        /** {@code sweep NAME on TARGET: N allocation points, N clean, N leaked, N broken}. */
        public String summary() {
            if (skipped.isPresent()) {
                return String.format("sweep %s on %s: skipped (%s)", scenario, target, skipped.get());
            }
            return String.format("sweep %s on %s: %d allocation points, %d clean, %d leaked, %d broken", scenario, target,
                    points, clean, leaked, broken);
        }

        /** Nothing leaked, nothing broken, and every statement could be swept. */
        public boolean ok() {
            return leaked == 0 && broken == 0 && error.isEmpty();
        }
    }

    /** What the run without injection gave for one statement, and the pages kept after it ({@link #keptPages}). */
    private record Reference(long allocations, String outcome, Accounting after, long keptAfter) {
    }

    private final Scenario scenario;
    private final Architecture arch;
    private final KernelOptions options;

    private Sweep(Scenario scenario, Architecture arch, KernelOptions options) {
        this.scenario = scenario;
        this.arch = arch;
        this.options = options;
    }

    /**
     * Sweeps every allocation of every statement of {@code scenario} on {@code arch}; each point that
     * is not clean goes to {@code findings} as soon as it is known.
     */
    public static Result run(Scenario scenario, Architecture arch, KernelOptions options, Consumer<Finding> findings) {
        return new Sweep(scenario, arch, options).sweep(findings);
    }

    private Result sweep(Consumer<Finding> report) {
        Optional<String> skip = scenario.header().skipReason(arch.name(), Requirement.MMU.metBy(arch));
        if (skip.isPresent()) {
            return new Result(scenario.name(), arch.name(), 0, 0, 0, 0, List.of(), skip, Optional.empty(), List.of());
        }
        List<Reference> references = new ArrayList<>();
        Optional<String> error = reference(references);
        long points = 0;
        long clean = 0;
        long leaked = 0;
        long broken = 0;
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            for (long k = 0; k < references.get(i).allocations(); k++) {
                points++;
                Finding f = point(i, k, references.get(i));
                switch (f.verdict()) {
                    case CLEAN -> clean++;
                    case LEAKED -> leaked++;
                    case BROKEN -> broken++;
                }
                if (f.verdict() != Verdict.CLEAN) {
                    findings.add(f);
                    report.accept(f);
                }
            }
        }
        return new Result(scenario.name(), arch.name(), points, clean, leaked, broken, findings, Optional.empty(), error,
                references.stream().map(Reference::allocations).toList());
    }

    /**
     * The run without injection: how many allocations each statement makes, its outcome and the
     * accounting after it. Stops at the first statement that fails (and says so).
     */
    private Optional<String> reference(List<Reference> references) {
        Either<String, ScenarioRun> booted = boot();
        if (booted.isLeft()) {
            return Optional.of("cannot boot: " + booted.getLeft());
        }
        ScenarioRun run = booted.get();
        AllocationFailures failures = run.machine().failures();
        for (Line line : scenario.statements()) {
            Statement s = line.statement();
            boolean scenarioInjects = failures.armed() || s instanceof Statement.Inject;
            if (!scenarioInjects) {
                failures.count();
            }
            StepResult r = run.execute(s);
            long allocations = scenarioInjects ? 0 : failures.consulted();
            if (!scenarioInjects) {
                failures.off();
            }
            if (!r.passed()) {
                return Optional.of(String.format("line %d fails without injection: %s", line.number(), r.result()));
            }
            String outcome = s instanceof Statement.Expect e ? e.outcome().text() : "ok";
            references.add(new Reference(allocations, outcome, run.machine().accounting(), keptPages(run.machine())));
        }
        return Optional.empty();
    }

    /** Fails allocation {@code k} of statement {@code i} on a fresh machine, and judges what is left. */
    private Finding point(int i, long k, Reference reference) {
        Line line = scenario.statements().get(i);
        Either<String, ScenarioRun> replayed = replay(i);
        if (replayed.isLeft()) {
            return new Finding(line, k, Verdict.BROKEN, replayed.getLeft());
        }
        ScenarioRun run = replayed.get();
        Machine machine = run.machine();
        AllocationFailures failures = machine.failures();
        Accounting mark = machine.accounting();
        long tablesBefore = keptPages(machine);
        long injectedBefore = failures.injected();
        failures.failAfter((int) k);
        Either<String, Effect> attempt = attempt(run, line.statement());
        boolean fired = failures.injected() > injectedBefore;
        failures.off();
        if (attempt.isLeft()) {
            return new Finding(line, k, Verdict.BROKEN, attempt.getLeft());
        }
        Effect effect = attempt.get();
        List<String> violations = machine.verify();
        if (!violations.isEmpty()) {
            return broken(line, k, effect, "then " + violations.size() + " invariant violation(s): " + violations.getFirst());
        }
        if (effect instanceof Effect.Done) {
            // Done without the allocation (or never reached it): only the accounting can tell a leak.
            // Done differently, it may keep other page tables: the heap self-test skips a class it
            // cannot have, which leaves room in the kernel map for a larger one.
            Accounting now = machine.accounting();
            long kept = keptPages(machine) - reference.keptAfter();
            return now.equals(reference.after()) || differsInKeptPagesOnly(reference.after(), now, kept, machine.pageSize())
                    ? new Finding(line, k, Verdict.CLEAN, "succeeded without the allocation")
                    : new Finding(line, k, Verdict.LEAKED, "succeeded without the allocation, but the accounting differs from the run "
                            + "without injection: " + now.differencesFrom(reference.after()));
        }
        if (!fired) {
            return broken(line, k, effect, "failed although no allocation was failed");
        }
        if (!outOfMemory(effect)) {
            return broken(line, k, effect, "the failed allocation is not reported as out of memory");
        }
        Accounting now = machine.accounting();
        if (!loop(line.statement()) && !now.equals(mark) && !onlyKeptPages(machine, mark, now, tablesBefore)) {
            return new Finding(line, k, Verdict.LEAKED, Effect.describe(effect) + ", and the accounting differs from before it: "
                    + now.differencesFrom(mark));
        }
        return retry(run, line, k, reference);
    }

    /** The same statement without injection must do what it did in the run without injection. */
    private Finding retry(ScenarioRun run, Line line, long k, Reference reference) {
        Either<String, Effect> again = attempt(run, line.statement());
        if (again.isLeft()) {
            return new Finding(line, k, Verdict.BROKEN, "run again: " + again.getLeft());
        }
        String outcome = Effect.outcomeOf(again.get());
        if (!outcome.equals(reference.outcome())) {
            return new Finding(line, k, Verdict.BROKEN, "run again, it gives " + Effect.describe(again.get()) + " instead of "
                    + reference.outcome());
        }
        List<String> violations = run.machine().verify();
        if (!violations.isEmpty()) {
            return new Finding(line, k, Verdict.BROKEN, "run again, then " + violations.size() + " invariant violation(s): "
                    + violations.getFirst());
        }
        Accounting now = run.machine().accounting();
        if (!now.equals(reference.after())) {
            return new Finding(line, k, Verdict.LEAKED, "run again, the accounting differs from the run without injection: "
                    + now.differencesFrom(reference.after()));
        }
        return new Finding(line, k, Verdict.CLEAN, "out of memory, nothing changed");
    }

    /**
     * Whether all that differs is pages kept for everyone's later use, as Phoenix keeps them: page
     * tables ({@code _page_map} keeps the levels it could allocate before the one it could not; they
     * go with the address space) and pages fetched into a file's memory object (its page cache,
     * which the next fault of any process uses; they go with the object).
     */
    private static boolean onlyKeptPages(Machine machine, Accounting mark, Accounting now, long tablesBefore) {
        long tables = keptPages(machine) - tablesBefore;
        return tables > 0 && differsInKeptPagesOnly(mark, now, tables, machine.pageSize());
    }

    /** Whether {@code now} differs from {@code was} only in {@code kept} more kept pages (fewer when negative). */
    private static boolean differsInKeptPagesOnly(Accounting was, Accounting now, long kept, long pageSize) {
        return now.kmallocBytes() == was.kmallocBytes() && now.mapEntries() == was.mapEntries() && now.objects() == was.objects()
                && was.freeBytes() - now.freeBytes() == kept * pageSize;
    }

    /**
     * Pages allocated as page tables ({@code PAGE_OWNER_KERNEL | PAGE_KERNEL_PTABLE}, a heap page's
     * earlier owner's and use's bits ORed in when the frame held something else before), and pages in objects' caches.
     */
    private static long keptPages(Machine machine) {
        PageFrames frames = machine.pages().frames();
        long n = 0;
        for (var o : machine.pager().objects()) {
            n += o.isContiguous() ? 0 : o.residentPages();
        }
        for (int f = 0; f < frames.count(); f++) {
            int flags = frames.flags(f);
            // Bits, not values: _page_alloc ORs a page's new flags into its old ones, so a page
            // table on a page an app had shows both owners (the HAL's checkers read it the same way).
            if (!frames.isFree(f) && (PageFlags.owner(flags) & PageFlags.OWNER_KERNEL) != 0 && PageFlags.isPageTable(flags)) {
                n++;
            }
        }
        return n;
    }

    /**
     * A loop of user accesses over a range: the accesses before the one whose fault failed stay
     * done (pages they faulted in included), as a user loop's would, so only the retry's
     * accounting can tell a leak.
     */
    private static boolean loop(Statement s) {
        Statement action = s instanceof Statement.Expect e ? e.statement() : s;
        return action instanceof Statement.Fill || action instanceof Statement.Check || action instanceof Statement.CheckFile
                || action instanceof Statement.Copy || action instanceof Statement.CopyBetween;
    }

    private static Finding broken(Line line, long k, Effect effect, String why) {
        return new Finding(line, k, Verdict.BROKEN, Effect.describe(effect) + "; " + why);
    }

    /** An errno of the out-of-memory paths, or a fault the kernel could find no page for (the outcome {@code OOM}). */
    private static boolean outOfMemory(Effect effect) {
        return switch (effect) {
            case Effect.Failed f -> f.error() instanceof VmError.ENOMEM || f.error() instanceof VmError.EIO;
            case Effect.Faulted f -> f.segv().outOfMemory();
            case Effect.Done d -> true;
        };
    }

    /** The statement's effect, or why it could not run (a scenario error, a kernel exception). */
    private static Either<String, Effect> attempt(ScenarioRun run, Statement s) {
        try {
            return Either.right(run.attempt(s));
        } catch (StepFailure f) {
            return Either.left("the statement failed: " + f.getMessage());
        } catch (RuntimeException e) {
            return Either.left("the kernel threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A fresh machine that has run the statements before {@code i}. */
    private Either<String, ScenarioRun> replay(int i) {
        Either<String, ScenarioRun> booted = boot();
        if (booted.isLeft()) {
            return booted;
        }
        ScenarioRun run = booted.get();
        for (Line line : scenario.statements().subList(0, i)) {
            StepResult r = run.execute(line.statement());
            if (!r.passed()) {
                return Either.left(String.format("the replay failed at line %d: %s", line.number(), r.result()));
            }
        }
        return Either.right(run);
    }

    private Either<String, ScenarioRun> boot() {
        return MachineBooter.boot(arch, scenario.header().bootStatement(), options).map(ScenarioRun::new);
    }
}
