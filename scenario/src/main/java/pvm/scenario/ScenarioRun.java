package pvm.scenario;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.kernel.Accounting;
import pvm.kernel.Cpu;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.scenario.Statement.Check;
import pvm.scenario.Statement.CheckFile;
import pvm.scenario.Statement.Copy;
import pvm.scenario.Statement.CopyBetween;
import pvm.scenario.Statement.Exit;
import pvm.scenario.Statement.Expect;
import pvm.scenario.Statement.ExpectLoad;
import pvm.scenario.Statement.ExpectUnchanged;
import pvm.scenario.Statement.ExpectVerify;
import pvm.scenario.Statement.FileDecl;
import pvm.scenario.Statement.Fill;
import pvm.scenario.Statement.Fork;
import pvm.scenario.Statement.Load;
import pvm.scenario.Statement.Mark;
import pvm.scenario.Statement.Mmap;
import pvm.scenario.Statement.Mprotect;
import pvm.scenario.Statement.Munmap;
import pvm.scenario.Statement.Show;
import pvm.scenario.Statement.Spawn;
import pvm.scenario.Statement.Store;
import pvm.scenario.Statement.Vfork;

/**
 * The statements of one scenario run on one booted machine, with what they name: processes by
 * name, {@code $variables}, marks and files. Each statement runs to a {@link StepResult}; nothing
 * here stops or counts (the {@link Interpreter} and the {@link Session} do).
 */
public final class ScenarioRun {

    /** How many invariant violations {@code expect verify} prints. */
    static final int MAX_VIOLATIONS_SHOWN = 20;

    private final Machine machine;
    private final long pageSize;
    private final long addressLimit;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Set<String> exited = new HashSet<>();
    /** A waiting vfork parent's name to its child's. */
    private final Map<String, String> vforkChildOf = new HashMap<>();
    private final Map<String, Long> variables = new LinkedHashMap<>();
    private final Map<String, Accounting> marks = new LinkedHashMap<>();
    private final Map<String, DeclaredFile> files = new LinkedHashMap<>();
    private final ScenarioViews views;
    private final PurgeableStatements purgeable;
    private final KernelStatements kernel;

    public ScenarioRun(Machine machine) {
        this.machine = machine;
        this.pageSize = machine.pageSize();
        var layout = machine.architecture().layout();
        this.addressLimit = Math.max(layout.userEnd(), layout.kernelEnd());
        this.views = new ScenarioViews(machine, processes, vforkChildOf, variables);
        this.purgeable = new PurgeableStatements(this, machine, variables);
        this.kernel = new KernelStatements(machine, variables);
    }

    public Machine machine() {
        return machine;
    }

    /** Names of the processes alive now. */
    public Set<String> processNames() {
        return Collections.unmodifiableSet(new TreeSet<>(processes.keySet()));
    }

    /** The variables and their values. */
    public Map<String, Long> variables() {
        return Collections.unmodifiableMap(variables);
    }

    public Set<String> markNames() {
        return Collections.unmodifiableSet(new TreeSet<>(marks.keySet()));
    }

    public Set<String> fileNames() {
        return Collections.unmodifiableSet(new TreeSet<>(files.keySet()));
    }

    /**
     * Runs one statement (not a header statement). A kernel exception (a broken invariant) is
     * reported as the statement's failure rather than thrown, so the rest of a report survives.
     */
    public StepResult execute(Statement statement) {
        if (statement instanceof Statement.HeaderStatement) {
            throw new IllegalArgumentException("header statements configure the run; they are not executed: " + statement);
        }
        try {
            checkNotWaiting(statement);
            return switch (statement) {
                case Expect e -> expect(e);
                case ExpectLoad e -> expectLoad(e);
                case ExpectUnchanged e -> expectUnchanged(e);
                case ExpectVerify e -> expectVerify();
                case Show sh -> judge(effect(sh)).withData(views.json(sh.view(), viewProcess(sh), viewAddress(sh)));
                default -> judge(effect(statement));
            };
        } catch (StepFailure f) {
            return StepResult.fail(f.getMessage(), f.details());
        } catch (RuntimeException e) {
            List<String> trace = new ArrayList<>();
            StackTraceElement[] st = e.getStackTrace();
            for (int i = 0; i < Math.min(4, st.length); i++) {
                trace.add("at " + st[i]);
            }
            return StepResult.fail("the kernel threw " + e.getClass().getSimpleName() + ": " + e.getMessage(), trace);
        }
    }

    /** A statement outside {@code expect}: only success passes. */
    private static StepResult judge(Effect effect) {
        return switch (effect) {
            case Effect.Done d -> StepResult.pass(d.result(), d.details());
            case Effect.Failed f -> StepResult.fail(f.error().errno() + ": " + f.error().message());
            case Effect.Faulted f -> StepResult.fail(f.segv().outOfMemory() ? "out of memory at a fault (OOM), the process ends"
                    : "unresolved fault, the process gets SIGSEGV", List.of(f.segv().describe()));
        };
    }

    // ---- expectations ----

    private StepResult expect(Expect e) {
        Effect effect = effect(e.statement());
        String got = Effect.outcomeOf(effect);
        String wanted = e.outcome().text();
        if (!got.equals(wanted)) {
            return StepResult.fail("expected " + wanted + ", got " + Effect.describe(effect), Effect.details(effect));
        }
        return switch (effect) {
            case Effect.Done d -> StepResult.pass(d.result(), d.details());
            case Effect.Failed f -> StepResult.pass(f.error().errno() + " (" + f.error().message() + ")");
            case Effect.Faulted f -> StepResult.pass(got, List.of(f.segv().describe()));
        };
    }

    private StepResult expectLoad(ExpectLoad e) {
        Process p = process(e.process());
        long va = address(e.address(), e.width() / 8);
        long wanted = value(e.value(), e.width(), "the value expected");
        Cpu cpu = cpuOf(p);
        long got = cpu.loadRaw(p, e.width(), va);
        if (got < 0) {
            return StepResult.fail("expected " + hex(wanted) + ", got " + (cpu.lastSegv().outOfMemory() ? "OOM" : "SEGV"),
                    List.of(cpu.lastSegv().describe()));
        }
        if (got != wanted) {
            return StepResult.fail(String.format("loaded %s from 0x%08x, expected %s", hex(got), va, hex(wanted)));
        }
        return StepResult.pass(hex(got));
    }

    private StepResult expectUnchanged(ExpectUnchanged e) {
        Accounting before = marks.get(e.mark());
        if (before == null) {
            throw new StepFailure("no mark '" + e.mark() + "'" + known(" (marks: ", marks.keySet()));
        }
        Accounting now = machine.accounting();
        if (!now.equals(before)) {
            return StepResult.fail("accounting differs from mark '" + e.mark() + "': " + now.differencesFrom(before));
        }
        return StepResult.pass("unchanged since mark '" + e.mark() + "'");
    }

    private StepResult expectVerify() {
        List<String> violations = machine.verify();
        if (!violations.isEmpty()) {
            // One broken invariant tends to break many; the first ones say what went wrong.
            List<String> shown = new ArrayList<>(violations.subList(0, Math.min(MAX_VIOLATIONS_SHOWN, violations.size())));
            if (violations.size() > shown.size()) {
                shown.add("... and " + (violations.size() - shown.size()) + " more");
            }
            return StepResult.fail(violations.size() + " invariant violation" + (violations.size() == 1 ? "" : "s"), shown);
        }
        return StepResult.pass("every layer's invariants hold");
    }

    // ---- statements ----

    /** Carries out a statement and says what happened, without judging it. */
    private Effect effect(Statement s) {
        return switch (s) {
            case Spawn sp -> spawn(sp);
            case Fork f -> fork(f);
            case Vfork v -> vfork(v);
            case Exit x -> exit(x);
            case FileDecl f -> file(f);
            case Mmap m -> mmap(m);
            case Munmap m -> done(machine.munmap(process(m.process()), syscallAddress(m.address()),
                    Size.of(length(m.length()))), "ok");
            case Mprotect m -> done(machine.mprotect(process(m.process()), syscallAddress(m.address()),
                    Size.of(length(m.length())), m.prot()), "ok");
            case Statement.Sbrk b -> ProcessMemoryStatements.sbrk(machine, process(b.process()), eval(b.increment(), "increment"),
                    b.variable(), variables);
            case Statement.Brk b -> ProcessMemoryStatements.brk(machine, process(b.process()), syscallAddress(b.address()).value(),
                    b.variable(), variables);
            case Store st -> store(st);
            case Load l -> load(l);
            case Fill f -> fill(f);
            case Check c -> check(c);
            case CheckFile c -> checkFile(c);
            case Copy c -> copy(c);
            case CopyBetween c -> copyBetween(c);
            case Mark m -> mark(m);
            case Statement.Inject i -> Injection.apply(machine, i.after().map(n -> eval(n, "allocations to let through")), i.always());
            case Statement.Kernel k -> kernel.run(k, this::eval);
            case Show sh -> views.show(sh.view(), viewProcess(sh), viewAddress(sh));
            case Statement.Mem m -> views.mem(m);
            case Statement.Volatile v -> purgeable.makeVolatile(v);
            case Statement.Nonvolatile n -> purgeable.makeNonvolatile(n);
            case Statement.Purge x -> purgeable.purge();
            case Expect e -> throw new StepFailure("expect cannot be nested");
            case ExpectLoad e -> expectAsEffect(expectLoad(e));
            case ExpectUnchanged e -> expectAsEffect(expectUnchanged(e));
            case ExpectVerify e -> expectAsEffect(expectVerify());
            case Statement.HeaderStatement h -> throw new StepFailure("a header statement cannot be run here");
        };
    }

    /**
     * What a statement does, unjudged, for {@link Sweep}: an {@code expect}'s own statement, an
     * expected load as a load. Scenario errors are thrown as {@link StepFailure}.
     */
    Effect attempt(Statement s) {
        checkNotWaiting(s);
        return effect(switch (s) {
            case Expect e -> e.statement();
            case ExpectLoad e -> new Load(Optional.empty(), e.process(), e.width(), e.address());
            default -> s;
        });
    }

    private static Effect expectAsEffect(StepResult r) {
        if (!r.passed()) {
            throw new StepFailure(r.result(), r.details());
        }
        return new Effect.Done(r.result(), r.details());
    }

    private Effect spawn(Spawn s) {
        requireNew(s.process());
        var spawned = s.stack().isEmpty() && s.heap().isEmpty() ? machine.spawn(s.process())
                : machine.spawn(s.process(), optionalLength(s.stack()), optionalLength(s.heap()));
        return spawned.fold(Effect.Failed::new, p -> {
            register(p);
            return new Effect.Done("pid " + p.pid() + ProcessMemoryStatements.describe(machine, p, s.heap().isPresent()));
        });
    }

    private Effect fork(Fork f) {
        Process parent = process(f.parent());
        requireNew(f.child());
        return machine.fork(parent, f.child()).fold(Effect.Failed::new, p -> {
            register(p);
            return new Effect.Done("pid " + p.pid());
        });
    }

    private Effect vfork(Vfork v) {
        Process parent = process(v.parent());
        requireNew(v.child());
        return machine.vfork(parent, v.child()).fold(Effect.Failed::new, p -> {
            register(p);
            vforkChildOf.put(parent.name(), p.name());
            return new Effect.Done("pid " + p.pid() + ", " + parent.name() + " waits until it exits");
        });
    }

    private Effect exit(Exit x) {
        Process p = process(x.process());
        return machine.exit(p).fold(Effect.Failed::new, ok -> {
            processes.remove(p.name());
            ProcessMemoryStatements.forget(p.name(), variables);
            exited.add(p.name());
            vforkChildOf.values().remove(p.name());
            return new Effect.Done("ok");
        });
    }

    /**
     * {@code file F SIZE [fill BYTE | pattern]}: the file goes to the kernel's in-memory file server,
     * for {@code mmap ... file F}; its contents are also kept here, for {@code checkfile}.
     */
    private Effect file(FileDecl f) {
        if (files.containsKey(f.name())) {
            throw new StepFailure("file '" + f.name() + "' already exists");
        }
        long size = eval(f.size(), "file size");
        if (size < 0 || size > 2L << 30) { // a limit of the language: its bytes are made as read, never held
            throw new StepFailure("file size " + size + " is out of range (0 to 2 GiB)");
        }
        var contents = new DeclaredFile(size, f.fill().isPresent() ? java.util.OptionalInt.of((int) value(f.fill().get(), 8, "fill byte"))
                : java.util.OptionalInt.empty());
        return machine.createGeneratedFile(f.name(), size, contents).fold(Effect.Failed::new, ok -> {
            files.put(f.name(), contents);
            return new Effect.Done(pvm.hal.pmap.Sizes.human(size) + (f.fill().isPresent()
                    ? String.format(" of 0x%02x", contents.fill().getAsInt() & 0xff) : " of pattern"));
        });
    }

    private Effect mmap(Mmap m) {
        Process p = process(m.process());
        VirtAddr addr = syscallAddress(m.address());
        long length = length(m.length());
        int flags = m.flags() | (m.sharing() == Sharing.SHARED ? Scenario.MAP_SHARED_BIT : 0);
        String file = m.file().map(Statement.MappedFile::name).orElse(null);
        long offset = m.file().isPresent() ? eval(m.file().get().offset(), "file offset")
                : m.physical().isPresent() ? eval(m.physical().get(), "physical address") : 0;
        if (offset < 0) {
            throw new StepFailure((m.physical().isPresent() ? "physical address " : "file offset ") + offset + " is negative");
        }
        return machine.mmap(p, addr, Size.of(length), m.prot(), flags, file, offset)
                .fold(Effect.Failed::new, va -> {
                    m.variable().ifPresent(v -> variables.put(v, va.value()));
                    return new Effect.Done(String.format("0x%08x", va.value()));
                });
    }

    private Effect store(Store s) {
        Process p = process(s.process());
        long va = address(s.address(), s.width() / 8);
        long v = value(s.value(), s.width(), "value to store");
        Cpu cpu = cpuOf(p);
        return cpu.storeRaw(p, s.width(), va, v) ? new Effect.Done("ok") : new Effect.Faulted(cpu.lastSegv());
    }

    private Effect load(Load l) {
        Process p = process(l.process());
        long va = address(l.address(), l.width() / 8);
        Cpu cpu = cpuOf(p);
        long v = cpu.loadRaw(p, l.width(), va);
        if (v < 0) {
            return new Effect.Faulted(cpu.lastSegv());
        }
        l.variable().ifPresent(name -> variables.put(name, v));
        return new Effect.Done(hex(v));
    }

    /** As a user loop of one-byte stores would (the CPU moves a page at a time); the bytes before a fault stay written. */
    private Effect fill(Fill f) {
        Process p = process(f.process());
        long length = length(f.length());
        long va = address(f.address(), length);
        int b = (int) value(f.value(), 8, "fill byte");
        Cpu cpu = cpuOf(p);
        if (!cpu.fillRaw(p, va, length, b)) {
            return new Effect.Faulted(cpu.lastSegv());
        }
        return new Effect.Done(String.format("%d bytes of 0x%02x", length, b));
    }

    private Effect check(Check c) {
        Process p = process(c.process());
        long length = length(c.length());
        long va = address(c.address(), length);
        int b = (int) value(c.value(), 8, "expected byte");
        Cpu cpu = cpuOf(p);
        long matched = cpu.checkRaw(p, va, length, b);
        if (matched < 0) {
            return new Effect.Faulted(cpu.lastSegv());
        }
        if (matched < length) {
            throw new StepFailure(String.format("byte at 0x%08x is 0x%02x, expected 0x%02x (%d bytes matched)",
                    va + matched, cpu.loadRaw(p, 8, va + matched), b, matched));
        }
        return new Effect.Done(String.format("%d bytes of 0x%02x", length, b));
    }

    /** Compares with the file from {@code OFFSET}; bytes past the file's end read as 0, as a mapping past EOF does. */
    private Effect checkFile(CheckFile c) {
        Process p = process(c.process());
        long length = length(c.length());
        long va = address(c.address(), length);
        DeclaredFile contents = files.get(c.file());
        if (contents == null) {
            throw new StepFailure("no file '" + c.file() + "'" + known(" (files: ", files.keySet()));
        }
        long offset = eval(c.offset(), "file offset");
        if (offset < 0) {
            throw new StepFailure("file offset " + offset + " is negative");
        }
        Cpu cpu = cpuOf(p);
        // The bytes the file holds, then the zeros past its end.
        long inFile = Math.clamp(contents.size() - offset, 0, length);
        long matched = contents.compare(cpu, p, va, offset, inFile);
        if (matched == inFile && inFile < length) {
            long rest = cpu.checkRaw(p, va + inFile, length - inFile, 0);
            matched = rest < 0 ? rest : inFile + rest;
        }
        if (matched < 0) {
            return new Effect.Faulted(cpu.lastSegv());
        }
        if (matched < length) {
            long at = offset + matched;
            int want = contents.byteAt(at);
            throw new StepFailure(String.format("byte at 0x%08x is 0x%02x, file %s has 0x%02x at offset 0x%x (%d bytes matched)",
                    va + matched, cpu.loadRaw(p, 8, va + matched), c.file(), want, at, matched));
        }
        return new Effect.Done(String.format("%d bytes match %s from offset 0x%x", length, c.file(), offset));
    }

    /** As a user loop of one-byte loads and stores would, in increasing address order; the bytes before a fault stay copied. */
    private Effect copy(Copy c) {
        Process p = process(c.process());
        long length = length(c.length());
        long dst = address(c.destination(), length);
        long src = address(c.source(), length);
        Cpu cpu = cpuOf(p);
        if (!cpu.copyRaw(p, dst, p, src, length)) {
            return new Effect.Faulted(cpu.lastSegv());
        }
        return new Effect.Done(String.format("%d bytes from 0x%08x to 0x%08x", length, src, dst));
    }

    /**
     * A copy by the kernel between two address spaces, each reached with its owner's rights: a
     * fault it cannot resolve ends the copy with {@code EFAULT} (as a system call's copy to or from
     * user memory fails), not with a signal; the bytes before it stay copied.
     */
    private Effect copyBetween(CopyBetween c) {
        Process to = process(c.to());
        Process from = process(c.from());
        checkNotWaiting(from);
        long length = length(c.length());
        long dst = address(c.destination(), length);
        long src = address(c.source(), length);
        Cpu cpu = cpuOf(to);
        if (!cpu.copyRaw(to, dst, from, src, length)) {
            return new Effect.Failed(VmError.efault("the copy met a fault the kernel could not resolve: " + cpu.lastSegv().describe()));
        }
        return new Effect.Done(String.format("%d bytes from %s 0x%08x to %s 0x%08x", length, from.name(), src, to.name(), dst));
    }

    private Effect mark(Mark m) {
        Accounting a = machine.accounting();
        marks.put(m.name(), a);
        return new Effect.Done(String.format("free %s, kmalloc %d bytes, %d map entries, %d objects",
                pvm.hal.pmap.Sizes.human(a.freeBytes()), a.kmallocBytes(), a.mapEntries(), a.objects()));
    }

    /** What a {@code show} names: its process (or null) and, for a walk, its address (or 0). */
    private Process viewProcess(Show s) {
        return s.process().map(this::process).orElse(null);
    }

    private long viewAddress(Show s) {
        return s.address().map(a -> address(a, 0)).orElse(0L);
    }

    // ---- names, values, checks ----

    private void register(Process p) {
        processes.put(p.name(), p);
        ProcessMemoryStatements.nameStack(p, variables);
        exited.remove(p.name());
    }

    private void requireNew(String name) {
        if (processes.containsKey(name)) {
            throw new StepFailure("a process called '" + name + "' already exists");
        }
    }

    Process process(String name) {
        Process p = processes.get(name);
        if (p == null) {
            throw new StepFailure(exited.contains(name) ? "process '" + name + "' has exited"
                    : "no process '" + name + "' (spawn it first)" + known("; processes: ", processes.keySet()));
        }
        return p;
    }

    /** docs/scenario-language.md: a vfork parent waits, so a statement for it before its child's exit is an error. */
    private void checkNotWaiting(Statement s) {
        Optional<String> actor = s.actor();
        if (actor.isEmpty()) {
            return;
        }
        Process p = processes.get(actor.get());
        if (p != null) {
            checkNotWaiting(p);
        }
    }

    private void checkNotWaiting(Process p) {
        if (p.isWaiting()) {
            String child = vforkChildOf.getOrDefault(p.name(), "its vforked child");
            throw new StepFailure(p.name() + " waits for its vforked child " + child
                    + " (as on Phoenix); nothing may name it before 'exit " + child + "'");
        }
    }

    private Cpu cpuOf(Process p) {
        // Processes are spread over the CPUs by pid, so that with cpus=N a change made on one CPU
        // must reach the others' TLBs.
        return machine.cpu(Math.floorMod(p.pid() - 1, machine.cpuCount()));
    }

    private long eval(Expr e, String what) {
        return e.evaluate(pageSize, variables).getOrElseThrow(message -> new StepFailure(what + ": " + message));
    }

    /** An address whose {@code span} bytes lie within the target's address space. */
    private long address(Expr e, long span) {
        long va = eval(e, "address");
        if (va < 0 || va >= addressLimit || addressLimit - va < span) {
            throw new StepFailure(String.format("address %s (%d) lies outside %s's address space (0 to 0x%x)",
                    e.text(), va, machine.architecture().name(), addressLimit - 1));
        }
        return va;
    }

    /** An address for a system call, which judges its range itself (and says so with an errno). */
    VirtAddr syscallAddress(Expr e) {
        long va = eval(e, "address");
        if (va < 0) {
            throw new StepFailure("address " + e.text() + " is negative (" + va + ")");
        }
        return VirtAddr.of(va);
    }

    private java.util.OptionalLong optionalLength(Optional<Expr> e) {
        return e.isPresent() ? java.util.OptionalLong.of(length(e.get())) : java.util.OptionalLong.empty();
    }

    long length(Expr e) {
        long n = eval(e, "length");
        if (n < 0) {
            throw new StepFailure("length " + e.text() + " is negative (" + n + ")");
        }
        return n;
    }

    private long value(Expr e, int width, String what) {
        long v = eval(e, what);
        long max = (1L << width) - 1;
        if (v < 0 || v > max) {
            throw new StepFailure(String.format("%s %s = %d does not fit in %d bits (0 to 0x%x)", what, e.text(), v, width, max));
        }
        return v;
    }

    private static Effect done(Either<VmError, ?> r, String result) {
        return r.fold(Effect.Failed::new, ok -> new Effect.Done(result));
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String known(String prefix, Set<String> names) {
        return names.isEmpty() ? "" : prefix + String.join(", ", names) + (prefix.contains("(") ? ")" : "");
    }
}
