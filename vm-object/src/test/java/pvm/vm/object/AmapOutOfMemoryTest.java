package pvm.vm.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.testkit.FakeHal;
import pvm.vm.map.VmMap;
import pvm.vm.object.VmPagerTest.Proc;

/**
 * Out-of-memory paths of amap.c: pages or kmalloc run out at each allocation {@code amap_page} and
 * {@code amap_create} make, and every failure must leave counts, pages and kmalloc as they were.
 */
class AmapOutOfMemoryTest {

    static final int PAGE = FakeHal.PAGE;
    static final int RW = Prot.READ | Prot.WRITE;

    private final Booted m = Booted.boot();
    private final List<Integer> hoard = new ArrayList<>();
    private final List<Long> blocks = new ArrayList<>();

    @AfterEach
    void giveBack() {
        m.release(hoard);
        for (long b : blocks) {
            assertTrue(m.kmalloc.kfree(b).isRight());
        }
        blocks.clear();
        assertEquals(List.of(), m.verify());
    }

    private VmMap userMap() {
        return m.maps.create(VirtAddr.of(0x10000), VirtAddr.of(FakeHal.VADDR_KERNEL)).getOrElseThrow(e -> new AssertionError(e.message()));
    }

    private long lazyAnon(VmMap map, int pages) {
        return map.mmap(VirtAddr.NULL, Frame.NONE, Size.of((long) pages * PAGE), RW, null, -1, MapFlags.NONE, new Proc("p", true))
                .getOrElseThrow(e -> new AssertionError(e.message())).value();
    }

    /** Takes every page, then fills kmalloc's class {@code size} until it cannot grow. */
    private void exhaustPagesAndClass(long size) {
        hoard.addAll(m.exhaustPages());
        for (;;) {
            long b = m.kmalloc.kmalloc(size);
            if (b == 0) {
                return;
            }
            blocks.add(b);
        }
    }

    /** Gives one page back, so exactly one allocation of a page can succeed. */
    private void leaveOnePage() {
        m.pages.freeFrame(hoard.removeLast());
        assertEquals(PAGE, m.pages.freeBytes());
    }

    private record Snapshot(long freeBytes, long kmalloc, int anons, int amaps) {
    }

    private Snapshot snapshot() {
        return new Snapshot(m.pages.freeBytes(), m.kmalloc.allocatedBytes(), m.pager.anonCount(), m.pager.amapCount());
    }

    @Test
    void aFaultWithoutAPageChangesNothing() {
        VmMap map = userMap();
        long va = lazyAnon(map, 2);
        assertEquals(Errno.EOK, map.force(va, RW));
        hoard.addAll(m.exhaustPages());
        Snapshot before = snapshot();
        assertEquals(Errno.ENOMEM, map.force(va + PAGE, RW));
        assertEquals(before, snapshot());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void aSharedAnonStaysSharedWhenItsCopyFindsNoPage() {
        VmMap parent = userMap();
        long va = lazyAnon(parent, 1);
        assertEquals(Errno.EOK, parent.force(va, RW));
        Anon a = ((Amap) parent.tree().find(va, PAGE).amap()).anon(0);
        VmMap child = userMap();
        assertTrue(m.maps.copy(new Proc("c", true), child, parent, true).isRight());
        hoard.addAll(m.exhaustPages());
        int anons = m.pager.anonCount();

        assertEquals(Errno.ENOMEM, child.force(va, RW));
        assertEquals(2, a.refs());
        assertEquals(anons, m.pager.anonCount());
        assertEquals(0, m.pages.freeBytes());
        assertEquals(List.of(), m.verify());

        m.release(hoard);
        assertEquals(Errno.EOK, child.force(va, RW));
        assertEquals(1, a.refs());
    }

    @Test
    void whenTheCopysAnonCannotBeAllocatedTheCopyIsFreedAndTheSharedAnonKeepsItsCount() {
        VmMap parent = userMap();
        long va = lazyAnon(parent, 1);
        assertEquals(Errno.EOK, parent.force(va, RW));
        Anon a = ((Amap) parent.tree().find(va, PAGE).amap()).anon(0);
        VmMap child = userMap();
        assertTrue(m.maps.copy(new Proc("c", true), child, parent, true).isRight());
        // The child's amap is made first, so kmalloc's 512-byte class must keep room for it.
        exhaustPagesAndClass(m.pager.sizes().anonSize());
        leaveOnePage();
        Snapshot before = snapshot();

        assertEquals(Errno.ENOMEM, child.force(va, RW));
        assertEquals(2, a.refs(), "Phoenix would have dropped it to 1 with the slot still pointing at it");
        assertEquals(before.freeBytes(), m.pages.freeBytes(), "the copy went back");
        assertEquals(before.anons(), m.pager.anonCount());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void whenAFreshPagesAnonCannotBeAllocatedThePageIsFreed() {
        VmMap map = userMap();
        long va = lazyAnon(map, 2);
        assertEquals(Errno.EOK, map.force(va, RW));
        exhaustPagesAndClass(m.pager.sizes().anonSize());
        leaveOnePage();
        Snapshot before = snapshot();

        assertEquals(Errno.ENOMEM, map.force(va + PAGE, RW));
        assertEquals(before, snapshot());
        assertNull(((Amap) map.tree().find(va, PAGE).amap()).anon(1));
        assertEquals(List.of(), m.verify());
    }

    @Test
    void withoutRoomForAnAmapTheEntryIsLeftAlone() {
        VmMap map = userMap();
        long va = lazyAnon(map, 1);
        exhaustPagesAndClass(m.pager.sizes().amapBytes(m.pager.sizes().minSlots()));
        Snapshot before = snapshot();

        assertEquals(Errno.ENOMEM, map.force(va, RW));
        assertNull(map.tree().find(va, PAGE).amap());
        assertEquals(before, snapshot());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void aPopulatingMmapThatRunsOutUndoesEverything() {
        VmMap map = userMap();
        hoard.addAll(m.exhaustPages());
        for (int i = 0; i < 5; i++) {
            m.pages.freeFrame(hoard.removeLast());
        }
        Snapshot before = snapshot();
        var r = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(10L * PAGE), RW, null, -1, MapFlags.NONE, new Proc("p", false));
        assertInstanceOf(VmError.ENOMEM.class, r.getLeft());
        assertEquals(before, snapshot(), "pages, anons, the amap and kmalloc's zones all went back");
        assertEquals(0, map.entryCount());
        assertEquals(List.of(), m.verify());
    }
}
