package pvm.hal.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PageFramesTest {

    @Test
    void findsFramesByAddressAcrossHoles() {
        PageFrames frames = new PageFrames(8, 4096);
        frames.add(0x0000, PageFlags.FREE);
        frames.add(0x1000, PageFlags.OWNER_KERNEL);
        frames.add(0x100000, PageFlags.FREE);
        frames.add(0x101000, PageFlags.FREE);
        assertEquals(4, frames.count());
        assertEquals(1, frames.find(0x1fff));
        assertEquals(3, frames.find(0x101000));
        assertEquals(PageFrames.NONE, frames.find(0x2000), "a hole has no frame");
        assertEquals(PageFrames.NONE, frames.find(0x102000), "nor has the space above RAM");
        assertEquals(0x100000, frames.addr(2));
        assertEquals(PageFlags.OWNER_KERNEL, frames.flags(1));
    }

    @Test
    void refusesFramesOutOfOrderOrBeyondItsCapacity() {
        PageFrames frames = new PageFrames(2, 4096);
        frames.add(0x2000, PageFlags.FREE);
        assertThrows(IllegalArgumentException.class, () -> frames.add(0x1000, PageFlags.FREE));
        frames.add(0x3000, PageFlags.FREE);
        assertThrows(IllegalStateException.class, () -> frames.add(0x4000, PageFlags.FREE));
        assertThrows(IllegalArgumentException.class, () -> new PageFrames(4, 3000), "page size must be a power of two");
    }

    @Test
    void describesFlagsInPhoenixsTerms() {
        assertEquals("free", PageFlags.describe(PageFlags.FREE));
        assertEquals("kernel/ptable", PageFlags.describe(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE));
        assertEquals("app", PageFlags.describe(PageFlags.OWNER_APP));
        assertEquals(2, new PageFrames(1, 512).framesIn(10), "a 1 KiB block of 512-byte pages");
    }
}
