package pvm.scenario;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.kernel.KernelRegion;
import pvm.kernel.KernelRegion.MemoryType;
import pvm.kernel.Machine;
import pvm.scenario.Token.Kind;
import pvm.vm.kmalloc.HeapSelfTest;
import pvm.vm.kmalloc.KmallocCalls;

/**
 * The {@code kernel} statements: the kernel's own allocations (kmalloc and its family, the heap
 * self-test) and its DMA and MMIO regions, run as the kernel would call them, so that a lesson can
 * show what they cost and that bad pointers change nothing (docs/scenario-language.md).
 *
 * <pre>
 * [$v =] kernel kmalloc N | kzalloc N | kcalloc N SIZE | krealloc ADDR N
 * kernel kfree ADDR
 * kernel selftest
 * [$v =] kernel dma SIZE [normal|uncached|io] | mmio PADDR SIZE [normal|uncached|io]
 * kernel unmap ADDR
 * [$v =] kernel phys ADDR
 * kernel regions
 * </pre>
 */
final class KernelStatements {

    /** One kernel operation, its numbers still {@link Expr}s. */
    sealed interface Op {
    }

    record Kmalloc(Expr size) implements Op {
    }

    record Kzalloc(Expr size) implements Op {
    }

    record Kcalloc(Expr count, Expr size) implements Op {
    }

    record Krealloc(Expr address, Expr size) implements Op {
    }

    record Kfree(Expr address) implements Op {
    }

    record SelfTest() implements Op {
    }

    record Dma(Expr size, MemoryType type) implements Op {
    }

    record Mmio(Expr physical, Expr size, MemoryType type) implements Op {
    }

    record Unmap(Expr address) implements Op {
    }

    record Phys(Expr address) implements Op {
    }

    record Regions() implements Op {
    }

    /** The words after {@code kernel}. */
    static final List<String> VERBS = List.of("kmalloc", "kzalloc", "kcalloc", "krealloc", "kfree", "selftest", "dma", "mmio", "unmap",
            "phys", "regions");

    /** The operations whose result is an address a variable can take. */
    static final List<String> ASSIGNABLE = List.of("kmalloc", "kzalloc", "kcalloc", "krealloc", "dma", "mmio", "phys");

    private static final String VERB = "a kernel operation (" + String.join(", ", VERBS) + ")";
    private static final String TYPE = "'normal', 'uncached' or 'io'";

    /** How the run evaluates an expression: {@code ScenarioRun.eval}. */
    interface Evaluator {
        long eval(Expr e, String what);
    }

    private final Machine machine;
    private final KmallocCalls calls;
    private final Map<String, Long> variables;

    KernelStatements(Machine machine, Map<String, Long> variables) {
        this.machine = machine;
        this.calls = new KmallocCalls(machine.kmalloc());
        this.variables = variables;
    }

    // ---- parsing ----

    /** Whether the tokens at the parser's cursor read {@code kernel VERB}. */
    static boolean at(StatementParser p) {
        return p.peek().isWord("kernel") && p.peek(1).is(Kind.WORD) && VERBS.contains(p.peek(1).text());
    }

    /** {@code kernel VERB ...}, the cursor on {@code kernel}; {@code variable} is the {@code $v =} before it. */
    static Statement parse(StatementParser p, Optional<String> variable) {
        p.next();
        Token verb = p.peek();
        if (!verb.is(Kind.WORD) || !VERBS.contains(verb.text())) {
            throw p.fail(verb, VERB);
        }
        if (variable.isPresent() && !ASSIGNABLE.contains(verb.text())) {
            throw p.fail(verb, "one of " + String.join(", ", ASSIGNABLE) + " (the kernel operations whose result can be assigned)");
        }
        p.next();
        Op op = switch (verb.text()) {
            case "kmalloc" -> new Kmalloc(size(p));
            case "kzalloc" -> new Kzalloc(size(p));
            case "kcalloc" -> new Kcalloc(p.expr("a number of elements"), p.expr("an element size in bytes"));
            case "krealloc" -> new Krealloc(address(p), size(p));
            case "kfree" -> new Kfree(address(p));
            case "selftest" -> new SelfTest();
            case "dma" -> new Dma(size(p), type(p, MemoryType.NORMAL));
            case "mmio" -> new Mmio(p.expr("a page-aligned physical address such as 0xb8000"), size(p), type(p, MemoryType.IO));
            case "unmap" -> new Unmap(address(p));
            case "phys" -> new Phys(address(p));
            default -> new Regions();
        };
        return new Statement.Kernel(variable, op);
    }

    private static Expr size(StatementParser p) {
        return p.expr("a size in bytes such as 100, 4K or 1P");
    }

    private static Expr address(StatementParser p) {
        return p.expr("a kernel address such as $k");
    }

    /** An optional memory type at the end of the statement. */
    private static MemoryType type(StatementParser p, MemoryType otherwise) {
        Token t = p.peek();
        if (t.is(Kind.WORD)) {
            Optional<MemoryType> type = MemoryType.named(t.text());
            if (type.isEmpty()) {
                throw p.fail(t, TYPE + " (a memory type)");
            }
            p.next();
            return type.get();
        }
        p.trailing(List.of(TYPE));
        return otherwise;
    }

    // ---- running ----

    /** Carries out a {@code kernel} statement. */
    Effect run(Statement.Kernel k, Evaluator ev) {
        return switch (k.op()) {
            case Kmalloc o -> address(k, calls.kmalloc(ev.eval(o.size(), "size")), "");
            case Kzalloc o -> address(k, calls.kzalloc(ev.eval(o.size(), "size")), ", zeroed");
            case Kcalloc o -> address(k, calls.kcalloc(ev.eval(o.count(), "count"), ev.eval(o.size(), "size")), ", zeroed");
            case Krealloc o -> krealloc(k, ev.eval(o.address(), "address"), ev.eval(o.size(), "size"));
            case Kfree o -> machine.kmalloc().kfree(ev.eval(o.address(), "address")).fold(Effect.Failed::new, ok -> new Effect.Done("ok"));
            case SelfTest o -> selfTest();
            case Dma o -> region(k, machine.regions().dma(ev.eval(o.size(), "size"), o.type()));
            case Mmio o -> region(k, machine.regions().mmio(ev.eval(o.physical(), "physical address"), ev.eval(o.size(), "size"), o.type()));
            case Unmap o -> machine.regions().unmap(ev.eval(o.address(), "address")).fold(Effect.Failed::new,
                    r -> new Effect.Done(String.format("%s of %s at 0x%08x unmapped", r.kind().word(), Sizes.human(r.size()), r.vaddr())));
            case Phys o -> phys(k, ev.eval(o.address(), "address"));
            case Regions o -> new Effect.Done("", regions());
        };
    }

    private Effect address(Statement.Kernel k, Either<VmError, Long> r, String note) {
        return r.fold(Effect.Failed::new, b -> {
            k.variable().ifPresent(v -> variables.put(v, b));
            return new Effect.Done(String.format("0x%08x, a block of %d bytes%s", b, machine.kmalloc().blockSize(b), note));
        });
    }

    private Effect krealloc(Statement.Kernel k, long p, long size) {
        return calls.krealloc(p, size).fold(Effect.Failed::new, b -> {
            k.variable().ifPresent(v -> variables.put(v, b));
            if (b == 0) {
                return new Effect.Done("0, the block freed");
            }
            return new Effect.Done(String.format("0x%08x, a block of %d bytes%s", b, machine.kmalloc().blockSize(b),
                    b == p ? ", in place" : ", moved from 0x" + String.format("%08x", p)));
        });
    }

    private Effect selfTest() {
        HeapSelfTest.Result r = new HeapSelfTest(machine.kmalloc()).run();
        if (!r.passed()) {
            throw new StepFailure("the heap self-test failed: " + r.summary(), r.failures());
        }
        return new Effect.Done(r.summary());
    }

    private Effect region(Statement.Kernel k, Either<VmError, KernelRegion> r) {
        return r.fold(Effect.Failed::new, region -> {
            k.variable().ifPresent(v -> variables.put(v, region.vaddr()));
            return new Effect.Done(describe(region));
        });
    }

    private Effect phys(Statement.Kernel k, long va) {
        PhysAddr pa = machine.kernelPmap().resolve(VirtAddr.of(va));
        if (pa.isNone()) {
            return new Effect.Failed(VmError.efault(String.format("kernel phys: nothing is mapped at 0x%08x in the kernel's address space", va)));
        }
        k.variable().ifPresent(v -> variables.put(v, pa.value()));
        return new Effect.Done(String.format("0x%08x", pa.value()));
    }

    /** {@code kernel regions}: one line per region. */
    private List<String> regions() {
        List<String> lines = new ArrayList<>();
        for (KernelRegion r : machine.regions().list()) {
            lines.add(describe(r));
        }
        if (lines.isEmpty()) {
            lines.add("(no DMA or MMIO region)");
        }
        return lines;
    }

    /** A region in one line: where, how big, what it maps, the type asked for and the type its page entry has. */
    private String describe(KernelRegion r) {
        return String.format("0x%08x-0x%08x %s %s of physical 0x%08x, %s (page entry: %s)", r.vaddr(), r.end(), r.kind().word(),
                Sizes.human(r.size()), r.paddr(), r.type().word(), machine.regions().hardwareType(r));
    }
}
