package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;

/**
 * Addresses and list contents as Phoenix's {@code vm/page.c} gives them on a bare 128 MiB machine
 * whose first 2 MiB the kernel holds. Expected values come from reading the C code: the free blocks
 * start as one each of 2, 4, 8, 16, 32 and 64 MiB ({@code _page_initSizes} bounds each by its
 * address's alignment); a split lists the left half before the right and allocation takes the head.
 */
class BuddyAllocationOrderTest {

    private static final long MIB = 1L << 20;
    private static final int APP = PageFlags.OWNER_APP;

    private static final List<String> INITIAL = List.of(
            "order 21: 1 free", "order 22: 1 free", "order 23: 1 free",
            "order 24: 1 free", "order 25: 1 free", "order 26: 1 free");

    private final BuddyPageAllocator pages = Bare.ia32(128 * MIB, 2 * MIB, 4096);

    private long alloc(long size) {
        int f = pages.allocFrame(size, APP);
        assertNotEquals(PageFrames.NONE, f, "allocation of " + size + " failed");
        assertEquals(List.of(), pages.verify());
        return pages.frames().addr(f);
    }

    private void free(long addr) {
        assertEquals(Errno.EOK, pages.freeFrame(pages.frames().find(addr)));
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void startsWithOneBlockOfEachSizeFrom2To64MiB() {
        assertEquals(INITIAL, pages.freeLists());
        assertEquals(128 * MIB, pages.totalBytes());
        assertEquals(2 * MIB, pages.allocatedBytes());
        assertEquals(126 * MIB, pages.freeBytes());
        assertEquals(0, pages.bootBytes(), "the reserve is the kernel's, not the loader's");
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void firstPagesComeFromSplittingThe2MiBBlockLeftHalfFirst() {
        assertEquals(0x0020_0000L, alloc(4096));
        // The split left 0x201000 on the 4 KiB list and one block of each order 13..20 above it.
        List<String> expected = new ArrayList<>();
        for (int order = 12; order <= 20; order++) {
            expected.add("order " + order + ": 1 free");
        }
        for (int order = 22; order <= 26; order++) {
            expected.add("order " + order + ": 1 free");
        }
        assertEquals(expected, pages.freeLists());
        assertEquals(0x0020_1000L, alloc(4096));
        assertEquals(0x0020_2000L, alloc(8192));
        assertEquals(0x0020_4000L, alloc(1));       // below a page rounds up to a page
        assertEquals(0x0020_5000L, alloc(4096));
        assertEquals(0x0020_8000L, alloc(5000 * 4)); // 20000 bytes round up to 32 KiB
        assertEquals(2 * MIB + 6 * 4096 + 32768, pages.allocatedBytes());
    }

    @Test
    void twoMiBAllocationsSplitTheNextLargerBlock() {
        assertEquals(0x0020_0000L, alloc(2 * MIB)); // the 2 MiB block itself
        assertEquals(0x0040_0000L, alloc(2 * MIB)); // halves of the 4 MiB block
        assertEquals(0x0060_0000L, alloc(2 * MIB));
        assertEquals(0x0080_0000L, alloc(2 * MIB)); // the 8 MiB block, split twice
        assertEquals(0x0400_0000L, alloc(64 * MIB));
        assertEquals(List.of("order 21: 1 free", "order 22: 1 free", "order 24: 1 free", "order 25: 1 free"),
                pages.freeLists());
    }

    @Test
    void aFreedBlockQueuesBehindTheBlocksAlreadyOnItsList() {
        long a = alloc(4096);
        alloc(4096);
        assertEquals(0x0020_2000L, alloc(4096)); // leaves 0x203000 on the 4 KiB list
        free(a);                                  // its buddy is taken: appended after 0x203000
        assertEquals(0x0020_3000L, alloc(4096));
        assertEquals(0x0020_0000L, alloc(4096));
    }

    @Test
    void freeingEverythingCoalescesBackToTheSixInitialBlocks() {
        List<Long> taken = new ArrayList<>();
        long[] sizes = {4096, 8192, 4096, 65536, 2 * MIB, 4096, 12288, MIB, 4096, 32 * MIB};
        for (long s : sizes) {
            taken.add(alloc(s));
        }
        // free in an order that needs merges on both sides
        int[] order = {3, 0, 9, 5, 1, 7, 2, 8, 6, 4};
        for (int i : order) {
            free(taken.get(i));
        }
        assertEquals(INITIAL, pages.freeLists());
        assertEquals(2 * MIB, pages.allocatedBytes());
    }

    @Test
    void aFreedPageMergesWithItsLeftBuddyThenOnUpwards() {
        long a = alloc(4096);
        long b = alloc(4096);
        free(a);
        assertTrue(pages.freeLists().contains("order 12: 1 free"));
        free(b); // right half: merges with a to the left, then 0x200000 grows to the right up to 2 MiB
        assertEquals(INITIAL, pages.freeLists());
    }

    /** Pages 0x200000..0x203000 freed in the order 0, 1, 2, 3: the case Phoenix's free does not merge. */
    private static List<String> freeFourPagesInOrder(BuddyPageAllocator p) {
        int[] f = new int[4];
        for (int i = 0; i < 4; i++) {
            f[i] = p.allocFrame(4096, APP);
            assertEquals(0x0020_0000L + i * 4096L, p.frames().addr(f[i]));
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(Errno.EOK, p.freeFrame(f[i]));
        }
        return p.freeLists();
    }

    @Test
    void completeCoalescingMergesTheRightHandBlockWithItsLeftBuddy() {
        assertEquals(INITIAL, freeFourPagesInOrder(pages));
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void phoenixCoalescingLeavesTwoFreeBuddiesAfterAMergedRightHandBlock() {
        BuddyPageAllocator phoenix = Bare.ia32(128 * MIB, 2 * MIB, 4096, Coalescing.PHOENIX);
        List<String> expected = new ArrayList<>();
        expected.add("order 13: 2 free"); // 0x200000 and 0x202000, buddies, not merged
        for (int order = 14; order <= 20; order++) {
            expected.add("order " + order + ": 1 free");
        }
        for (int order = 22; order <= 26; order++) {
            expected.add("order " + order + ": 1 free");
        }
        assertEquals(expected, freeFourPagesInOrder(phoenix));
        assertEquals(List.of(), phoenix.verify(), "the lists are consistent, only not maximal");
        // the checker's merge rule does see the difference
        phoenix.lock.lock();
        try {
            assertEquals(List.of("free buddies of order 13 at 0x00200000 and 0x00202000 were not merged"),
                    BuddyInvariants.check(phoenix, phoenix.frames(), Coalescing.COMPLETE));
        } finally {
            phoenix.lock.unlock();
        }
    }

    @Test
    void phoenixCoalescingMergesFullyWhenTheLeftSideIsFreedLast() {
        BuddyPageAllocator phoenix = Bare.ia32(128 * MIB, 2 * MIB, 4096, Coalescing.PHOENIX);
        int[] f = new int[4];
        for (int i = 0; i < 4; i++) {
            f[i] = phoenix.allocFrame(4096, APP);
        }
        for (int i : new int[] {2, 3, 0, 1}) {
            assertEquals(Errno.EOK, phoenix.freeFrame(f[i]));
        }
        assertEquals(INITIAL, phoenix.freeLists());
    }

    @Test
    void allocationMarksEveryPageOfTheBlockAndFreeUnmarksThem() {
        int f = pages.allocFrame(16384, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_STACK);
        PageFrames frames = pages.frames();
        for (int i = f; i < f + 4; i++) {
            assertEquals(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_STACK, frames.flags(i));
            assertEquals('S', Markers.ia32(frames.flags(i)));
        }
        assertEquals(14, frames.idx(f));
        assertEquals(Errno.EOK, pages.freeFrame(f));
        for (int i = f; i < f + 4; i++) {
            assertTrue(frames.isFree(i));
        }
    }

    @Test
    void reusedPagesKeepTheirEarlierOwnerBitsAsInPhoenix() {
        int f = pages.allocFrame(4096, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
        assertEquals(Errno.EOK, pages.freeFrame(f));
        // 0x200000 merged back; the next page allocation is 0x200000 again
        int g = pages.allocFrame(4096, PageFlags.OWNER_APP);
        assertEquals(f, g);
        // PTABLE (0x32) | APP (0x04): owner bits 3, the ia32 row of U
        assertEquals(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE | PageFlags.OWNER_APP, pages.frames().flags(g));
        assertEquals('U', Markers.ia32(pages.frames().flags(g)));
    }

    @Test
    void theBareMapPrintsTheReserveAndTheFreePages() {
        assertEquals(List.of("vm: [512K][32256.]"), pages.showPages());
        PageInfo info = pages.info();
        assertEquals(new PageInfo(2 * MIB, 126 * MIB, 0, 16,
                List.of(new PageRun(0, 512, 'K'), new PageRun(0x20_0000, 32256, '.'))), info);
    }

    @Test
    void aBareAllocatorWithoutReserveStartsWithOneBlockFromAddressZero() {
        // hal_cpuGetFirstBit(0) is 0, which bounds nothing: the whole run becomes one block
        BuddyPageAllocator all = Bare.ia32(128 * MIB, 0, 4096);
        assertEquals(List.of("order 27: 1 free"), all.freeLists());
        BuddyPageAllocator odd = Bare.ia32(96 * MIB, 0, 4096);
        assertEquals(List.of("order 25: 1 free", "order 26: 1 free"), odd.freeLists());
        assertEquals(List.of(), odd.verify());
    }
}
