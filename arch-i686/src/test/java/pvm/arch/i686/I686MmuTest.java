package pvm.arch.i686;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.VirtAddr;

class I686MmuTest {

    private static final int RWU = Attr.PRESENT | Attr.WRITE | Attr.USER;
    private static final long VA = 0x0804_8000L;

    private final TestMachine m = new TestMachine(64L << 20, 2);
    private final I686Pmap user = m.user();
    private final I686Mmu cpu0 = m.cpu(0);
    private final I686Mmu cpu1 = m.cpu(1);

    I686MmuTest() {
        user.switchTo(cpu0);
    }

    private Fault faultOf(Mmu cpu, long va, int access) {
        assertEquals(Mmu.FAULT, cpu.translate(va, access), String.format("%s at 0x%08x must fault", Access.describe(access), va));
        Fault f = cpu.lastFault();
        assertEquals(va, f.address(), "CR2");
        assertEquals(access, f.access());
        return f;
    }

    // --- the walk and the Accessed/Dirty bits ----------------------------------------------------

    @Test
    void theWalkSetsAccessedAndDirtyInRam() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        long table = m.pde(user, VA) & Paging.FRAME_MASK;
        assertEquals(table | 0x07, m.pde(user, VA));
        assertEquals(pa | 0x07, m.pte(user, VA));

        assertEquals(pa + 0x10, cpu0.translate(VA + 0x10, Access.USER | Access.READ));
        assertEquals(table | 0x27, m.pde(user, VA), "A set in the PDE");
        assertEquals(pa | 0x27, m.pte(user, VA), "A set in the PTE, D not yet");

        assertEquals(pa + 0x20, cpu0.translate(VA + 0x20, Access.USER | Access.WRITE));
        assertEquals(pa | 0x67, m.pte(user, VA), "D set by the write");
        assertEquals(table | 0x27, m.pde(user, VA), "a PDE has no D for a 4 KiB page");
    }

    @Test
    void aWriteThroughAnEntryCachedBeforeDWasSetWalksAgainToSetIt() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        cpu0.translate(VA, Access.USER | Access.READ);
        long misses = cpu0.tlbMisses();
        cpu0.translate(VA, Access.USER | Access.READ);
        assertEquals(misses, cpu0.tlbMisses(), "second read hits");
        cpu0.translate(VA, Access.USER | Access.WRITE);
        assertEquals(misses + 1, cpu0.tlbMisses(), "first write walks to set D");
        assertEquals(pa | 0x67, m.pte(user, VA));
        long hits = cpu0.tlbHits();
        cpu0.translate(VA, Access.USER | Access.WRITE);
        assertEquals(hits + 1, cpu0.tlbHits(), "later writes hit");
    }

    @Test
    void executeIsARead() {
        long pa = m.page();
        m.map(user, VA, pa, Attr.PRESENT | Attr.USER); // no EXEC bit exists; read-only
        assertEquals(pa, cpu0.translate(VA, Access.USER | Access.EXEC));
        assertEquals(0x4, PageFaultSyndrome.errorCode(faultOf(cpu0, VA + 0x1000, Access.USER | Access.EXEC)));
    }

    @Test
    void aFourMibPageIsMappedByItsPde() {
        long pde = 0x0040_0000L | Paging.PS | Paging.US | Paging.RW | Paging.P;
        m.memory().write32(user.cr3() + 5 * 4, pde);
        assertEquals(0x0040_1234L + 0x20_0000L, cpu0.translate(0x0160_1234L, Access.USER | Access.WRITE));
        assertEquals(pde | Paging.A | Paging.D, m.memory().read32(user.cr3() + 5 * 4));
        assertTrue(cpu0.describeWalk(user, 0x0160_1234L).contains("4 MiB page"));
    }

    // --- #PF error codes -----------------------------------------------------------------------

    @Test
    void everyPageFaultCarriesItsArchitecturalErrorCode() {
        long pa = m.page();
        m.map(user, VA, pa, Attr.PRESENT | Attr.USER); // user, read-only
        m.map(user, VA + 0x1000, pa, Attr.PRESENT | Attr.WRITE); // supervisor, writable
        m.map(user, VA + 0x2000, pa, Attr.PRESENT); // supervisor, read-only
        long absent = VA + 0x3000; // a table exists, the page does not
        long noTable = 0x7000_0000L;

        assertEquals(0x4, PageFaultSyndrome.errorCode(faultOf(cpu0, absent, Access.USER | Access.READ)), "user read, not present");
        assertEquals(0x4, PageFaultSyndrome.errorCode(faultOf(cpu0, noTable, Access.USER | Access.READ)), "no page table: not present");
        assertEquals(0x6, PageFaultSyndrome.errorCode(faultOf(cpu0, absent, Access.USER | Access.WRITE)), "user write, not present");
        assertEquals(0x7, PageFaultSyndrome.errorCode(faultOf(cpu0, VA, Access.USER | Access.WRITE)), "user write to read-only");
        assertEquals(0x5, PageFaultSyndrome.errorCode(faultOf(cpu0, VA + 0x1000, Access.USER | Access.READ)), "user read of supervisor page");
        assertEquals(0x7, PageFaultSyndrome.errorCode(faultOf(cpu0, VA + 0x1000, Access.USER | Access.WRITE)), "user write to supervisor page");
        assertEquals(0x0, PageFaultSyndrome.errorCode(faultOf(cpu0, absent, Access.READ)), "supervisor read, not present");
        assertEquals(0x2, PageFaultSyndrome.errorCode(faultOf(cpu0, noTable, Access.WRITE)), "supervisor write, not present");
        assertEquals(0x5, PageFaultSyndrome.errorCode(faultOf(cpu0, 0xc010_0000L, Access.USER | Access.READ)), "user read of the kernel");

        Fault f = faultOf(cpu0, VA, Access.USER | Access.WRITE);
        assertTrue(f.protectionViolation());
        assertFalse(faultOf(cpu0, absent, Access.READ).protectionViolation());
        assertEquals(0x4, PageFaultSyndrome.errorCode(faultOf(cpu0, 1L << 32, Access.USER | Access.READ)), "beyond 32 bits");
    }

    @Test
    void supervisorWritesToReadOnlyPagesFaultOnlyWithCr0Wp() {
        long pa = m.page();
        m.map(user, VA + 0x2000, pa, Attr.PRESENT); // supervisor, read-only
        assertFalse(cpu0.writeProtect(), "Phoenix's ia32 boot never sets CR0.WP");
        assertEquals(pa, cpu0.translate(VA + 0x2000, Access.WRITE), "the kernel may write");
        assertEquals(pa | 0x61, m.pte(user, VA + 0x2000), "and the write dirties the page");

        cpu0.setWriteProtect(true);
        assertEquals(0x3, PageFaultSyndrome.errorCode(faultOf(cpu0, VA + 0x2000, Access.WRITE)), "supervisor write to read-only");
        assertEquals(pa, cpu0.translate(VA + 0x2000, Access.READ));
        // A user read-only page, written by the kernel, through a cached entry: still refused.
        m.map(user, VA, pa, Attr.PRESENT | Attr.USER);
        cpu0.translate(VA, Access.READ);
        assertEquals(0x3, PageFaultSyndrome.errorCode(faultOf(cpu0, VA, Access.WRITE)));
        cpu0.setWriteProtect(false);
        assertEquals(pa, cpu0.translate(VA, Access.WRITE));
    }

    @Test
    void aTlbEntryDoesNotWidenRights() {
        long pa = m.page();
        m.map(user, VA, pa, Attr.PRESENT | Attr.WRITE); // supervisor
        assertEquals(pa, cpu0.translate(VA, Access.WRITE));
        assertEquals(0x7, PageFaultSyndrome.errorCode(faultOf(cpu0, VA, Access.USER | Access.WRITE)), "cached kernel entry, user access");
        assertEquals(0x5, PageFaultSyndrome.errorCode(faultOf(cpu0, VA, Access.USER | Access.READ)));
    }

    // --- the TLB -----------------------------------------------------------------------------------

    @Test
    void hitsAndMissesAreCounted() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        m.map(user, VA + 0x1000, pa, RWU);
        long h = cpu0.tlbHits();
        long mi = cpu0.tlbMisses();
        cpu0.translate(VA, Access.USER | Access.READ);
        cpu0.translate(VA + 4, Access.USER | Access.READ);
        cpu0.translate(VA + 8, Access.USER | Access.READ);
        cpu0.translate(VA + 0x1000, Access.USER | Access.READ);
        assertEquals(mi + 2, cpu0.tlbMisses());
        assertEquals(h + 2, cpu0.tlbHits());
        // Two pages 64 pages apart share a slot of the direct-mapped TLB and evict each other.
        m.map(user, VA + 64 * 4096, pa, RWU);
        cpu0.translate(VA + 64 * 4096, Access.USER | Access.READ);
        cpu0.translate(VA, Access.USER | Access.READ);
        assertEquals(mi + 4, cpu0.tlbMisses());
    }

    @Test
    void aRemoveIsSeenThroughAPreviouslyCachedTranslation() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        assertEquals(pa, cpu0.translate(VA, Access.USER | Access.READ));
        long hits = cpu0.tlbHits();
        assertEquals(pa, cpu0.translate(VA, Access.USER | Access.READ));
        assertEquals(hits + 1, cpu0.tlbHits(), "the translation is cached");

        user.remove(VirtAddr.of(VA), VirtAddr.of(VA + 4096));
        assertEquals(0x4, PageFaultSyndrome.errorCode(faultOf(cpu0, VA, Access.USER | Access.READ)));
        assertEquals(hits + 1, cpu0.tlbHits(), "no hit on the stale entry");
    }

    @Test
    void aRemoveOfManyPagesFlushesEveryCpu() {
        long pa = m.page();
        user.switchTo(cpu1);
        for (int i = 0; i < 100; i++) {
            m.map(user, VA + i * 4096L, pa, RWU);
            cpu0.translate(VA + i * 4096L, Access.USER | Access.READ);
            cpu1.translate(VA + i * 4096L, Access.USER | Access.READ);
        }
        user.remove(VirtAddr.of(VA), VirtAddr.of(VA + 100 * 4096L));
        for (int i = 0; i < 100; i++) {
            assertEquals(Mmu.FAULT, cpu0.translate(VA + i * 4096L, Access.USER | Access.READ));
            assertEquals(Mmu.FAULT, cpu1.translate(VA + i * 4096L, Access.USER | Access.READ));
        }
    }

    @Test
    void anEnterReplacesACachedTranslationOnEveryCpu() {
        long a = m.page();
        long b = m.page();
        user.switchTo(cpu1);
        m.map(user, VA, a, RWU);
        assertEquals(a, cpu0.translate(VA, Access.USER | Access.READ));
        assertEquals(a, cpu1.translate(VA, Access.USER | Access.READ));
        m.map(user, VA, b, RWU);
        assertEquals(b, cpu0.translate(VA, Access.USER | Access.READ));
        assertEquals(b, cpu1.translate(VA, Access.USER | Access.READ));
        // Narrowed rights are seen too.
        m.map(user, VA, b, Attr.PRESENT | Attr.USER);
        assertEquals(0x7, PageFaultSyndrome.errorCode(faultOf(cpu1, VA, Access.USER | Access.WRITE)));
    }

    @Test
    void switchingAddressSpacesDropsTheOldTranslations() {
        I686Pmap other = m.user();
        long a = m.page();
        long b = m.page();
        m.map(user, VA, a, RWU);
        m.map(other, VA, b, RWU);
        assertEquals(a, cpu0.translate(VA, Access.USER | Access.READ));
        assertTrue(cpu0.tlbValidEntries() > 0);
        other.switchTo(cpu0);
        assertSame(other, cpu0.current());
        assertEquals(other.cr3(), cpu0.cr3());
        assertEquals(0, cpu0.tlbValidEntries(), "CR3 reload flushes");
        assertEquals(b, cpu0.translate(VA, Access.USER | Access.READ));
    }

    @Test
    void cpusHaveTheirOwnCr3AndTlb() {
        I686Pmap other = m.user();
        long a = m.page();
        long b = m.page();
        m.map(user, VA, a, RWU);
        m.map(other, VA, b, RWU);
        other.switchTo(cpu1);
        assertEquals(a, cpu0.translate(VA, Access.USER | Access.READ));
        assertEquals(b, cpu1.translate(VA, Access.USER | Access.READ));

        long hits1 = cpu1.tlbHits();
        long misses1 = cpu1.tlbMisses();
        cpu0.invalidate(VA);
        cpu0.flush();
        assertEquals(b, cpu1.translate(VA, Access.USER | Access.READ));
        assertEquals(hits1 + 1, cpu1.tlbHits(), "CPU 0's invalidations leave CPU 1's TLB alone");
        assertEquals(misses1, cpu1.tlbMisses());
        long misses0 = cpu0.tlbMisses();
        assertEquals(a, cpu0.translate(VA, Access.USER | Access.READ));
        assertEquals(misses0 + 1, cpu0.tlbMisses());
    }

    @Test
    void kernelChangesReachEveryCpuWhateverSpaceItRuns() {
        I686Pmap other = m.user();
        other.switchTo(cpu1);
        long a = m.page();
        long b = m.page();
        long kva = 0xc015_b000L + 0x10_0000L; // kernel heap slot 768: its table is shared
        m.map(m.kernel(), kva, a, Attr.PRESENT | Attr.WRITE);
        assertEquals(a, cpu0.translate(kva, Access.READ));
        assertEquals(a, cpu1.translate(kva, Access.READ));
        m.map(m.kernel(), kva, b, Attr.PRESENT | Attr.WRITE);
        assertEquals(b, cpu0.translate(kva, Access.READ));
        assertEquals(b, cpu1.translate(kva, Access.READ));
        m.kernel().remove(VirtAddr.of(kva), VirtAddr.of(kva + 4096));
        assertEquals(0x0, PageFaultSyndrome.errorCode(faultOf(cpu0, kva, Access.READ)));
        assertEquals(0x0, PageFaultSyndrome.errorCode(faultOf(cpu1, kva, Access.READ)));
    }

    // --- describeWalk --------------------------------------------------------------------------

    @Test
    void aWalkIsDescribedLevelByLevelWithoutSideEffects() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        long pte = m.pte(user, VA);
        String walk = cpu0.describeWalk(user, VA + 0x42);
        assertTrue(walk.contains(String.format("CR3 = 0x%08x", user.cr3())), walk);
        assertTrue(walk.contains(String.format("PDE[  32] at 0x%08x = 0x%08x  P R/W U", user.cr3() + 32 * 4, m.pde(user, VA))), walk);
        assertTrue(walk.contains(String.format("PTE[  72] at 0x%08x = 0x%08x  P R/W U", (m.pde(user, VA) & Paging.FRAME_MASK) + 72 * 4, pte)), walk);
        assertTrue(walk.contains(String.format("-> 0x%08x maps 0x%08x, user read/write", VA + 0x42, pa + 0x42)), walk);
        assertEquals(pte, m.pte(user, VA), "no A bit set by describing");

        assertTrue(cpu0.describeWalk(user, 0x7000_0000L).contains("no page table"));
        assertTrue(cpu0.describeWalk(user, VA + 0x1000).contains("page not present"));
        assertTrue(cpu0.describeWalk(m.kernel(), 0xc010_0000L).contains("supervisor read/write"));
    }

    // --- boundaries ------------------------------------------------------------------------------

    @Test
    void aCpuWithNoAddressSpaceIsABrokenInvariantAndForeignPmapsAreRefused() {
        I686Mmu fresh = new I686Mmu(9, m.cpu(0).common());
        assertEquals(-1, fresh.cr3());
        assertNull(fresh.current());
        assertThrows(IllegalStateException.class, () -> fresh.translate(0x1000, Access.READ));
        TestMachine other = new TestMachine(16L << 20, 1);
        assertThrows(IllegalArgumentException.class, () -> cpu0.describeWalk(other.kernel(), 0));
    }

    // --- shootdowns from another thread ----------------------------------------------------------

    /**
     * CPU 1 translates on its own thread while this thread remaps the page back and forth. Between
     * two completed remaps (an even sequence number seen before and after a translation), the
     * translation must give the latest frame: a shootdown must not let a stale entry survive.
     */
    @Test
    void shootdownsFromAnotherThreadLeaveNoStaleTranslation() throws InterruptedException {
        long[] frames = {m.page(), m.page()};
        user.switchTo(cpu1);
        m.map(user, VA, frames[0], RWU);
        AtomicLong seq = new AtomicLong(); // odd while a remap is under way
        AtomicLong expected = new AtomicLong(frames[0]);
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong checked = new AtomicLong();
        Thread cpuThread = new Thread(() -> {
            while (seq.get() < Long.MAX_VALUE && failure.get() == null && !Thread.currentThread().isInterrupted()) {
                long s1 = seq.get();
                long want = expected.get();
                long got = cpu1.translate(VA, Access.USER | Access.READ);
                long s2 = seq.get();
                if ((s1 & 1) == 0 && s1 == s2) {
                    checked.incrementAndGet();
                    if (got != want) {
                        failure.set(String.format("after remap %d got 0x%x, expected 0x%x", s1 / 2, got, want));
                    }
                }
            }
        }, "cpu1");
        cpuThread.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        try {
            for (int k = 1; k <= 20_000 && failure.get() == null && System.nanoTime() < deadline; k++) {
                seq.incrementAndGet();
                long f = frames[k & 1];
                m.map(user, VA, f, RWU);
                expected.set(f);
                seq.incrementAndGet();
                // Let the CPU check this remap (and race the next one) before going on.
                long before = checked.get();
                for (int spin = 0; checked.get() < before + 2 && spin < 100_000; spin++) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            cpuThread.interrupt();
            cpuThread.join(10_000);
        }
        assertNull(failure.get(), failure.get());
        assertTrue(checked.get() > 1000, "the CPU thread checked only " + checked.get() + " translations");
    }

    @Test
    void aMachineWithManyCpusBuildsOneMmuEach() {
        I686Hal hal = new I686Hal(new I686Architecture(), new MachineConfig(8L << 20, 4));
        assertEquals(4, hal.cpus());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, hal.mmu(i).id());
        }
    }
}
