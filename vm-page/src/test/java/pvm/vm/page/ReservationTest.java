package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;

/** Reservations (commitments) and the reclaim hook: beyond Phoenix, for SerenityOS's policies. */
class ReservationTest {

    private static final long MIB = 1L << 20;
    private static final int PAGE = 4096;

    private final BuddyPageAllocator pages = Bare.ia32(16 * MIB, 2 * MIB, PAGE);

    /** Allocates single pages until none is left; their frames. */
    private List<Integer> drain(int flags) {
        List<Integer> got = new ArrayList<>();
        for (int f = pages.allocFrame(PAGE, flags); f != PageFrames.NONE; f = pages.allocFrame(PAGE, flags)) {
            got.add(f);
        }
        return got;
    }

    @Test
    void reservedPagesAreLeftAloneByEveryAllocation() {
        long free = pages.freeBytes();
        assertTrue(pages.reserve(8L * PAGE));
        assertEquals(8L * PAGE, pages.reservedBytes());
        drain(PageFlags.OWNER_APP);
        assertEquals(8L * PAGE, pages.freeBytes(), "the reserved pages are still free");
        assertEquals(PageFrames.NONE, pages.allocFrame(PAGE, PageFlags.OWNER_KERNEL), "kernel allocations respect it too");
        pages.unreserve(PAGE);
        assertNotEquals(PageFrames.NONE, pages.allocFrame(PAGE, PageFlags.OWNER_APP), "a page given back can be allocated");
        assertEquals(List.of(), pages.verify());
        assertTrue(free > 0);
    }

    @Test
    void aReservationBeyondTheFreePagesIsRefusedAndChangesNothing() {
        assertFalse(pages.reserve(pages.freeBytes() + PAGE));
        assertEquals(0L, pages.reservedBytes());
        assertTrue(pages.reserve(pages.freeBytes()));
        assertFalse(pages.reserve(PAGE));
        assertThrows(IllegalStateException.class, () -> pages.unreserve(pages.reservedBytes() + 1));
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void aBlockLargerThanAskedMayNotEatIntoTheReservation() {
        List<Integer> held = drain(PageFlags.OWNER_APP);
        // Free 4 pages of one 16 KiB block; reserve 2: a 3-page request (a 4-page block) must fail.
        int head = -1;
        for (int f : held) {
            if (pages.frames().addr(f) % (4L * PAGE) == 0 && held.contains(f + 1) && held.contains(f + 2) && held.contains(f + 3)) {
                head = f;
                break;
            }
        }
        for (int i = 0; i < 4; i++) {
            pages.freeFrame(head + i);
        }
        int block = pages.allocFrame(3L * PAGE, PageFlags.OWNER_APP);
        assertNotEquals(PageFrames.NONE, block, "without a reservation the 16 KiB block is handed out");
        pages.freeFrame(block);
        assertTrue(pages.reserve(2L * PAGE));
        assertEquals(PageFrames.NONE, pages.allocFrame(3L * PAGE, PageFlags.OWNER_APP));
        assertEquals(4L * PAGE, pages.freeBytes());
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void theReclaimerIsAskedOnceBeforeAnApplicationPageIsRefused() {
        List<Integer> held = drain(PageFlags.OWNER_APP);
        int[] calls = {0};
        pages.setReclaimer(bytes -> {
            calls[0]++;
            pages.freeFrame(held.removeLast());
            return PAGE;
        });
        assertEquals(PageFrames.NONE, pages.allocFrame(PAGE, PageFlags.OWNER_KERNEL), "kernel allocations never wait on it");
        assertEquals(0, calls[0]);
        assertNotEquals(PageFrames.NONE, pages.allocFrame(PAGE, PageFlags.OWNER_APP));
        assertEquals(1, calls[0]);
        pages.setReclaimer(bytes -> 0);
        assertEquals(PageFrames.NONE, pages.allocFrame(PAGE, PageFlags.OWNER_APP), "a reclaimer that frees nothing changes nothing");
        assertEquals(List.of(), pages.verify());
    }
}
