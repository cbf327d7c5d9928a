package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Either;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Policies;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import org.junit.jupiter.api.Test;
import pvm.vm.object.ZeroPage;

/** SerenityOS's shared zero page, commitments, populate and the OOM verdict (beyond Phoenix). */
class SerenityMemoryTest {

    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int ANON = MapFlags.PRIVATE | MapFlags.ANONYMOUS;
    private static final long RAM = 16L << 20;

    private static Architecture arch(String name) {
        return Architectures.named(name).get();
    }

    private static Machine boot(String arch, Policies policies) {
        return Machine.boot(arch(arch), new MachineConfig(RAM, 1, policies), line -> { }).get();
    }

    private static Machine strict() {
        return boot("i686", Policies.DEFAULT.with(Commit.POLICY, Commit.STRICT));
    }

    private static Either<VmError, VirtAddr> mmap(Machine m, Process p, long bytes, int flags) {
        return m.mmap(p, VirtAddr.NULL, Size.of(bytes), RW, flags, null, 0);
    }

    private static boolean store(Machine m, Process p, long va) {
        return m.cpu(0).store(p, 8, va, 1).isRight();
    }

    /** Fills a mapping of {@code bytes} page by page until a store fails: the page that failed, or -1. */
    private static long fillUntilFault(Machine m, Process p, long va, long bytes) {
        for (long a = va; a < va + bytes; a += m.pageSize()) {
            if (!store(m, p, a)) {
                return a;
            }
        }
        return -1;
    }

    // ---- the shared zero page ----

    @Test
    void readsOfUntouchedMemoryMapTheOneZeroPageAndAWriteTakesAPage() {
        Machine m = boot("i686", Policies.DEFAULT.with(ZeroPage.POLICY, ZeroPage.SHARED));
        int zero = m.pager().zeroFrame();
        assertTrue(zero != PageFrames.NONE);
        Process p = m.spawn("p").get();
        long a = mmap(m, p, 8L * m.pageSize(), ANON).get().value();
        assertEquals(0L, m.cpu(0).load(p, 32, a).get());
        long free = m.pages().freeBytes();
        int anons = m.pager().anonCount();
        for (int i = 1; i < 8; i++) {
            assertEquals(0L, m.cpu(0).load(p, 32, a + (long) i * m.pageSize()).get());
            assertEquals(zero, m.pages().frames().find(p.pmap().resolve(VirtAddr.of(a + (long) i * m.pageSize())).value()));
        }
        assertEquals(free, m.pages().freeBytes(), "reads allocate no page");
        assertEquals(anons, m.pager().anonCount(), "reads make no anon");
        assertTrue(store(m, p, a + 2L * m.pageSize()));
        assertEquals(anons + 1, m.pager().anonCount(), "the first write takes a page of its own");
        assertTrue(m.pages().freeBytes() <= free - m.pageSize());
        assertTrue(m.pages().frames().find(p.pmap().resolve(VirtAddr.of(a + 2L * m.pageSize())).value()) != zero);
        assertEquals(0L, m.cpu(0).load(p, 32, a + 3L * m.pageSize()).get(), "the zero page is still zero");
        Checks.assertConsistent(m);
    }

    @Test
    void phoenixsFreshPagesRemainTheDefault() {
        Machine m = boot("i686", Policies.DEFAULT);
        assertEquals(PageFrames.NONE, m.pager().zeroFrame());
        Process p = m.spawn("p").get();
        long a = mmap(m, p, 2L * m.pageSize(), ANON).get().value();
        int anons = m.pager().anonCount();
        m.cpu(0).load(p, 32, a);
        m.cpu(0).load(p, 32, a + m.pageSize());
        assertEquals(anons + 2, m.pager().anonCount(), "each read takes a fresh page");
    }

    @Test
    void withoutAnMmuTheZeroPagePolicyChangesNothing() {
        Machine m = boot("nommu", Policies.DEFAULT.with(ZeroPage.POLICY, ZeroPage.SHARED).with(Commit.POLICY, Commit.STRICT));
        assertEquals(PageFrames.NONE, m.pager().zeroFrame());
        Process p = m.spawn("p").get();
        long a = mmap(m, p, 4L * m.pageSize(), ANON).get().value();
        assertEquals(0L, m.pages().reservedBytes(), "nothing to commit where mmap allocates every page");
        assertTrue(store(m, p, a));
        Checks.assertConsistent(m);
    }

    // ---- commitments ----

    @Test
    void aStrictCommitThatDoesNotFitIsEnomemAndChangesNothing() {
        Machine m = strict();
        Process p = m.spawn("p").get();
        Accounting before = m.accounting();
        Either<VmError, VirtAddr> r = mmap(m, p, 1L << 30, ANON);
        assertTrue(r.isLeft() && r.getLeft() instanceof VmError.ENOMEM, r.toString());
        assertEquals(before, m.accounting());
        assertEquals(0L, m.pages().reservedBytes());
        assertTrue(mmap(m, p, 1L << 30, ANON | Commit.MAP_NORESERVE).isRight(), "noreserve commits nothing");
        Checks.assertConsistent(m);
    }

    @Test
    void committedPagesFaultInWhenMemoryIsExhaustedAndUncommittedOnesRunOut() {
        Machine m = strict();
        Process p = m.spawn("p").get();
        int ps = m.pageSize();
        // 8 MiB committed: enough pages that the kernel's own memory for them (anons, page tables) counts.
        long a = mmap(m, p, 2048L * ps, ANON).get().value();
        assertEquals(2048L * ps, m.stats(p).committedBytes());
        long big = mmap(m, p, 32L << 20, ANON | Commit.MAP_NORESERVE).get().value();
        long failed = fillUntilFault(m, p, big, 32L << 20);
        assertTrue(failed >= 0, "32 MiB do not fit in 16 MiB");
        assertTrue(m.cpu(0).lastSegv().outOfMemory(), m.cpu(0).lastSegv().describe());
        assertTrue(m.cpu(0).lastSegv().describe().startsWith("out of memory"));
        assertEquals(-1, fillUntilFault(m, p, a, 2048L * ps), "every committed page finds its page");
        assertEquals(0L, m.stats(p).committedBytes());
        Checks.assertConsistent(m);
    }

    @Test
    void aCommittedFaultWhoseAllocationFailsLeavesTheCommitmentAsItWas() {
        // Each allocation of the first write to a committed page failed in turn (what pvm sweep
        // does): the fault is OOM, the page and the kernel allowance are set aside again, so the
        // accounting (which counts kmalloc's kept empty zones as free) equals the mark, and after
        // the same write succeeds it equals the run without the failure.
        for (String arch : new String[] {"i686", "riscv64"}) {
            int failedFaults = 0;
            Machine reference = boot(arch, Policies.DEFAULT.with(Commit.POLICY, Commit.STRICT));
            Process r = reference.spawn("p").get();
            assertTrue(store(reference, r, mmap(reference, r, 16L * reference.pageSize(), ANON).get().value()));
            for (int k = 0; k < 16; k++) {
                Machine m = boot(arch, Policies.DEFAULT.with(Commit.POLICY, Commit.STRICT));
                Process p = m.spawn("p").get();
                long a = mmap(m, p, 16L * m.pageSize(), ANON).get().value();
                Accounting mark = m.accounting();
                long reserved = m.pages().reservedBytes();
                long tables = pageTables(m);
                m.failures().failAfter(k);
                boolean stored = store(m, p, a);
                m.failures().off();
                if (stored) {
                    continue;
                }
                failedFaults++;
                assertTrue(m.cpu(0).lastSegv().outOfMemory(), arch + " k=" + k + ": " + m.cpu(0).lastSegv().describe());
                // Page tables _page_map could allocate before the level it could not are kept, as in
                // Phoenix: they come out of the kernel allowance, as when the fault succeeds.
                long kept = (pageTables(m) - tables) * m.pageSize();
                assertEquals(reserved - kept, m.pages().reservedBytes(), arch + " k=" + k + ": the commitment is as before the fault");
                assertEquals(mark, m.accounting(), arch + " k=" + k);
                assertEquals(16L * m.pageSize(), m.stats(p).committedBytes());
                Checks.assertConsistent(m);
                assertTrue(store(m, p, a), arch + " k=" + k + ": the same write then succeeds");
                assertEquals(reference.accounting(), m.accounting(), arch + " k=" + k + ": then as without the failure");
                Checks.assertConsistent(m);
            }
            assertTrue(failedFaults >= 3, arch + ": the fault makes several allocations, " + failedFaults + " failed");
        }
    }

    /** Pages allocated as page tables. */
    private static long pageTables(Machine m) {
        PageFrames frames = m.pages().frames();
        long n = 0;
        for (int f = 0; f < frames.count(); f++) {
            int flags = frames.flags(f);
            if (!frames.isFree(f) && PageFlags.owner(flags) == PageFlags.OWNER_KERNEL
                    && PageFlags.kernelUse(flags) == PageFlags.KERNEL_PTABLE) {
                n++;
            }
        }
        return n;
    }

    @Test
    void munmapExitAndPartialMunmapGiveTheCommitmentBack() {
        Machine m = strict();
        Accounting empty = m.accounting();
        Process p = m.spawn("p").get();
        int ps = m.pageSize();
        long a = mmap(m, p, 8L * ps, ANON).get().value();
        assertTrue(store(m, p, a));
        assertTrue(m.munmap(p, VirtAddr.of(a + 2L * ps), Size.of(3L * ps)).isRight());
        assertEquals(4L * ps, m.stats(p).committedBytes(), "8 committed, 1 used, 3 unmapped");
        Checks.assertConsistent(m);
        assertTrue(m.munmap(p, VirtAddr.of(a), Size.of(8L * ps)).isRight());
        assertEquals(0L, m.pages().reservedBytes());
        long b = mmap(m, p, 8L * ps, ANON).get().value();
        assertTrue(store(m, p, b + ps));
        assertTrue(m.exit(p).isRight());
        assertEquals(empty, m.accounting());
        assertEquals(0L, m.pages().reservedBytes());
        Checks.assertConsistent(m);
    }

    @Test
    void aFixedMappingOverACommittedRangeTakesItsCommitmentAway() {
        Machine m = strict();
        Process p = m.spawn("p").get();
        int ps = m.pageSize();
        long a = mmap(m, p, 4L * ps, ANON).get().value();
        assertTrue(m.mmap(p, VirtAddr.of(a), Size.of(2L * ps), Prot.READ, ANON | MapFlags.FIXED, null, 0).isRight());
        assertEquals(2L * ps, m.stats(p).committedBytes(), "the read-only fixed mapping commits nothing, the rest stays");
        Checks.assertConsistent(m);
    }

    @Test
    void forkCommitsTheChildsUnusedPagesOrFailsWithEnomem() {
        Machine m = strict();
        Process p = m.spawn("p").get();
        int ps = m.pageSize();
        long a = mmap(m, p, 16L * ps, ANON).get().value();
        assertTrue(store(m, p, a));
        Process c = m.fork(p, "c").get();
        assertEquals(15L * ps, m.stats(c).committedBytes());
        assertEquals(-1, fillUntilFault(m, c, a + ps, 15L * ps));
        Checks.assertConsistent(m);
        assertTrue(m.exit(c).isRight());

        // A parent that has committed more than half of memory cannot fork: the child's share does not fit.
        long free = m.pages().freeBytes() - m.pages().reservedBytes();
        long most = (free * 2 / 3) & -(long) ps;
        Process q = m.spawn("q").get();
        assertTrue(mmap(m, q, most, ANON).isRight());
        Accounting before = m.accounting();
        Either<VmError, Process> r = m.fork(q, "d");
        assertTrue(r.isLeft() && r.getLeft() instanceof VmError.ENOMEM, r.toString());
        assertEquals(before, m.accounting());
        Checks.assertConsistent(m);
    }

    @Test
    void populateAllocatesEveryPageAtMmapAndUndoesTheMappingWhenOneIsMissing() {
        Machine m = boot("i686", Policies.DEFAULT);
        Process p = m.spawn("p").get();
        int ps = m.pageSize();
        long free = m.pages().freeBytes();
        long a = mmap(m, p, 4L * ps, ANON | Commit.MAP_POPULATE).get().value();
        assertTrue(m.pages().freeBytes() <= free - 4L * ps, "four pages at mmap");
        assertEquals(4L * ps, m.stats(p).residentBytes());
        Accounting before = m.accounting();
        Either<VmError, VirtAddr> r = mmap(m, p, 32L << 20, ANON | Commit.MAP_POPULATE);
        assertTrue(r.isLeft() && r.getLeft() instanceof VmError.ENOMEM, r.toString());
        assertEquals(1, p.map().entries().size(), "the mapping that could not be populated is gone");
        assertEquals(a, p.map().entries().get(0).vaddr().value());
        assertEquals(before.mapEntries(), m.accounting().mapEntries());
        Checks.assertConsistent(m);
    }

    @Test
    void anInvalidAccessIsStillSegvNotOom() {
        Machine m = boot("i686", Policies.DEFAULT);
        Process p = m.spawn("p").get();
        long a = m.mmap(p, VirtAddr.NULL, Size.of(m.pageSize()), Prot.READ, ANON, null, 0).get().value();
        assertFalse(store(m, p, a));
        assertFalse(m.cpu(0).lastSegv().outOfMemory());
        assertTrue(m.cpu(0).lastSegv().describe().startsWith("SIGSEGV"));
    }

    @Test
    void theCatalogOffersBothPoliciesAtPhoenixsValueByDefault() {
        assertTrue(PolicyCatalog.of(arch("i686")).contains(ZeroPage.POLICY));
        assertTrue(PolicyCatalog.of(arch("nommu")).contains(Commit.POLICY), "offered everywhere, changing nothing without an MMU");
        assertEquals(ZeroPage.FRESH, ZeroPage.POLICY.phoenix());
        assertEquals(ZeroPage.FRESH, ZeroPage.POLICY.pvm());
        assertEquals(Commit.NONE, Commit.POLICY.pvm());
    }
}
