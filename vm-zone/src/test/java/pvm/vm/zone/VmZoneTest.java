package pvm.vm.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Either;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.testkit.Booted;

class VmZoneTest {

    private final Booted m = Booted.boot();
    private final PhysicalMemory ram = m.hal.memory();

    private VmZone zone(long blocksz, int blocks) {
        return VmZone.create(m.maps, m.pages, blocksz, blocks).getOrElseThrow(e -> new AssertionError(e.message()));
    }

    @Test
    void aZoneIsKernelHeapMappedIntoTheKernelMap() {
        int entries = m.maps.kernelMap().entryCount();
        long free = m.pages.freeBytes();
        VmZone z = zone(64, 64);

        assertEquals(64, z.blocks());
        assertEquals(64, z.blocksz());
        assertEquals(0, z.used());
        assertEquals(4096, z.mappedBytes());
        assertEquals(free - 4096, m.pages.freeBytes());
        int flags = m.pages.frames().flags(z.frame());
        assertEquals(PageFlags.OWNER_KERNEL, PageFlags.owner(flags));
        assertEquals(PageFlags.KERNEL_HEAP, PageFlags.kernelUse(flags));
        assertTrue(m.maps.kernelMap().belongs(VirtAddr.of(z.vaddr()), pvm.hal.pmap.Size.of(4096)));
        assertTrue(m.maps.kernelMap().entryCount() >= entries);
        assertEquals(m.pages.frames().addr(z.frame()), z.physBase());
        assertEquals(m.maps.kernelMap().pmap().resolve(VirtAddr.of(z.vaddr())).value(), z.physBase());
        assertEquals(List.of(), z.verify());
    }

    @Test
    void aZoneGoesAtTheFirstFreeKernelAddressAndTheNextOneAfterIt() {
        VmZone a = zone(16, 256);
        VmZone b = zone(32, 128);
        assertTrue(a.vaddr() >= m.maps.kernelMap().start().value());
        assertEquals(a.vaddr() + a.mappedBytes(), b.vaddr(), "vm_mmap at kmap->start takes the first gap that fits");
    }

    @Test
    void theFreeListOfAFreshZoneIsInSimulatedRamInAddressOrder() {
        VmZone z = zone(128, 32);
        for (int i = 0; i < 31; i++) {
            assertEquals(z.vaddr() + (i + 1) * 128L, ram.read32(z.physBase() + i * 128L), "next pointer of block " + i);
        }
        assertEquals(0, ram.read32(z.physBase() + 31 * 128L), "the last block ends the list");
        assertEquals(z.vaddr(), z.first());
    }

    @Test
    void allocationTakesTheHeadAndFreedBlocksComeBackLastInFirstOut() {
        VmZone z = zone(64, 64);
        long b0 = z.zalloc();
        long b1 = z.zalloc();
        long b2 = z.zalloc();
        assertEquals(z.vaddr(), b0);
        assertEquals(z.vaddr() + 64, b1);
        assertEquals(z.vaddr() + 128, b2);
        assertEquals(3, z.used());

        z.zfree(b0);
        z.zfree(b2);
        // The list in RAM: b2 -> b0 -> b3 -> ...
        assertEquals(b2, z.first());
        assertEquals(b0, ram.read32(z.physAddrOf(b2)));
        assertEquals(z.vaddr() + 192, ram.read32(z.physAddrOf(b0)));
        assertEquals(b2, z.zalloc());
        assertEquals(b0, z.zalloc());
        assertEquals(z.vaddr() + 192, z.zalloc());
        assertEquals(List.of(), z.verify());
    }

    @Test
    void theListIsReallyReadFromRam() {
        VmZone z = zone(64, 64);
        long b0 = z.zalloc();
        // Rewrite the head's next pointer behind the zone's back: the zone must follow RAM.
        long head = z.first();
        ram.write32(z.physAddrOf(head), z.vaddr() + 63 * 64);
        assertEquals(head, z.zalloc());
        assertEquals(z.vaddr() + 63 * 64, z.zalloc());
        assertNotEquals(0, b0);
    }

    @Test
    void aFullZoneGivesNothingAndEveryBlockOnce() {
        VmZone z = zone(256, 16);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            long b = z.zalloc();
            assertTrue(z.isBlock(b));
            assertTrue(seen.add(b));
        }
        assertEquals(0, z.zalloc());
        assertEquals(16, z.used());
        assertEquals(0, z.first());
        assertEquals(List.of(), z.verify());
        z.zfree(z.vaddr() + 5 * 256);
        assertEquals(z.vaddr() + 5 * 256, z.zalloc());
    }

    @Test
    void destroyRefusesWhileBlocksAreUsedThenGivesEverythingBack() {
        long free = m.pages.freeBytes();
        int entries = m.maps.kernelMap().entryCount();
        VmZone z = zone(512, 8);
        long b = z.zalloc();

        Either<VmError, Void> busy = z.destroy();
        assertInstanceOf(VmError.EBUSY.class, busy.getLeft());
        assertEquals(1, z.used());
        assertEquals(List.of(), z.verify());

        z.zfree(b);
        assertTrue(z.destroy().isRight());
        assertTrue(z.isDestroyed());
        assertEquals(free, m.pages.freeBytes());
        assertEquals(entries, m.maps.kernelMap().entryCount());
        assertEquals(0, z.zalloc());
        assertInstanceOf(VmError.EINVAL.class, z.destroy().getLeft());
        assertEquals(List.of(), m.maps.verify());
        assertEquals(List.of(), m.pages.verify());
    }

    @Test
    void badArgumentsAreRefusedAndTakeNothing() {
        long free = m.pages.freeBytes();
        int entries = m.maps.kernelMap().entryCount();
        assertInstanceOf(VmError.EINVAL.class, VmZone.create(m.maps, m.pages, 0, 8).getLeft());
        assertInstanceOf(VmError.EINVAL.class, VmZone.create(m.maps, m.pages, 48, 8).getLeft());
        assertInstanceOf(VmError.EINVAL.class, VmZone.create(m.maps, m.pages, -64, 8).getLeft());
        assertInstanceOf(VmError.EINVAL.class, VmZone.create(m.maps, m.pages, 2, 8).getLeft());
        assertInstanceOf(VmError.EINVAL.class, VmZone.create(m.maps, m.pages, 64, 0).getLeft());
        assertInstanceOf(VmError.EINVAL.class, VmZone.create(m.maps, m.pages, 64, -1).getLeft());
        assertInstanceOf(VmError.EINVAL.class, VmZone.create(m.maps, m.pages, 1L << 31, 4).getLeft());
        assertEquals(free, m.pages.freeBytes());
        assertEquals(entries, m.maps.kernelMap().entryCount());
    }

    @Test
    void outOfPagesIsEnomemWithNothingTaken() {
        long free = m.pages.freeBytes();
        int entries = m.maps.kernelMap().entryCount();
        assertInstanceOf(VmError.ENOMEM.class, VmZone.create(m.maps, m.pages, 1L << 20, 64).getLeft(), "64 MiB on a 16 MiB machine");
        List<Integer> hoard = m.exhaustPages();
        assertInstanceOf(VmError.ENOMEM.class, VmZone.create(m.maps, m.pages, 64, 64).getLeft());
        m.release(hoard);
        assertEquals(free, m.pages.freeBytes());
        assertEquals(entries, m.maps.kernelMap().entryCount());
        assertEquals(List.of(), m.pages.verify());
    }

    @Test
    void foreignAndMisalignedFreesAreIgnored() {
        VmZone z = zone(64, 64);
        long b = z.zalloc();
        z.zfree(z.vaddr() - 64);
        z.zfree(z.vaddr() + 64 * 64);
        z.zfree(b + 8);
        assertEquals(1, z.used());
        assertEquals(List.of(), z.verify());
        z.zfree(b);
        z.zfree(b + 64);
        assertEquals(0, z.used(), "a free into an empty zone is ignored");
        assertEquals(List.of(), z.verify());
    }

    @Test
    void theCheckerSeesACorruptedList() {
        VmZone z = zone(64, 64);
        z.zalloc();
        long head = z.first();
        ram.write32(z.physAddrOf(head), head);
        assertFalse(z.verify().isEmpty(), "a loop");
        ram.write32(z.physAddrOf(head), 0);
        assertTrue(z.verify().getFirst().contains("holds 1 blocks"), z.verify().toString());
        ram.write32(z.physAddrOf(head), 0x1234);
        assertTrue(z.verify().getFirst().contains("not a block"), z.verify().toString());
    }

    @Test
    void aSmallZoneStillTakesAWholePage() {
        VmZone z = zone(64, 16);
        assertEquals(4096, z.mappedBytes());
        assertEquals(16, z.blocks());
        assertTrue(z.contains(z.vaddr() + 1023));
        assertFalse(z.contains(z.vaddr() + 1024), "blocks end at 16 x 64 even though the page goes on");
    }

    /** A seeded model: the free list is a stack of block addresses; every step is checked against it and the RAM list walked. */
    @Test
    void randomAllocAndFreeFollowAStackModel() {
        long seed = Long.getLong("pvm.seed", System.nanoTime());
        System.out.println("VmZoneTest: pvm.seed=" + seed);
        Random rnd = new Random(seed);
        VmZone z = zone(32, 128);
        Deque<Long> free = new ArrayDeque<>();
        for (int i = 127; i >= 0; i--) {
            free.push(z.vaddr() + 32L * i);
        }
        List<Long> used = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            String where = "seed " + seed + " step " + step;
            if (used.isEmpty() || (rnd.nextInt(3) != 0 && !free.isEmpty())) {
                long b = z.zalloc();
                assertEquals(free.pop(), b, where);
                used.add(b);
            } else if (!used.isEmpty()) {
                long b = used.remove(rnd.nextInt(used.size()));
                z.zfree(b);
                free.push(b);
            } else {
                assertEquals(0, z.zalloc(), where);
            }
            assertEquals(used.size(), z.used(), where);
            assertEquals(List.of(), z.verify(), where);
        }
    }

}
