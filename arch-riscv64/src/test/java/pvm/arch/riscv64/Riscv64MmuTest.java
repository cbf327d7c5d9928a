package pvm.arch.riscv64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VirtAddr;

class Riscv64MmuTest {

    private static final int RWU = Attr.PRESENT | Attr.WRITE | Attr.USER;
    private static final int RU = Attr.PRESENT | Attr.USER;
    private static final long VA = 0x1_0004_8000L;
    private static final int LOAD = Access.USER | Access.READ;
    private static final int STORE = Access.USER | Access.WRITE;
    private static final int FETCH = Access.USER | Access.EXEC;

    private final TestMachine m = new TestMachine(64L << 20, 2);
    private final Riscv64Pmap user = m.user();
    private final Riscv64Mmu cpu0 = m.cpu(0);
    private final Riscv64Mmu cpu1 = m.cpu(1);

    Riscv64MmuTest() {
        user.switchTo(cpu0);
    }

    /** The access must fault with {@code scause} and {@code stval} as the privileged specification says. */
    private Fault faultOf(Riscv64Mmu cpu, long va, int access, int scause) {
        assertEquals(Mmu.FAULT, cpu.translate(va, access), String.format("%s at 0x%x must fault", Access.describe(access), va));
        Fault f = cpu.lastFault();
        assertEquals(scause, cpu.scause(), "scause");
        assertEquals(va, cpu.stval(), "stval");
        assertEquals(va, f.address());
        assertEquals(access, f.access());
        assertEquals(scause, ((ScauseSyndrome) f.syndrome()).scause(), "the fault carries scause in its syndrome");
        return f;
    }

    // --- the walk and A/D ----------------------------------------------------------------------

    @Test
    void theWalkGoesThroughThreeLevelsInRam() {
        long pa = m.page();
        assertEquals(2, m.map(user, VA, pa, RWU), "a fresh gigabyte needs a level-1 and a level-0 table");
        long l2 = m.entry(user, VA, 2);
        long l1 = m.entry(user, VA, 1);
        assertEquals(Sv39.V, l2 & 0x3ff, "a non-leaf entry has only V: R, W and X clear");
        assertEquals(Sv39.V, l1 & 0x3ff);
        assertEquals(Sv39.pte(pa, 0xd7), m.pte(user, VA), "leaf: 0xc1 | R W U, the writable page readable too");
        assertEquals(pa + 0x123, cpu0.translate(VA + 0x123, LOAD));
        assertEquals(pa + 0x456, cpu0.translate(VA + 0x456, STORE));
    }

    @Test
    void entryWritesAAndDSoTheWalkNeverNeedsTo() {
        long pa = m.page();
        m.map(user, VA, pa, RU);
        long pte = m.pte(user, VA);
        assertEquals(Sv39.A | Sv39.D, pte & (Sv39.A | Sv39.D), "pmap_enter writes 0xc1 | attr");
        cpu0.setAccessedDirtyFaults(true); // Svade: would fault if either were clear
        assertEquals(pa, cpu0.translate(VA, LOAD));
        assertEquals(pte, m.pte(user, VA), "the walk wrote nothing");
    }

    @Test
    void theWalkSetsAOnALoadAndDOnAStoreInRam() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        long bare = m.pte(user, VA) & ~(Sv39.A | Sv39.D);
        long pteAddr = Sv39.addr(m.entry(user, VA, 1)) + (long) Sv39.index(VA, 0) * 8;
        m.memory().write64(pteAddr, bare);
        cpu0.flush();

        assertEquals(pa, cpu0.translate(VA, LOAD));
        assertEquals(bare | Sv39.A, m.pte(user, VA), "A set by the load, D not yet");
        long misses = cpu0.tlbMisses();
        assertEquals(pa + 8, cpu0.translate(VA + 8, STORE));
        assertEquals(misses + 1, cpu0.tlbMisses(), "a store through an entry cached without D walks again");
        assertEquals(bare | Sv39.A | Sv39.D, m.pte(user, VA), "D set by the store");
        long hits = cpu0.tlbHits();
        cpu0.translate(VA + 16, STORE);
        assertEquals(hits + 1, cpu0.tlbHits(), "later stores hit");
    }

    @Test
    void underSvadeAClearAOrDFaultsInsteadOfBeingSet() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        long pteAddr = Sv39.addr(m.entry(user, VA, 1)) + (long) Sv39.index(VA, 0) * 8;
        m.memory().write64(pteAddr, m.pte(user, VA) & ~Sv39.D);
        cpu0.flush();
        cpu0.setAccessedDirtyFaults(true);
        assertEquals(pa, cpu0.translate(VA, LOAD), "A is set: loads go through");
        Fault f = faultOf(cpu0, VA, STORE, Scause.STORE_PAGE_FAULT);
        assertTrue(f.cause().contains("D clear"), f.cause());
        assertEquals(0, m.pte(user, VA) & Sv39.D, "nothing written");
    }

    // --- every fault cause ---------------------------------------------------------------------

    @Test
    void aMissingPageFaultsWithTheCauseOfTheAccess() {
        faultOf(cpu0, VA, LOAD, 13);
        faultOf(cpu0, VA, STORE, 15);
        faultOf(cpu0, VA, FETCH, 12);
        assertTrue(cpu0.lastFault().cause().startsWith("instruction page fault: level-2 entry invalid"), cpu0.lastFault().cause());
        m.map(user, VA, m.page(), RU);
        Fault f = faultOf(cpu0, VA + (4L << 20), LOAD, 13);
        assertTrue(f.cause().contains("level-1 entry invalid"), f.cause());
        f = faultOf(cpu0, VA + 4096, LOAD, 13);
        assertTrue(f.cause().contains("level-0 entry invalid"), f.cause());
    }

    @Test
    void rightsAreCheckedPerAccess() {
        m.map(user, VA, m.page(), RU);
        assertNotEquals(Mmu.FAULT, cpu0.translate(VA, LOAD));
        assertTrue(faultOf(cpu0, VA, STORE, 15).cause().contains("W clear"));
        assertTrue(faultOf(cpu0, VA, FETCH, 12).cause().contains("X clear"));
        m.map(user, VA, m.page(), RU | Attr.EXEC);
        assertNotEquals(Mmu.FAULT, cpu0.translate(VA, FETCH));
    }

    @Test
    void userModeNeedsUAndSupervisorModeNeedsSumForUserPages() {
        long kva = m.init.heapStart().value();
        Fault f = faultOf(cpu0, kva, LOAD, 13);
        assertTrue(f.cause().contains("U clear"), f.cause());
        assertNotEquals(Mmu.FAULT, cpu0.translate(kva, Access.WRITE), "the kernel's own heap");

        m.map(user, VA, m.page(), RWU | Attr.EXEC);
        assertNotEquals(Mmu.FAULT, cpu0.translate(VA, Access.READ), "SUM set: the kernel reads user pages");
        faultOf(cpu0, VA, Access.EXEC, 12); // never executes them
        cpu0.setSum(false);
        faultOf(cpu0, VA, Access.READ, 13);
        faultOf(cpu0, VA, Access.WRITE, 15);
    }

    @Test
    void nonCanonicalAddressesFaultBeforeAnyWalk() {
        long misses = cpu0.tlbMisses();
        faultOf(cpu0, 1L << 38, LOAD, 13);
        faultOf(cpu0, 0x8000_0000_0000_0000L, STORE, 15);
        faultOf(cpu0, 0x0000_ff00_0000_0000L, FETCH, 12);
        assertEquals(misses, cpu0.tlbMisses(), "no walk");
        assertTrue(cpu0.lastFault().cause().contains("not canonical"));
    }

    @Test
    void theUpperHalfIsReachableThroughEntry511() {
        long dtb = VirtBoard.dtbAddress(64L << 20);
        long va = Sv39.VADDR_DTB + (dtb & (Sv39.GIGA - 1));
        assertEquals(dtb, cpu0.translate(va, Access.READ), "the device tree's gigapage, shared by pmap_create");
        faultOf(cpu0, va, LOAD, 13); // supervisor only
        faultOf(cpu0, va, Access.WRITE, 15); // read-only
    }

    @Test
    void malformedEntriesFault() {
        m.map(user, VA, m.page(), RWU);
        long pteAddr = Sv39.addr(m.entry(user, VA, 1)) + (long) Sv39.index(VA, 0) * 8;
        long good = m.pte(user, VA);
        m.memory().write64(pteAddr, (good & ~Sv39.R) | Sv39.W);
        cpu0.flush();
        assertTrue(faultOf(cpu0, VA, LOAD, 13).cause().contains("W without R"));
        m.memory().write64(pteAddr, good | (1L << 60));
        assertTrue(faultOf(cpu0, VA, LOAD, 13).cause().contains("reserved"));
        m.memory().write64(pteAddr, good & ~(Sv39.R | Sv39.W | Sv39.X));
        assertTrue(faultOf(cpu0, VA, LOAD, 13).cause().contains("level-0 entry points at a further table"));
        // A 2 MiB superpage whose PPN is not 2 MiB aligned.
        long l1Addr = Sv39.addr(m.entry(user, VA, 2)) + (long) Sv39.index(VA, 1) * 8;
        m.memory().write64(l1Addr, Sv39.pte(VirtBoard.KERNEL_START + 4096, 0xd7));
        cpu0.flush();
        assertTrue(faultOf(cpu0, VA, LOAD, 13).cause().contains("misaligned superpage"));
        m.memory().write64(l1Addr, Sv39.pte(VirtBoard.KERNEL_START, 0xd7));
        assertEquals(VirtBoard.KERNEL_START + (VA & (Sv39.MEGA - 1)), cpu0.translate(VA, LOAD), "an aligned one maps");
    }

    @Test
    void everyHartBootsOnPdir2WithSv39AndNoAsid() {
        TestMachine fresh = new TestMachine(16L << 20, 1);
        Riscv64Mmu cpu = fresh.cpu(0);
        assertEquals(Sv39.satp(VirtBoard.phys(VirtBoard.PDIR2)), cpu.satp(), "every hart boots on pdir2");
        assertEquals(8L, cpu.satp() >>> 60, "MODE Sv39");
        assertEquals(0, (cpu.satp() >>> 44) & 0xffff, "ASID 0");
    }

    // --- the TLB and sfence.vma ------------------------------------------------------------------

    @Test
    void theTlbCountsHitsAndMisses() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        long hits = cpu0.tlbHits();
        long misses = cpu0.tlbMisses();
        cpu0.translate(VA, LOAD);
        cpu0.translate(VA + 4, LOAD);
        cpu0.translate(VA + 8, STORE);
        assertEquals(misses + 1, cpu0.tlbMisses());
        assertEquals(hits + 2, cpu0.tlbHits());
        assertEquals(1, cpu0.tlbValidEntries());
    }

    @Test
    void enterAndRemoveFenceEveryHart() {
        long a = m.page();
        long b = m.page();
        m.map(user, VA, a, RWU);
        user.switchTo(cpu1);
        assertEquals(a, cpu0.translate(VA, LOAD));
        assertEquals(a, cpu1.translate(VA, LOAD));
        m.map(user, VA, b, RWU);
        assertEquals(b, cpu0.translate(VA, LOAD), "no stale translation after pmap_enter");
        assertEquals(b, cpu1.translate(VA, LOAD), "nor on the other hart");
        user.remove(VirtAddr.of(VA), VirtAddr.of(VA + 4096));
        faultOf(cpu0, VA, LOAD, 13);
        faultOf(cpu1, VA, LOAD, 13);
    }

    @Test
    void mprotectToReadOnlyTakesEffectAtOnce() {
        long pa = m.page();
        m.map(user, VA, pa, RWU);
        assertEquals(pa, cpu0.translate(VA, STORE));
        m.map(user, VA, pa, RU);
        faultOf(cpu0, VA, STORE, 15);
    }

    @Test
    void aSwitchFlushesTheWholeTlbForThereIsNoAsid() {
        Riscv64Pmap other = m.user();
        long a = m.page();
        long b = m.page();
        m.map(user, VA, a, RWU);
        m.map(other, VA, b, RWU);
        assertEquals(a, cpu0.translate(VA, LOAD));
        other.switchTo(cpu0);
        assertEquals(0, cpu0.tlbValidEntries(), "csrw satp; sfence.vma");
        assertEquals(Sv39.satp(other.root().value()), cpu0.satp());
        assertEquals(b, cpu0.translate(VA, LOAD));
        user.switchTo(cpu0);
        assertEquals(a, cpu0.translate(VA, LOAD));
    }

    @Test
    void aLargeRemoveFlushesInsteadOfFencingEachPage() {
        for (int i = 0; i < Tlb.ENTRIES + 8; i++) {
            m.map(user, VA + (long) i * 4096, m.page(), RWU);
            cpu0.translate(VA + (long) i * 4096, LOAD);
        }
        assertTrue(cpu0.tlbValidEntries() > 0);
        user.remove(VirtAddr.of(VA), VirtAddr.of(VA + (Tlb.ENTRIES + 8) * 4096L));
        assertEquals(0, cpu0.tlbValidEntries());
    }

    // --- Phoenix's reading of the syndrome ----------------------------------------------------

    @Test
    void faultTypeIsPhoenixsReadingOfScause() {
        assertEquals(Prot.READ | Prot.USER, Scause.faultType(13, true));
        assertEquals(Prot.READ | Prot.WRITE | Prot.USER, Scause.faultType(15, true));
        assertEquals(Prot.READ | Prot.EXEC, Scause.faultType(12, false));
        assertEquals(Prot.READ, Scause.faultType(13, false));
        assertEquals(12, Scause.of(Access.EXEC | Access.USER));
        assertEquals("store/AMO page fault", Scause.name(15));
    }

    @Test
    void foreignSpacesAreRefused() {
        TestMachine other = new TestMachine(16L << 20, 1);
        assertThrows(IllegalArgumentException.class, () -> other.kernel().switchTo(cpu0));
        assertThrows(IllegalArgumentException.class, () -> cpu0.describeWalk(other.kernel(), VA));
        assertThrows(IllegalArgumentException.class, () -> new Riscv64Hal(new Riscv64Architecture(), new MachineConfig(4L << 20, 1)));
    }
}
