package pvm.integration.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.kernel.Accounting;
import pvm.kernel.Cpu;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/**
 * Several CPUs in one address space, as the threads of one process: workers load and store on
 * CPUs 1..N while a mutator on CPU 0 unmaps and remaps pages under them, changes their protection
 * and forks the process (a child that writes its copy and exits). Every page of the region has
 * one 32-bit slot per worker, which only that worker writes, with increasing values; so
 * <ul>
 *   <li>an access made while no munmap or mprotect overlapped it (a seqlock, {@code epoch}, tells)
 *       must do what the page's protection says: a store to a writable page succeeds and reads
 *       back, any access to an unmapped or {@code none} page faults (a stale TLB entry would not);</li>
 *   <li>an access that raced one may fault, but a value it reads is 0 (a new page) or one the
 *       worker wrote: never a freed frame's contents, never what a forked child wrote;</li>
 *   <li>a child reads its parent's values as of the fork, and its stores never reach the parent;</li>
 *   <li>afterwards every CPU sees every other's stores, every checker passes, and once the process
 *       exits the accounting is back at its mark.</li>
 * </ul>
 * Two seconds per target in a build ({@code pvm.stress.seconds}); {@code bin/pvm stress --minutes N}
 * for long runs. Without an MMU there is no TLB and no per-process page table to race with, so
 * the targets here are the paged ones.
 */
class ConcurrencyStressTest {

    private static final int WORKERS = 3;
    private static final int PAGES = 32;
    /** {@link #state} of a page that is not mapped. */
    private static final int UNMAPPED = -1;
    /** What a forked child stores into slot 0 of its pages: a bit no worker's value has. */
    private static final long CHILD_MARK = 0x8000_0000L;

    @Test
    void i686() throws InterruptedException {
        stress("i686");
    }

    @Test
    void riscv64() throws InterruptedException {
        stress("riscv64");
    }

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    /** Odd while the mutator changes the region's mappings; bumped before and after each change. */
    private final AtomicLong epoch = new AtomicLong();
    /** Each page's protection, or {@link #UNMAPPED}, as the mutator last left it. */
    private final AtomicIntegerArray state = new AtomicIntegerArray(PAGES);
    private final AtomicLong accesses = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();
    private final AtomicLong outOfMemory = new AtomicLong();
    /** How many of each change the mutator made: {@link #REMAP}, {@link #MPROTECT}, {@link #FORK}. */
    private final long[] mutations = new long[3];
    private static final int REMAP = 0;
    private static final int MPROTECT = 1;
    private static final int FORK = 2;
    private Machine machine;
    private Process process;
    private long region;
    private int page;

    private void stress(String target) throws InterruptedException {
        long seconds = Long.getLong("pvm.stress.seconds", 2);
        long seed = Long.getLong("pvm.seed", 0x57e55L);
        machine = Machine.boot(Architectures.named(target).get(), new MachineConfig(32L << 20, WORKERS + 1), line -> { }).get();
        page = machine.pageSize();
        Accounting mark = machine.accounting();
        process = machine.spawn("p").get();
        region = machine.mmap(process, VirtAddr.NULL, Size.of((long) PAGES * page), Prot.READ | Prot.WRITE,
                MapFlags.PRIVATE | MapFlags.ANONYMOUS, null, 0).get().value();
        for (int i = 0; i < PAGES; i++) {
            state.set(i, Prot.READ | Prot.WRITE);
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 1; w <= WORKERS; w++) {
            int cpu = w;
            threads.add(thread("worker" + w, start, () -> work(machine.cpu(cpu), cpu, new SplittableRandom(seed + cpu), deadline)));
        }
        threads.add(thread("mutator", start, () -> mutate(machine.cpu(0), new SplittableRandom(seed), deadline)));
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), () -> "pvm.seed=" + seed + " on " + target + ":\n" + String.join("\n", failures));
        everyCpuSeesEveryStore();
        assertEquals(List.of(), machine.verify(), "every checker passes after the race");
        machine.exit(process).get();
        assertEquals(List.of(), machine.verify(), "every checker passes after the exit");
        assertEquals("", machine.accounting().differencesFrom(mark), "everything given back after the exit");
        System.out.printf("stress %s: %d s, pvm.seed=%d, %d accesses (%d faulted, %d refused for want of memory), "
                        + "%d munmap+mmap, %d mprotect, %d fork+exit, checkers clean, nothing leaked%n",
                target, seconds, seed, accesses.get(), faulted.get(), outOfMemory.get(), mutations[REMAP], mutations[MPROTECT], mutations[FORK]);
    }

    private Thread thread(String name, CountDownLatch start, Runnable body) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                start.await();
                body.run();
            } catch (Throwable e) {
                StringBuilder trace = new StringBuilder(name + " threw " + e);
                for (StackTraceElement f : e.getStackTrace()) {
                    trace.append("\n    at ").append(f);
                }
                failures.add(trace.toString());
            }
        });
    }

    // ---- the workers ---------------------------------------------------------------------------

    /** Stores increasing values into this worker's slot of random pages and loads them back. */
    private void work(Cpu cpu, int slot, SplittableRandom random, long deadline) {
        long value = 0;
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            int i = random.nextInt(PAGES);
            long va = region + (long) i * page + 4L * slot;
            value = (value + 1) & 0x7fff_ffffL;
            long before = epoch.get();
            int prot = state.get(i);
            boolean stored = cpu.storeRaw(process, 32, va, value);
            long loaded = cpu.loadRaw(process, 32, va);
            long zero = random.nextInt(16) == 0 ? cpu.loadRaw(process, 32, va - 4L * slot) : 0;
            boolean quiet = before == epoch.get() && (before & 1) == 0;
            accesses.addAndGet(2);
            faulted.addAndGet((stored ? 0 : 1) + (loaded < 0 ? 1 : 0));
            String where = String.format("worker %d, page %d (0x%x)", slot, i, va);
            if (!stored && cpu.lastSegv().kernelVerdict().contains("ENOMEM")) {
                outOfMemory.incrementAndGet();
                continue;
            }
            if (zero > 0) {
                failures.add(where + ": slot 0, which only forked children write, reads 0x" + Long.toHexString(zero) + " in the parent");
            }
            if (loaded >= 0 && loaded != 0 && (loaded > value || (loaded & CHILD_MARK) != 0)) {
                failures.add(String.format("%s: read 0x%x, which this worker never wrote (its last value is 0x%x)", where, loaded, value));
            }
            if (!quiet) {
                continue;
            }
            boolean writable = prot != UNMAPPED && (prot & Prot.WRITE) != 0;
            boolean readable = prot != UNMAPPED && (prot & Prot.READ) != 0;
            if (stored != writable) {
                failures.add(where + ": a store " + (stored ? "succeeded" : "faulted") + " on a page whose protection is " + describe(prot)
                        + (stored ? "" : ": " + cpu.lastSegv().describe()));
            }
            if ((loaded >= 0) != readable) {
                failures.add(where + ": a load " + (loaded >= 0 ? "succeeded" : "faulted") + " on a page whose protection is " + describe(prot));
            }
            if (stored && loaded >= 0 && loaded != value) {
                failures.add(String.format("%s: stored 0x%x and read back 0x%x with nothing changing the page", where, value, loaded));
            }
        }
    }

    // ---- the mutator ---------------------------------------------------------------------------

    /** Unmaps and remaps, reprotects, and forks, at random, until the deadline. */
    private void mutate(Cpu cpu, SplittableRandom random, long deadline) {
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            int first = random.nextInt(PAGES);
            int count = 1 + random.nextInt(Math.min(4, PAGES - first));
            VirtAddr at = VirtAddr.of(region + (long) first * page);
            Size size = Size.of((long) count * page);
            switch (random.nextInt(3)) {
                case 0 -> change(REMAP, first, count, Prot.READ | Prot.WRITE, () -> {
                    machine.munmap(process, at, size).get();
                    for (int i = first; i < first + count; i++) {
                        state.set(i, UNMAPPED);
                    }
                    machine.mmap(process, at, size, Prot.READ | Prot.WRITE, MapFlags.PRIVATE | MapFlags.ANONYMOUS | MapFlags.FIXED,
                            null, 0).get();
                });
                case 1 -> {
                    int prot = List.of(Prot.NONE, Prot.READ, Prot.READ | Prot.WRITE).get(random.nextInt(3));
                    change(MPROTECT, first, count, prot, () -> machine.mprotect(process, at, size, prot).get());
                }
                default -> forkAndExit(cpu);
            }
        }
    }

    /** One change of the region under the seqlock: the workers' accesses meanwhile may fault. */
    private void change(int kind, int first, int count, int prot, Runnable op) {
        epoch.incrementAndGet();
        op.run();
        for (int i = first; i < first + count; i++) {
            state.set(i, prot);
        }
        epoch.incrementAndGet();
        mutations[kind]++;
    }

    /**
     * Forks the process while the workers run in it: the child (on the mutator's CPU) reads what
     * the parent had, marks slot 0 of its writable pages, and exits.
     */
    private void forkAndExit(Cpu cpu) {
        Process child = machine.fork(process, "child").get();
        for (int i = 0; i < PAGES; i++) {
            int prot = state.get(i);   // stable: only this thread changes it
            long va = region + (long) i * page;
            long v = cpu.loadRaw(child, 32, va + 4);
            if ((v >= 0) != (prot != UNMAPPED && (prot & Prot.READ) != 0) && !cpu.lastSegv().kernelVerdict().contains("ENOMEM")) {
                failures.add("child: a load of page " + i + " " + (v >= 0 ? "succeeded" : "faulted") + ", its protection is " + describe(prot));
            }
            if (v > 0 && (v & CHILD_MARK) != 0) {
                failures.add(String.format("child: page %d reads 0x%x, a value only children write", i, v));
            }
            if (prot != UNMAPPED && (prot & Prot.WRITE) != 0 && !cpu.storeRaw(child, 32, va, CHILD_MARK | i)
                    && !cpu.lastSegv().kernelVerdict().contains("ENOMEM")) {
                failures.add("child: a store to writable page " + i + " faulted: " + cpu.lastSegv().describe());
            }
        }
        machine.exit(child).get();
        mutations[FORK]++;
    }

    // ---- after the race ------------------------------------------------------------------------

    /** Every CPU stores into its slot of every page, then every CPU reads every slot back. */
    private void everyCpuSeesEveryStore() {
        machine.mmap(process, VirtAddr.of(region), Size.of((long) PAGES * page), Prot.READ | Prot.WRITE,
                MapFlags.PRIVATE | MapFlags.ANONYMOUS | MapFlags.FIXED, null, 0).get();
        for (int c = 0; c < machine.cpuCount(); c++) {
            for (int i = 0; i < PAGES; i++) {
                assertTrue(machine.cpu(c).storeRaw(process, 32, region + (long) i * page + 4L * c, 0x100 + c), "cpu " + c + " stores");
            }
        }
        for (int c = 0; c < machine.cpuCount(); c++) {
            for (int i = 0; i < PAGES; i++) {
                for (int s = 0; s < machine.cpuCount(); s++) {
                    assertEquals(0x100 + s, machine.cpu(c).loadRaw(process, 32, region + (long) i * page + 4L * s),
                            "cpu " + c + " reads cpu " + s + "'s store to page " + i);
                }
            }
        }
    }

    private static String describe(int prot) {
        return prot == UNMAPPED ? "unmapped" : Prot.letters(prot);
    }
}
