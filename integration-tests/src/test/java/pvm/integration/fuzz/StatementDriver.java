package pvm.integration.fuzz;

import static pvm.integration.fuzz.Transcript.hex;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.integration.fuzz.ReferenceModel.Cell;
import pvm.integration.fuzz.ReferenceModel.Kind;
import pvm.integration.fuzz.ReferenceModel.Page;
import pvm.kernel.Accounting;
import pvm.kernel.Cpu;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.scenario.Scenario;

/**
 * A random sequence of statements (spawn, fork, vfork, exit, mmap of anonymous memory and of
 * files private and shared, munmap, mprotect, loads, stores, fills, compares) on one machine,
 * through the kernel's API, each checked against a {@link ReferenceModel}:
 * <ul>
 *   <li>every byte a process reads is the byte it or a sharer last wrote, so nothing another
 *       process wrote is ever seen, and new anonymous memory reads as zeros;</li>
 *   <li>an access the mapping permits succeeds (or fails for want of memory only), one it does not
 *       permit faults (with an MMU), and a faulting store changes nothing;</li>
 *   <li>mmap hands out whole pages that no live mapping holds;</li>
 *   <li>whenever the last process has exited the accounting is back at its mark, and every
 *       checker passes after every exit and at the end.</li>
 * </ul>
 * A broken property, or an exception out of the kernel, is a finding: the driver writes the
 * {@link Transcript} of the run as a scenario that replays it ({@code bin/pvm run --arch TARGET
 * FILE}) and throws.
 */
final class StatementDriver {

    /** Runs, statements and faults refused for want of memory, over every driver in this JVM (a campaign's figures). */
    static final AtomicLong RUNS = new AtomicLong();
    static final AtomicLong STATEMENTS = new AtomicLong();
    static final AtomicLong OUT_OF_MEMORY = new AtomicLong();

    private static final int MAX_PROCESSES = 4;
    private static final int MAX_STATEMENTS = 300;
    private static final int[] PROTS = {Prot.NONE, Prot.READ, Prot.WRITE, Prot.READ | Prot.WRITE,
        Prot.READ | Prot.EXEC, Prot.READ | Prot.WRITE | Prot.EXEC};
    private static final String PRIVATE_FILE = "fp";
    private static final String SHARED_FILE = "fs";
    private static final int FILE_PAGES = 4;

    /** Whether an access must succeed, may go either way, or must fault. */
    private enum Verdict { MUST, MAY, MUST_NOT }

    private final Choices choose;
    private final String target;
    private final boolean mmu;
    private final Machine machine;
    private final int page;
    private final ReferenceModel model;
    private final Transcript transcript = new Transcript();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private Accounting mark;
    private int nextName = 1;
    private long lastMapped;
    /** The statement being run, for the reproducer when the kernel throws. */
    private String pending;

    private StatementDriver(Architecture arch, Choices choose) {
        this.choose = choose;
        this.target = arch.name();
        this.mmu = arch.hasMmu();
        long ram = mmu ? 8L << 20 : 2L << 20;
        this.machine = Machine.boot(arch, new MachineConfig(ram, 2), line -> { })
                .getOrElseThrow(e -> new IllegalStateException("cannot boot " + target + ": " + e.message()));
        this.page = machine.pageSize();
        this.model = new ReferenceModel(page);
        transcript.add("# a statement sequence of the fuzz driver, checked against its reference model");
        transcript.add("target " + target);
        transcript.add("boot ram=%dM cpus=2", ram >> 20);
    }

    /** Runs the statements {@code choose} picks on a new machine of {@code arch}; throws at the first finding. */
    static void run(Architecture arch, Choices choose) {
        new StatementDriver(arch, choose).run();
    }

    private void run() {
        RUNS.incrementAndGet();
        try {
            createFile(PRIVATE_FILE, false);
            createFile(SHARED_FILE, true);
            mark = machine.accounting();
            transcript.add("mark start");
            for (int n = 0; n < MAX_STATEMENTS && choose.more(); n++) {
                step();
                STATEMENTS.incrementAndGet();
            }
            while (!processes.isEmpty()) {
                exit(ready().getFirst());
            }
        } catch (Finding f) {
            throw f;
        } catch (RuntimeException | StackOverflowError e) {
            transcript.add(pending + "   # threw " + e.toString().lines().findFirst().orElse(""));
            System.err.println("fuzz finding on " + target + ": " + e + "\n  reproducer: " + save(e.getClass().getSimpleName()));
            throw e;
        }
    }

    private void step() {
        List<Process> ready = ready();
        if (ready.isEmpty()) {
            spawn();
            return;
        }
        Process p = choose.oneOf(ready);
        int op = choose.below(100);
        if (op < 5) {
            spawn();
        } else if (op < 13) {
            child(p, op >= 11);
        } else if (op < 17) {
            exit(p);
        } else if (op < 35) {
            mmap(p);
        } else if (op < 42) {
            munmap(p);
        } else if (op < 49) {
            mprotect(p);
        } else if (op < 69) {
            store(p);
        } else if (op < 89) {
            load(p);
        } else if (op < 94) {
            fill(p);
        } else if (op < 98) {
            compare(p);
        } else {
            verify();
        }
    }

    // ---- processes -----------------------------------------------------------------------------

    private void spawn() {
        if (processes.size() >= MAX_PROCESSES) {
            return;
        }
        String name = "p" + nextName++;
        pending = "spawn " + name;
        var r = machine.spawn(name);
        if (r.isLeft()) {
            failed("spawn " + name, r.getLeft());
            return;
        }
        processes.put(name, r.get());
        model.spawn(name);
        transcript.add(pending);
    }

    /**
     * {@code fork} (a copy-on-write copy; {@code ENOSYS} without an MMU) or {@code vfork} (the
     * child runs in the parent's space, which waits).
     */
    private void child(Process parent, boolean vfork) {
        if (processes.size() >= MAX_PROCESSES) {
            return;
        }
        String child = "p" + nextName++;
        pending = (vfork ? "vfork " : "fork ") + parent.name() + " " + child;
        var r = vfork ? machine.vfork(parent, child) : machine.fork(parent, child);
        if (r.isLeft()) {
            if (!vfork && mmu && !(r.getLeft() instanceof VmError.ENOMEM)) {
                transcript.add("expect %s -> ok", pending);
                throw finding("fork", "fork failed with " + r.getLeft().errno() + " (" + r.getLeft().message() + ")");
            }
            failed(pending, r.getLeft());
            return;
        }
        transcript.add(pending);
        if (!vfork && !mmu) {
            throw finding("fork", "fork succeeded without an MMU");
        }
        processes.put(child, r.get());
        if (vfork) {
            model.vfork(parent.name(), child);
        } else {
            model.fork(parent.name(), child);
        }
    }

    private void exit(Process p) {
        pending = "exit " + p.name();
        var r = machine.exit(p);
        if (r.isLeft()) {
            transcript.add("expect %s -> ok", pending);
            throw finding("exit", "exit failed with " + r.getLeft().errno() + " (" + r.getLeft().message() + ")");
        }
        processes.remove(p.name());
        model.exit(p.name());
        transcript.add(pending);
        verify();
        if (processes.isEmpty()) {
            transcript.add("expect unchanged start");
            String leaked = machine.accounting().differencesFrom(mark);
            if (!leaked.isEmpty()) {
                throw finding("leak", "after the last exit the accounting differs from its mark: " + leaked);
            }
        }
    }

    /** The live processes that may run a statement: all but the parents waiting for a vforked child. */
    private List<Process> ready() {
        return processes.values().stream().filter(p -> !p.isWaiting()).toList();
    }

    // ---- mappings ------------------------------------------------------------------------------

    private void createFile(String name, boolean shared) {
        byte[] contents = new byte[FILE_PAGES * page];
        for (int i = 0; i < contents.length; i++) {
            contents[i] = (byte) ((i * 31 + 7) & 0xff);
        }
        machine.createFile(name, contents.length, contents).getOrElseThrow(e -> new IllegalStateException(e.message()));
        model.files.put(name, new ReferenceModel.FileImage(contents, shared));
        transcript.add("file %s %dP pattern", name, FILE_PAGES);
    }

    private void mmap(Process p) {
        long pages = 1 + choose.below(choose.percent(10) ? 64 : 6);
        int prot = PROTS[choose.below(PROTS.length)];
        int kindChoice = choose.below(100);
        Kind kind = kindChoice < 70 ? Kind.ANON : kindChoice < 85 ? Kind.PRIVATE_FILE : Kind.SHARED_FILE;
        long offset = 0;
        if (kind != Kind.ANON) {
            boolean wholeFile = kind == Kind.SHARED_FILE && !mmu;   // a no-MMU shared region is the whole file
            offset = wholeFile ? 0 : (long) choose.below(FILE_PAGES) * page;
            pages = wholeFile ? FILE_PAGES : 1 + choose.below(FILE_PAGES - (int) (offset / page));
        }
        long length = pages * page;
        if (choose.percent(10)) {
            length -= choose.below(page);   // the kernel rounds it up
        }
        int flags = kind == Kind.ANON ? MapFlags.ANONYMOUS : 0;
        String words = kind == Kind.SHARED_FILE ? "shared" : "private";
        if (kind == Kind.ANON) {
            words += ",anon";
            int extra = choose.below(20);
            if (extra == 0) {
                flags |= MapFlags.UNCACHED;
                words += ",uncached";
            } else if (extra == 1) {
                flags |= MapFlags.DEVICE;
                words += ",device";
            } else if (extra == 2) {
                flags |= MapFlags.NOINHERIT;
                words += ",noinherit";
            }
        }
        long addr = 0;
        int where = choose.below(100);
        long near = alignDown(somewhere(p));
        if (where < 15 && near >= 0) {
            addr = near;
            flags |= MapFlags.FIXED;
            words += ",fixed";
        } else if (where < 25 && near >= 0) {
            addr = near;
        }
        String file = kind == Kind.ANON ? null : kind == Kind.SHARED_FILE ? SHARED_FILE : PRIVATE_FILE;
        String statement = String.format("%s mmap %s %s %s %s%s", p.name(), hex(addr), hex(length), Vocab.prot(prot), words,
                file == null ? "" : " file " + file + " " + hex(offset));
        pending = statement;
        int sharedBit = kind == Kind.SHARED_FILE ? Scenario.MAP_SHARED_BIT : 0;
        var r = machine.mmap(p, VirtAddr.of(addr), Size.of(length), prot, flags | sharedBit, file, offset);
        if (r.isLeft()) {
            failed(statement, r.getLeft());
            return;
        }
        long va = r.get().value();
        transcript.add(statement + "   # " + hex(va));
        if (va % page != 0 || ((flags & MapFlags.FIXED) != 0 && va != addr)) {
            throw finding("mmap-address", "mmap returned " + hex(va) + " for " + statement);
        }
        if ((flags & MapFlags.FIXED) != 0) {
            model.unmap(p.name(), va, pages * page);
        }
        checkFree(p, va, pages, kind, file, offset);
        model.map(p.name(), va, pages, prot, kind, file, offset, (flags & MapFlags.DEVICE) != 0, (flags & MapFlags.NOINHERIT) != 0);
        lastMapped = va;
    }

    /**
     * A new mapping may not hold a page a live mapping holds: with an MMU in the same address space,
     * without one in any (the map is shared), except the pages of a shared file's region that every
     * sharer is given.
     */
    private void checkFree(Process p, long va, long pages, Kind kind, String file, long offset) {
        List<ReferenceModel.Space> spaces = mmu ? List.of(model.space(p.name())) : model.spaces();
        for (ReferenceModel.Space s : spaces) {
            for (long i = 0; i < pages; i++) {
                Page held = s.pages.get(va + i * page);
                boolean sameRegion = held != null && kind == Kind.SHARED_FILE && held.kind() == Kind.SHARED_FILE
                        && held.file().equals(file) && held.fileIndex() == offset / page + i;
                if (held != null && !(sameRegion && !mmu)) {
                    throw finding("mmap-overlap", "mmap returned " + hex(va) + ", but " + hex(va + i * page) + " is mapped already");
                }
            }
        }
    }

    private void munmap(Process p) {
        long addr = alignDown(somewhere(p));
        long length = length(p, addr);
        if (addr < 0 || length == 0) {
            return;
        }
        String statement = String.format("%s munmap %s %s", p.name(), hex(addr), hex(length));
        pending = statement;
        var r = machine.munmap(p, VirtAddr.of(addr), Size.of(length));
        transcript.add("expect %s -> %s", statement, r.isLeft() ? r.getLeft().errno() : "ok");
        if (r.isRight()) {
            model.unmap(p.name(), addr, alignUp(length));
        }
    }

    private void mprotect(Process p) {
        long addr = alignDown(somewhere(p));
        long length = length(p, addr);
        if (addr < 0 || length == 0) {
            return;
        }
        int prot = PROTS[choose.below(PROTS.length)];
        String statement = String.format("%s mprotect %s %s %s", p.name(), hex(addr), hex(length), Vocab.prot(prot));
        pending = statement;
        var r = machine.mprotect(p, VirtAddr.of(addr), Size.of(length), prot);
        transcript.add("expect %s -> %s", statement, r.isLeft() ? r.getLeft().errno() : "ok");
        if (r.isRight()) {
            model.protect(p.name(), addr, alignUp(length), prot);
        }
    }


    // ---- loads and stores ----------------------------------------------------------------------

    private void store(Process p) {
        int width = 8 << choose.below(3);
        int bytes = width / 8;
        long va = accessAddress(p, bytes);
        if (va < 0) {
            return;
        }
        long value = choose.below(1 << 16) | ((long) choose.below(1 << 16) << 16);
        value &= width == 32 ? 0xffffffffL : (1L << width) - 1;
        Verdict verdict = verdict(p, va, bytes, true);
        String statement = String.format("%s store %d %s %s", p.name(), width, hex(va), hex(value));
        pending = statement;
        Cpu cpu = cpuOf(p);
        if (cpu.storeRaw(p, width, va, value)) {
            transcript.add(statement);
            if (verdict == Verdict.MUST_NOT) {
                throw finding("store-not-faulted", "a store the mapping does not permit succeeded");
            }
            for (int i = 0; i < bytes; i++) {
                model.page(p.name(), va + i).cell().bytes[offset(va + i)] = (byte) (value >>> (8 * i));
            }
            return;
        }
        transcript.add("expect %s -> SEGV", statement);
        if (verdict == Verdict.MUST && !outOfMemory(cpu)) {
            throw finding("store-faulted", "a store the mapping permits faulted: " + cpu.lastSegv().describe());
        }
    }

    private void load(Process p) {
        int width = 8 << choose.below(3);
        int bytes = width / 8;
        long va = accessAddress(p, bytes);
        if (va < 0) {
            return;
        }
        String statement = String.format("%s load %d %s", p.name(), width, hex(va));
        pending = statement;
        Verdict verdict = verdict(p, va, bytes, false);
        Cpu cpu = cpuOf(p);
        long got = cpu.loadRaw(p, width, va);
        if (got < 0) {
            transcript.add("expect %s -> SEGV", statement);
            if (verdict == Verdict.MUST && !outOfMemory(cpu)) {
                throw finding("load-faulted", "a load the mapping permits faulted: " + cpu.lastSegv().describe());
            }
            return;
        }
        if (verdict == Verdict.MUST_NOT) {
            transcript.add("expect %s -> SEGV", statement);
            throw finding("load-not-faulted", "a load the mapping does not permit returned " + hex(got));
        }
        long expected = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            Cell cell = model.page(p.name(), va + i).cell();
            if (cell.unspecified) {
                transcript.add(statement);
                return;
            }
            expected = (expected << 8) | (cell.bytes[offset(va + i)] & 0xff);
        }
        transcript.add("expect %s == %s", statement, hex(expected));
        if (got != expected) {
            throw finding("load-value", "loaded " + hex(got) + " where the model has " + hex(expected));
        }
    }

    /** Stores one byte over a run of the process's pages ({@code rep stosb}). */
    private void fill(Process p) {
        long va = accessAddress(p, 1);
        if (va < 0) {
            return;
        }
        long length = 1 + choose.below(2 * page);
        while (length > 1 && !mapped(p, va, length)) {
            length /= 2;
        }
        int value = choose.below(256);
        String statement = String.format("%s fill %s %s %s", p.name(), hex(va), hex(length), hex(value));
        pending = statement;
        Verdict verdict = verdict(p, va, length, true);
        Cpu cpu = cpuOf(p);
        boolean ok = cpu.fillRaw(p, va, length, value);
        long end = ok ? va + length : cpu.lastSegv().address();
        transcript.add(ok ? statement : "expect " + statement + " -> SEGV");
        if (ok && verdict == Verdict.MUST_NOT) {
            throw finding("fill-not-faulted", "a fill the mapping does not permit succeeded");
        }
        if (!ok && verdict == Verdict.MUST && !outOfMemory(cpu)) {
            throw finding("fill-faulted", "a fill the mapping permits faulted: " + cpu.lastSegv().describe());
        }
        for (long a = va; a < end; a++) {   // the bytes before a fault stay written, as a loop of stores leaves them
            model.page(p.name(), a).cell().bytes[offset(a)] = (byte) value;
        }
    }

    /** Loads a run of readable pages at once and compares every byte with the model. */
    private void compare(Process p) {
        long va = accessAddress(p, 1);
        if (va < 0) {
            return;
        }
        long length = 1 + choose.below(2 * page);
        while (length > 1 && !mapped(p, va, length)) {
            length /= 2;
        }
        byte[] expected = new byte[(int) length];
        for (int i = 0; i < length; i++) {
            Page pg = model.page(p.name(), va + i);
            if (pg == null || !pg.readable() || pg.cell().unspecified) {
                return;
            }
            expected[i] = pg.cell().bytes[offset(va + i)];
        }
        pending = String.format("%s check %s %s ...", p.name(), hex(va), hex(length));
        Cpu cpu = cpuOf(p);
        long differs = cpu.compareRaw(p, va, length, MemorySegment.ofArray(expected));
        if (differs < 0) {
            transcript.add("expect %s load 8 %s -> ok   # compared with the model: SEGV", p.name(), hex(va));
            if (!outOfMemory(cpu)) {
                throw finding("compare-faulted", "loading readable pages faulted: " + cpu.lastSegv().describe());
            }
            return;
        }
        if (differs < length) {
            transcript.add("expect %s load 8 %s == %s", p.name(), hex(va + differs), hex(expected[(int) differs] & 0xff));
            throw finding("compare-value", "byte " + hex(va + differs) + " differs from the model");
        }
        transcript.add("# %s read %s bytes at %s as the model has them", p.name(), hex(length), hex(va));
    }

    private void verify() {
        transcript.add("expect verify");
        List<String> violations = machine.verify();
        if (!violations.isEmpty()) {
            throw finding("verify", violations.size() + " invariant violation(s): "
                    + String.join("; ", violations.subList(0, Math.min(3, violations.size()))));
        }
    }

    /**
     * Whether an access of {@code length} bytes at {@code va} must succeed, may, or must fault. With
     * an MMU an unmapped page, a {@code none} page and a store to a page without write permission
     * fault. Pages without read permission may go either way: Phoenix's fault path asks for read
     * permission on every fault ({@code _map_force} refuses a write fault on a write-only entry,
     * RISC-V cannot even encode one), but once present x86 lets such a page be read. Without an MMU
     * protection is not enforced per page (the MPU covers whole memory maps), so only what the
     * mapping permits is required.
     */
    private Verdict verdict(Process p, long va, long length, boolean write) {
        Verdict v = Verdict.MUST;
        for (long a = alignDown(va); a < va + length; a += page) {
            Page pg = model.page(p.name(), a);
            boolean permitted = pg != null && pg.readable() && (!write || pg.writable());
            if (permitted) {
                continue;
            }
            boolean forbidden = pg == null || pg.prot() == Prot.NONE || (write && !pg.writable());
            if (mmu && forbidden) {
                return Verdict.MUST_NOT;
            }
            v = Verdict.MAY;
        }
        return v;
    }

    /** Whether the kernel refused the last fault for want of memory: normal input, not a finding. */
    private boolean outOfMemory(Cpu cpu) {
        boolean oom = cpu.lastSegv().kernelVerdict().contains("ENOMEM");
        if (oom) {
            OUT_OF_MEMORY.incrementAndGet();
        }
        return oom;
    }

    // ---- addresses -----------------------------------------------------------------------------

    /**
     * An address for a load or store of {@code bytes}: mostly in one of the process's pages, now and
     * then straddling two; with an MMU now and then beside its mappings. Without an MMU only in
     * its own pages (its neighbours' memory is not protected from it). -1 for none.
     */
    private long accessAddress(Process p, int bytes) {
        List<Long> pages = new ArrayList<>(model.space(p.name()).pages.keySet());
        if (pages.isEmpty() || (mmu && choose.percent(10))) {
            return mmu ? somewhere(p) : -1;
        }
        long base = choose.oneOf(pages);
        long va = choose.percent(10) ? base + page - 1 : base + choose.below(page - bytes + 1);
        return mmu || mapped(p, va, bytes) ? va : base;
    }

    /**
     * An address in or beside the process's mappings, for munmap, mprotect and MAP_FIXED. Without
     * an MMU beside them is other processes' memory, which the kernel must refuse to touch.
     */
    private long somewhere(Process p) {
        List<Long> pages = new ArrayList<>(model.space(p.name()).pages.keySet());
        long base = pages.isEmpty() ? lastMapped : choose.oneOf(pages);
        if (!mmu) {
            return base + choose.below(page);
        }
        long va = base + (choose.below(9) - 4L) * page + choose.below(page);
        return Math.max(0, va);
    }

    /**
     * A length for munmap, mprotect or MAP_FIXED at {@code va}: up to six pages, now and then not
     * whole ones.
     */
    private long length(Process p, long va) {
        long length = (1 + choose.below(6)) * (long) page;
        return length > page && choose.percent(10) ? length - choose.below(page) : length;
    }

    private boolean mapped(Process p, long va, long length) {
        for (long a = alignDown(va); a < va + length; a += page) {
            if (model.page(p.name(), a) == null) {
                return false;
            }
        }
        return true;
    }

    private Cpu cpuOf(Process p) {
        // As the scenario interpreter spreads processes: by pid, so a reproducer runs on the same CPUs.
        return machine.cpu(Math.floorMod(p.pid() - 1, machine.cpuCount()));
    }

    private int offset(long va) {
        return (int) Math.floorMod(va, page);
    }

    private long alignDown(long va) {
        return va - Math.floorMod(va, page);
    }

    private long alignUp(long length) {
        return alignDown(length + page - 1);
    }

    // ---- findings ------------------------------------------------------------------------------

    /** A statement that failed with an errno: the transcript says so, and the model stays as it was. */
    private void failed(String statement, VmError e) {
        transcript.add("expect %s -> %s", statement.replaceAll("\\s+#.*", ""), e.errno());
    }

    private Finding finding(String kind, String what) {
        Path file = save(kind);
        return new Finding(String.format("fuzz finding on %s: %s%n  reproduce: bin/pvm run --arch %s %s%n%s",
                target, what, target, file, transcript.text()));
    }

    private Path save(String kind) {
        Path dir = Path.of(System.getProperty("pvm.fuzz.findings", "target/fuzz-findings"));
        return transcript.save(dir, target + "-" + kind, 5);
    }

    /** A property of the reference model broken. */
    static final class Finding extends AssertionError {
        Finding(String message) {
            super(message);
        }
    }

    /** Protections as the scenario language writes them. */
    private static final class Vocab {
        static String prot(int prot) {
            if (prot == Prot.NONE) {
                return "none";
            }
            return ((prot & Prot.READ) != 0 ? "r" : "") + ((prot & Prot.WRITE) != 0 ? "w" : "") + ((prot & Prot.EXEC) != 0 ? "x" : "");
        }
    }
}
