package pvm.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import pvm.hal.pmap.Architecture;
import pvm.kernel.KernelOptions;
import pvm.kernel.Machine;

/**
 * The scenario language one statement at a time, on one machine, for the interactive shell.
 * Header statements work as in a file and only before the first other statement: {@code boot}
 * boots the machine; {@code requires} and {@code target} check the target and, when it does not
 * qualify, skip the session as {@code pvm run} skips the scenario: no later statement runs. Without
 * a {@code boot} the target's default machine boots when the first other statement arrives.
 *
 * <p>Not thread-safe: one shell drives one session.
 */
public final class Session {

    private final Architecture architecture;
    private final String source;
    private final KernelOptions options;
    private Machine machine;
    private ScenarioRun run;
    private int lineNumber;
    private int firstBodyLine;
    private final Map<Class<?>, Integer> headersSeen = new LinkedHashMap<>();
    private boolean lastFailed;
    private String skipped;
    private boolean echo = true;

    /** A session on {@code architecture}; the machine boots with the first statement that needs it. */
    public Session(Architecture architecture) {
        this(architecture, "shell");
    }

    /**
     * A session whose parse errors name {@code source} as their file.
     *
     * @param source what the errors call the input, as in {@code shell:3:7: expected ...}
     */
    public Session(Architecture architecture, String source) {
        this(architecture, source, KernelOptions.DEFAULT);
    }

    /** A session whose machine boots with kernel {@code options} (the command line's policies, say). */
    public Session(Architecture architecture, String source, KernelOptions options) {
        this.architecture = architecture;
        this.source = source;
        this.options = options;
    }

    /** A session on a machine already booted; a {@code boot} statement is then an error. */
    public static Session on(Machine machine) {
        Session s = new Session(machine.architecture());
        s.attach(machine);
        return s;
    }

    /**
     * Runs one line and returns what it prints: the statement with its result and any lines
     * below it, a parse error as {@code shell:LINE:COLUMN: expected ..., found ...}, or nothing for
     * a blank or comment line. {@link #lastFailed()} says whether it failed.
     */
    public List<String> execute(String text) {
        lineNumber++;
        lastFailed = false;
        if (lineNumber == 1 && !text.isEmpty() && text.charAt(0) == TextFile.BYTE_ORDER_MARK) {
            text = text.substring(1); // as a file's is: an editor's mark, not a token
        }
        var parsed = ScenarioParser.parseLine(source, lineNumber, text);
        if (parsed.isLeft()) {
            lastFailed = true;
            return List.of(parsed.getLeft().text());
        }
        if (parsed.get().isEmpty()) {
            return List.of();
        }
        Line line = parsed.get().get();
        StepResult result;
        if (skipped != null) {
            result = StepResult.pass("not run: skipped on " + architecture.name() + " (" + skipped + ")");
        } else if (line.statement() instanceof Statement.HeaderStatement h) {
            if (firstBodyLine > 0) {
                lastFailed = true;
                return List.of(ScenarioParser.misplacedHeader(source, text, lineNumber, firstBodyLine).text());
            }
            result = header(h);
        } else {
            if (firstBodyLine == 0) {
                firstBodyLine = lineNumber;
            }
            result = ensureBooted().map(StepResult::fail).orElseGet(() -> run.execute(line.statement()));
        }
        lastFailed = !result.passed();
        return echo ? result.lines(line) : result.resultLines();
    }

    /** Why the session is skipped (a {@code requires} or {@code target} the target does not meet), or empty. */
    public Optional<String> skipped() {
        return Optional.ofNullable(skipped);
    }

    /** Whether the last line run failed (a parse error, a failed statement or expectation). */
    public boolean lastFailed() {
        return lastFailed;
    }

    public Architecture architecture() {
        return architecture;
    }

    /** The machine, once booted. */
    public Optional<Machine> machine() {
        return Optional.ofNullable(machine);
    }

    /** The names and values statements can refer to, for completion. */
    public Set<String> processNames() {
        return run == null ? Set.of() : run.processNames();
    }

    public Map<String, Long> variables() {
        return run == null ? Map.of() : run.variables();
    }

    public Set<String> markNames() {
        return run == null ? Set.of() : run.markNames();
    }

    public Set<String> fileNames() {
        return run == null ? Set.of() : run.fileNames();
    }

    /** Every keyword and fixed word of the language, sorted, for completion. */
    public static Set<String> words() {
        Set<String> w = new TreeSet<>(Vocabulary.STATEMENT_KEYWORDS);
        w.addAll(Vocabulary.OPERATIONS);
        w.addAll(Vocabulary.FLAGS.keySet());
        w.addAll(Vocabulary.ERRNOS);
        for (View v : View.values()) {
            w.add(v.keyword());
        }
        w.addAll(List.of("mmu", "nommu", "ram", "cpus", "pattern", "verify", "unchanged", "none", "ok", "SEGV"));
        w.addAll(KernelStatements.VERBS);
        w.addAll(List.of("normal", "uncached", "io"));
        return Collections.unmodifiableSet(w);
    }

    /** The words that begin a statement of their own ({@code spawn}, {@code show}, ...), for completion. */
    public static List<String> statementKeywords() {
        return Vocabulary.STATEMENT_KEYWORDS;
    }

    /** The operations a process performs ({@code mmap}, {@code store}, ...), for completion. */
    public static List<String> operations() {
        return Vocabulary.OPERATIONS;
    }

    /** The mmap flag words, for completion. */
    public static List<String> flags() {
        return List.copyOf(Vocabulary.FLAGS.keySet());
    }

    /** The outcomes {@code expect ... ->} takes: {@code ok}, {@code SEGV} and the errno names. */
    public static List<String> outcomes() {
        List<String> o = new ArrayList<>(List.of("ok", "SEGV"));
        o.addAll(Vocabulary.ERRNOS);
        return o;
    }

    /**
     * Whether a statement's line is echoed in front of its result (a transcript, the default) or
     * left out, as an interactive shell wants, whose terminal shows the line as typed already.
     */
    public void echo(boolean on) {
        this.echo = on;
    }

    private StepResult header(Statement.HeaderStatement h) {
        Integer first = headersSeen.get(h.getClass());
        if (first != null) {
            return StepResult.fail("'" + ScenarioParser.keyword(h) + "' was already given on line " + first);
        }
        StepResult r = switch (h) {
            case Statement.Requires req -> skipUnlessMet(new Header(Optional.of(req.requirement()), Optional.empty(), Optional.empty(), List.of()));
            case Statement.Target t -> skipUnlessMet(new Header(Optional.empty(), Optional.of(t.name()), Optional.empty(), List.of()));
            case Statement.Boot b -> boot(b);
        };
        if (r.passed()) {
            headersSeen.put(h.getClass(), lineNumber);
        }
        return r;
    }

    /** {@code ok}, or the session skipped from here on, as {@code pvm run} skips a scenario on a target its header rules out. */
    private StepResult skipUnlessMet(Header header) {
        Optional<String> why = header.skipReason(architecture.name(), Requirement.MMU.metBy(architecture));
        if (why.isEmpty()) {
            return StepResult.pass("ok");
        }
        skipped = why.get();
        return StepResult.pass("skipped on " + architecture.name() + " (" + skipped + "): no later statement runs, as pvm run skips the scenario");
    }

    private StepResult boot(Statement.Boot b) {
        if (machine != null) {
            return StepResult.fail("the machine is already booted (" + MachineBooter.describe(machine) + ")");
        }
        var booted = MachineBooter.boot(architecture, b, options);
        if (booted.isLeft()) {
            return StepResult.fail("cannot boot: " + booted.getLeft());
        }
        attach(booted.get());
        return StepResult.pass("booted " + MachineBooter.describe(machine));
    }

    /**
     * Boots the target's default machine if none is booted yet (as the first statement after the
     * header would); the reason it could not, or empty. For tools that look at the machine before
     * the first statement runs, such as the explorer's first step.
     */
    public Optional<String> ensureBooted() {
        if (machine != null) {
            return Optional.empty();
        }
        var booted = MachineBooter.boot(architecture, Statement.Boot.DEFAULT, options);
        if (booted.isLeft()) {
            return Optional.of("cannot boot the default machine: " + booted.getLeft());
        }
        attach(booted.get());
        return Optional.empty();
    }

    private void attach(Machine m) {
        this.machine = m;
        this.run = new ScenarioRun(m);
    }

    @Override
    public String toString() {
        List<String> s = new ArrayList<>();
        s.add(architecture.name());
        machine().ifPresent(m -> s.add(MachineBooter.describe(m)));
        return "Session" + s;
    }
}
