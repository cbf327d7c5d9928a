package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;

/** The allocation-failure injector: what it fails, when, and that a failed allocation changes nothing. */
class AllocationFailuresTest {

    @Test
    void failAfterLetsNThroughFailsTheNextOnceThenTurnsOff() {
        AllocationFailures f = new AllocationFailures();
        assertFalse(f.failNext(), "off by default");
        f.failAfter(2);
        assertTrue(f.armed());
        assertFalse(f.failNext());
        assertFalse(f.failNext());
        assertTrue(f.failNext(), "the third allocation fails");
        assertFalse(f.armed());
        assertFalse(f.failNext(), "only once");
        assertEquals(3, f.consulted());
        assertEquals(1, f.injected());
    }

    @Test
    void failEveryAfterFailsEveryOneUntilOff() {
        AllocationFailures f = new AllocationFailures();
        f.failEveryAfter(1);
        assertFalse(f.failNext());
        assertTrue(f.failNext());
        assertTrue(f.failNext());
        assertEquals(2, f.injected());
        f.off();
        assertFalse(f.failNext());
    }

    @Test
    void countFailsNothingAndCountsEveryConsultation() {
        AllocationFailures f = new AllocationFailures();
        f.count();
        for (int i = 0; i < 5; i++) {
            assertFalse(f.failNext());
        }
        assertEquals(5, f.consulted());
        assertEquals(0, f.injected());
        assertThrows(IllegalArgumentException.class, () -> f.failAfter(-1));
    }

    @Test
    void anInjectedPageFailureLeavesTheAllocatorAsItWas() {
        for (PageAllocator pages : new PageAllocator[] {Bare.ia32(16 << 20, 1 << 20, 4096)}) {
            long free = pages.freeBytes();
            pages.failures().failAfter(1);
            int first = pages.allocFrame(4096, PageFlags.OWNER_APP);
            assertNotEquals(PageFrames.NONE, first);
            assertEquals(PageFrames.NONE, pages.allocFrame(4096, PageFlags.OWNER_APP), "the second allocation is failed");
            assertEquals(free - 4096, pages.freeBytes(), "the failed allocation took nothing");
            assertEquals(java.util.List.of(), pages.verify());
            assertNotEquals(PageFrames.NONE, pages.allocFrame(4096, PageFlags.OWNER_APP), "and the next one succeeds");
        }
    }
}
