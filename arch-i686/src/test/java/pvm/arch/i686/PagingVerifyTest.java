package pvm.arch.i686;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;

/**
 * The i686 checker against planted corruption: a healthy machine has no problem, and each kind of
 * damage (a kernel PDE that differs, a table in a frame not marked as one, a PTE on a free frame,
 * a TLB entry the tables no longer give) is reported, naming where it is.
 */
class PagingVerifyTest {

    private static final long VA = 0x4000_0000L;
    private static final int USER_RW = Attr.PRESENT | Attr.USER | Attr.WRITE;

    private TestMachine m;
    private I686Pmap user;
    private long page;

    @BeforeEach
    void healthyMachineWithOneUserPage() {
        m = new TestMachine();
        user = (I686Pmap) m.hal.create(m.kernel(), m.alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE));
        page = m.page();
        m.map(user, VA, page, USER_RW);
        user.switchTo(m.cpu(0));
        assertEquals(page, m.cpu(0).translate(VA, Access.USER | Access.WRITE), "the store fills the TLB");
        assertEquals(List.of(), verify(), "a healthy machine");
    }

    private List<String> verify() {
        return m.hal.verify(m.kernel(), List.of(user));
    }

    private void assertReports(String what) {
        List<String> problems = verify();
        assertTrue(problems.stream().anyMatch(p -> p.contains(what)), "expected a problem with '" + what + "', got " + problems);
    }

    /** Writes an entry as {@code _pmap_enter} does, but shoots nothing down: the TLBs keep what they cached. */
    private void enterWithoutShootdown(long pa, long va, int attr) {
        user.common().lock.lock();
        try {
            user.enterLocked(pa, va, attr, -1, false);
        } finally {
            user.common().lock.unlock();
        }
    }

    @Test
    void aKernelPdeThatDiffersFromTheKernelsIsReported() {
        int slot = Paging.KERNEL_SLOT + 1;
        m.memory().write32(user.cr3() + slot * 4L, m.page() | Paging.PTHD);
        assertReports("PDE " + slot + " (0xc0400000)");
    }

    @Test
    void theAccessedBitOfACopiedKernelPdeIsNoDifference() {
        long pde = m.pde(user, Paging.VADDR_KERNEL);
        m.memory().write32(user.cr3() + Paging.KERNEL_SLOT * 4L, pde | Paging.A);
        assertEquals(List.of(), verify());
    }

    @Test
    void aPageTableInAFrameNotMarkedAsOneIsReported() {
        long table = m.pde(user, VA) & Paging.FRAME_MASK;
        m.frames().setFlags(m.frames().find(table), PageFlags.OWNER_APP);
        assertReports(String.format("page table of 0x%08x at 0x%08x is in a frame marked app", VA, table));
    }

    @Test
    void aPageDirectoryInAFreeFrameIsReported() {
        m.frames().markFree(m.frames().find(user.cr3()), 1);
        assertReports(String.format("page directory at 0x%08x is in a frame marked free", user.cr3()));
    }

    @Test
    void aPresentEntryOnAFreeFrameIsReported() {
        m.frames().markFree(m.frames().find(page), 1);
        assertReports(String.format("page 0x%08x maps a free frame, 0x%08x", VA, page));
    }

    @Test
    void entriesOnMemoryThePageAllocatorDoesNotManageAreDevicesNotProblems() {
        m.map(user, VA + 0x1000, 0xfec0_0000L, USER_RW | Attr.DEVICE); // the I/O APIC
        assertEquals(PageFrames.NONE, m.frames().find(0xfec0_0000L));
        assertEquals(List.of(), verify());
    }

    @Test
    void aTlbEntryForAPageTheTablesNoLongerMapIsReported() {
        enterWithoutShootdown(0, VA, 0); // a PTE cleared without a shootdown
        assertReports(String.format("CPU 0: the TLB caches 0x%08x -> 0x%08x, but the tables map nothing there", VA, page));
    }

    @Test
    void aTlbEntryForAnotherFrameIsReported() {
        long other = m.page();
        enterWithoutShootdown(other, VA, USER_RW);
        assertReports(String.format("but the tables map 0x%08x", other));
    }

    @Test
    void aTlbEntryWithWriteRightsTheTablesTookAwayIsReported() {
        enterWithoutShootdown(page, VA, Attr.PRESENT | Attr.USER);
        assertReports("the tables no longer allow writes");
    }

    @Test
    void aShotDownChangeLeavesNoStaleEntry() {
        m.map(user, VA, m.page(), Attr.PRESENT | Attr.USER);
        assertEquals(List.of(), verify());
    }

    @Test
    void aCpuRunningAnAddressSpaceThatIsNoLongerLiveIsReported() {
        I686Pmap gone = (I686Pmap) m.hal.create(m.kernel(), m.alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE));
        gone.switchTo(m.cpu(1));
        assertReports(String.format("CPU 1: CR3 holds 0x%08x, the directory of no live address space", gone.cr3()));
    }
}
