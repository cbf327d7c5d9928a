package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/** Bad frees and impossible allocations are refused and change nothing (Phoenix hangs or corrupts). */
class BuddyErrorsTest {

    private static final long MIB = 1L << 20;
    private static final int APP = PageFlags.OWNER_APP;

    private final BuddyPageAllocator pages = Bare.ia32(128 * MIB, 2 * MIB, 4096);

    /** Everything observable about the allocator, to compare before and after a refused call. */
    private List<Object> snapshot() {
        return List.of(pages.freeLists(), pages.allocatedBytes(), pages.freeBytes(), pages.bootBytes(), pages.showPages());
    }

    private void assertRefused(int expectedCode, int frame) {
        List<Object> before = snapshot();
        assertEquals(expectedCode, pages.freeFrame(frame));
        assertEquals(before, snapshot());
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void doubleFreeIsRefused() {
        int f = pages.allocFrame(4096, APP);
        assertEquals(Errno.EOK, pages.freeFrame(f));
        assertRefused(Errno.EPAGE_DOUBLE_FREE, f);
    }

    @Test
    void doubleFreeOfAPageInsideAMergedBlockIsRefused() {
        int a = pages.allocFrame(4096, APP);
        int b = pages.allocFrame(4096, APP);
        assertEquals(Errno.EOK, pages.freeFrame(a));
        assertEquals(Errno.EOK, pages.freeFrame(b)); // b is now inside the 2 MiB block
        assertRefused(Errno.EPAGE_DOUBLE_FREE, b);
    }

    @Test
    void freeOfAPageTheAllocatorNeverHandedOutIsRefused() {
        assertRefused(Errno.EPAGE_NOT_ALLOCATED, 0);
        assertRefused(Errno.EPAGE_NOT_ALLOCATED, 511);
    }

    @Test
    void freeOfAPageInTheMiddleOfABlockIsRefused() {
        int f = pages.allocFrame(16384, APP);
        for (int i = 1; i < 4; i++) {
            assertRefused(Errno.EPAGE_NOT_HEAD, f + i);
        }
        assertEquals(Errno.EOK, pages.freeFrame(f));
    }

    @Test
    void freeOfAFrameOutsideTheTableIsRefused() {
        assertRefused(Errno.EPAGE_BAD_FRAME, -7);
        assertRefused(Errno.EPAGE_BAD_FRAME, pages.frames().count());
        assertRefused(Errno.EPAGE_BAD_FRAME, Integer.MAX_VALUE);
    }

    @Test
    void freeOfNoFrameDoesNothingAsPhoenixIgnoresNull() {
        assertRefused(Errno.EOK, PageFrames.NONE);
        assertEquals(Size.ZERO, pages.free(Frame.NONE).get());
    }

    @Test
    void impossibleAllocationsReturnNoneAndChangeNothing() {
        List<Object> before = snapshot();
        assertEquals(PageFrames.NONE, pages.allocFrame(0, APP));
        assertEquals(PageFrames.NONE, pages.allocFrame(-4096, APP));
        assertEquals(PageFrames.NONE, pages.allocFrame(128 * MIB, APP), "no block is that large");
        assertEquals(PageFrames.NONE, pages.allocFrame(Long.MAX_VALUE, APP));
        assertEquals(PageFrames.NONE, pages.allocFrame(4096, PageFlags.FREE), "the free bit is no owner");
        assertEquals(PageFrames.NONE, pages.allocFrame(4096, 0x100));
        assertTrue(pages.alloc(Size.ZERO, APP).isEmpty());
        assertEquals(before, snapshot());
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void outOfMemoryReturnsNoneAndChangesNothing() {
        assertEquals(0x0400_0000L, pages.frames().addr(pages.allocFrame(64 * MIB, APP)));
        List<Object> before = snapshot();
        assertEquals(PageFrames.NONE, pages.allocFrame(64 * MIB, APP), "62 MiB are left, in smaller blocks");
        assertEquals(before, snapshot());
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void everyPageCanBeTakenThenTheNextAllocationFailsAndAllComesBack() {
        List<Integer> taken = new ArrayList<>();
        for (int f; (f = pages.allocFrame(4096, APP)) != PageFrames.NONE; ) {
            taken.add(f);
        }
        assertEquals(126 * 256, taken.size());
        assertEquals(0, pages.freeBytes());
        assertEquals(List.of(), pages.freeLists());
        assertEquals(List.of(), pages.verify());
        for (int i = taken.size() - 1; i >= 0; i--) {
            assertEquals(Errno.EOK, pages.freeFrame(taken.get(i)));
        }
        assertEquals(126 * MIB, pages.freeBytes());
        assertEquals(6, pages.freeLists().size());
        assertEquals(List.of(), pages.verify());
    }

    @Test
    void theEitherApiSaysWhatWentWrong() {
        Frame f = pages.alloc(Size.kib(8), APP).get();
        assertEquals(Size.kib(8), pages.free(f).get());
        VmError twice = pages.free(f).getLeft();
        assertInstanceOf(VmError.EINVAL.class, twice);
        assertEquals("page free: frame 512 at 0x00200000: double free", twice.message());
        assertTrue(pages.free(new Frame(3)).getLeft().message().contains("never allocated"));
        assertTrue(pages.free(new Frame(1 << 20)).getLeft().message().contains("no frame 1048576"));
        Frame g = pages.alloc(Size.kib(16), APP).get();
        assertTrue(pages.free(new Frame(g.index() + 2)).getLeft().message().contains("not the first frame"));
        assertTrue(pages.alloc(Size.mib(100), APP).isEmpty());
    }

    @Test
    void theBareAllocatorHasNoAddressSpaces() {
        VmError e = pages.map(new FakePmap(), VirtAddr.of(0x1000), PhysAddr.of(0x200000), Attr.PRESENT).getLeft();
        assertInstanceOf(VmError.EINVAL.class, e);
    }

    @Test
    void bareRejectsImpossibleMachines() {
        assertThrows(IllegalArgumentException.class, () -> Bare.ia32(0, 0, 4096));
        assertThrows(IllegalArgumentException.class, () -> Bare.ia32(MIB + 1, 0, 4096));
        assertThrows(IllegalArgumentException.class, () -> Bare.ia32(MIB, 2 * MIB, 4096));
        assertThrows(IllegalArgumentException.class, () -> Bare.ia32(MIB, 0, 3000));
        assertThrows(IllegalArgumentException.class, () -> Bare.ia32(MIB, -1, 4096));
    }

    @Test
    void theCheckerNoticesCorruption() {
        int f = pages.allocFrame(4096, APP);
        PageFrames frames = pages.frames();
        frames.setFlags(f, PageFlags.FREE); // freed behind the allocator's back
        List<String> problems = pages.verify();
        assertFalse(problems.isEmpty());
        assertTrue(problems.contains("free frame 512 (0x00200000) is on no free list"), problems.toString());
        frames.setFlags(f, APP);
        assertEquals(List.of(), pages.verify());

        int next = frames.next(pages.head(13));
        frames.setPrev(next, 5); // break a link
        assertFalse(pages.verify().isEmpty());
    }

    @Test
    void aMiddlePageStaysAllocatedWhenItsFreeIsRefused() {
        int f = pages.allocFrame(8192, APP);
        assertNotEquals(Errno.EOK, pages.freeFrame(f + 1));
        assertFalse(pages.frames().isFree(f + 1));
    }
}
