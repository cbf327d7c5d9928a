package pvm.arch.riscv64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.PageFlags;

/**
 * The riscv64 checker against planted corruption: a healthy machine has no problem, and each kind
 * of damage (a kernel root entry that differs, a table in a frame not marked as one, a leaf on a
 * free frame, a superpage in the user part, a TLB entry the tables no longer give) is reported.
 */
class Sv39VerifyTest {

    private static final long VA = 0x4000_0000L;
    private static final int USER_RW = Attr.PRESENT | Attr.USER | Attr.WRITE;
    private static final int KERNEL_ENTRY = Sv39.index(Sv39.VADDR_KERNEL, 2);

    private TestMachine m;
    private Riscv64Pmap user;
    private long page;

    @BeforeEach
    void healthyMachineWithOneUserPage() {
        m = new TestMachine();
        user = (Riscv64Pmap) m.hal.create(m.kernel(), m.alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE));
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

    private long root(int i) {
        return user.root().value() + (long) i * Sv39.PTE_SIZE;
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
    void aKernelRootEntryThatDiffersFromTheKernelsIsReported() {
        m.memory().write64(root(KERNEL_ENTRY), 0);
        assertReports("root entry " + KERNEL_ENTRY + " is 0x0000000000000000");
    }

    @Test
    void theDeviceTreeEntryIsSharedToo() {
        m.memory().write64(root(Sv39.ENTRIES - 1), 0);
        assertReports("root entry " + (Sv39.ENTRIES - 1));
    }

    @Test
    void aLevel0TableInAFrameNotMarkedAsOneIsReported() {
        long l1 = Sv39.addr(m.memory().read64(root(Sv39.index(VA, 2))));
        long l0 = Sv39.addr(m.memory().read64(l1 + (long) Sv39.index(VA, 1) * Sv39.PTE_SIZE));
        m.frames().setFlags(m.frames().find(l0), PageFlags.OWNER_APP);
        assertReports(String.format("level-0 table of 0x%010x at 0x%x is in a frame marked app", VA, l0));
    }

    @Test
    void aRootTableInAFreeFrameIsReported() {
        m.frames().markFree(m.frames().find(user.root().value()), 1);
        assertReports("root table at 0x" + Long.toHexString(user.root().value()) + " is in a frame marked free");
    }

    @Test
    void aValidLeafOnAFreeFrameIsReported() {
        m.frames().markFree(m.frames().find(page), 1);
        assertReports(String.format("page 0x%010x maps a free frame, 0x%x", VA, page));
    }

    @Test
    void aSuperpageInTheUserPartIsReported() {
        m.memory().write64(root(3), Sv39.pte(0x8000_0000L, Sv39.ENTERED | Sv39.R | Sv39.U));
        assertReports("a level-2 superpage maps 0x00c0000000");
    }

    @Test
    void aTlbEntryForAPageTheTablesNoLongerMapIsReported() {
        enterWithoutShootdown(0, VA, 0); // a leaf cleared without an sfence.vma
        assertReports(String.format("hart 0: the TLB caches 0x%010x -> 0x%x, but the tables map nothing there", VA, page));
    }

    @Test
    void aTlbEntryForAnotherFrameIsReported() {
        long other = m.page();
        enterWithoutShootdown(other, VA, USER_RW);
        assertReports(String.format("but the tables map 0x%x", other));
    }

    @Test
    void aTlbEntryWithWriteRightsTheLeafLacksIsReported() {
        enterWithoutShootdown(page, VA, Attr.PRESENT | Attr.USER);
        assertReports("the leaf no longer grants every right cached");
    }

    @Test
    void aFencedChangeLeavesNoStaleEntry() {
        m.map(user, VA, m.page(), Attr.PRESENT | Attr.USER);
        assertEquals(List.of(), verify());
    }

    @Test
    void aCpuRunningAnAddressSpaceThatIsNoLongerLiveIsReported() {
        Riscv64Pmap gone = (Riscv64Pmap) m.hal.create(m.kernel(), m.alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE));
        gone.switchTo(m.cpu(1));
        assertReports(String.format("hart 1: satp holds 0x%016x, the root of no live address space", gone.satp()));
    }
}
