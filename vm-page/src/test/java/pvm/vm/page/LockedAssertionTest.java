package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.PageFlags;

/**
 * A {@code *Locked} method called without its lock fails its assertion, and nothing changes; so the
 * tests run with assertions on (the parent POM's {@code enableAssertions}), or this fails.
 */
class LockedAssertionTest {

    @Test
    void allocLockedWithoutTheLockIsCaught() {
        BuddyPageAllocator pages = Bare.ia32(128L << 20, 2L << 20, 4096);
        long free = pages.freeBytes();
        AssertionError e = assertThrows(AssertionError.class, () -> pages.allocLocked(4096, PageFlags.OWNER_APP));
        assertEquals("allocLocked without the lock", e.getMessage());
        assertEquals(free, pages.freeBytes());
    }
}
