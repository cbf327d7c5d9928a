package pvm.arch.riscv64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelImageRange;
import pvm.hal.pmap.KernelSegment;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VirtAddr;

class Riscv64HalTest {

    private static final int RWU = Attr.PRESENT | Attr.WRITE | Attr.USER;

    // --- discovery and markers -----------------------------------------------------------------

    @Test
    void discoverySkipsTheFirmwareAndMarksTheImageAndTheDeviceTree() {
        TestMachine m = new TestMachine(128L << 20, 1);
        assertEquals(VirtBoard.KERNEL_START, m.frames().addr(0), "the first page_t is the kernel's first page");
        assertEquals(((128L << 20) - (2L << 20)) / 4096, m.frames().count(), "all DRAM but OpenSBI's 2 MiB");
        StringBuilder marks = new StringBuilder();
        for (int f = 0; f < 112; f++) {
            marks.append(m.hal.marker(m.frames().flags(f)));
        }
        assertEquals("K".repeat(69) + "PPP" + "S".repeat(32) + "KP" + "KKK" + "...", marks.toString());
        int dtb = m.frames().find(VirtBoard.dtbAddress(128L << 20));
        assertEquals("BB.", "" + m.hal.marker(m.frames().flags(dtb)) + m.hal.marker(m.frames().flags(dtb + 1))
                + m.hal.marker(m.frames().flags(dtb + 2)));
        assertEquals(0x87e0_0000L, VirtBoard.dtbAddress(128L << 20), "2 MiB below the top, as QEMU puts it");
    }

    @Test
    void discoveryEndsAtTheTopAndJumpsOverTheFirmware() {
        TestMachine m = new TestMachine(16L << 20, 1);
        PageProbe probe = new PageProbe();
        probe.cursor = 0x1234;
        assertEquals(Errno.EOK, m.hal.getPage(probe));
        assertEquals(VirtBoard.SBI_AREA_END, probe.pageAddr, "below DRAM: to the end of the firmware");
        probe.cursor = VirtBoard.SBI_AREA_START + 0x5000;
        assertEquals(Errno.EOK, m.hal.getPage(probe));
        assertEquals(VirtBoard.SBI_AREA_END, probe.pageAddr);
        probe.cursor = VirtBoard.DRAM_BASE + (16L << 20);
        assertEquals(Errno.ENOMEM, m.hal.getPage(probe));
        assertEquals(0, TestMachine.discover(new Riscv64Hal(new Riscv64Architecture(), new MachineConfig(16L << 20, 1))),
                "one bank, no hole to skip");
    }

    @Test
    void markersAreThoseOfRiscv64PmapMarker() {
        Riscv64Hal hal = new Riscv64Hal(new Riscv64Architecture(), new MachineConfig(16L << 20, 1));
        assertEquals('.', hal.marker(PageFlags.FREE));
        assertEquals('B', hal.marker(PageFlags.OWNER_BOOT));
        assertEquals('K', hal.marker(PageFlags.OWNER_KERNEL));
        assertEquals('Y', hal.marker(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_SYSPAGE));
        assertEquals('C', hal.marker(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_CPU));
        assertEquals('P', hal.marker(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE));
        assertEquals('M', hal.marker(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PMAP));
        assertEquals('S', hal.marker(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_STACK));
        assertEquals('H', hal.marker(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP));
        assertEquals('A', hal.marker(PageFlags.OWNER_APP));
        assertEquals('U', hal.marker(3 << 1));
        assertEquals(32, hal.pageDescriptorSize(), "a 64-bit page_t");
    }

    // --- boot paging and _pmap_init -----------------------------------------------------------

    @Test
    void beforeInitTheBootTablesMapTwoMibOfImageAndTheDeviceTreeGigapage() {
        Riscv64Hal hal = new Riscv64Hal(new Riscv64Architecture(), new MachineConfig(16L << 20, 1));
        Mmu cpu = hal.mmu(0);
        long pdir2 = VirtBoard.phys(VirtBoard.PDIR2);
        assertEquals(Sv39.pte(VirtBoard.phys(VirtBoard.PDIR1), Sv39.V), hal.memory().read64(pdir2 + 255 * 8));
        assertEquals(Sv39.pte(0x8000_0000L, 0xc3), hal.memory().read64(pdir2 + 511 * 8));
        assertEquals(VirtBoard.KERNEL_START + 0x1f_f000, cpu.translate(Sv39.VADDR_KERNEL + 0x1f_f000, Access.EXEC));
        assertEquals(Mmu.FAULT, cpu.translate(Sv39.VADDR_KERNEL + Sv39.MEGA, Access.READ), "2 MiB only");
        assertEquals(Mmu.FAULT, cpu.translate(VirtBoard.KERNEL_START, Access.READ), "no identity mapping");
    }

    @Test
    void initMapsTheHeapTrimsTheBootMappingAndSplitsTextFromData() {
        TestMachine m = new TestMachine(16L << 20, 1);
        Riscv64Pmap k = m.kernel();
        long heap = VirtBoard.ceilPage(VirtBoard.END);
        assertEquals(VirtAddr.of(heap), m.init.heapStart());
        assertEquals(VirtAddr.of(heap + 4096), m.init.heapEnd());
        assertEquals(PhysAddr.of(VirtBoard.phys(VirtBoard.HEAP)), k.resolve(VirtAddr.of(heap)), "pmap_common.heap");
        assertEquals(Attr.PRESENT | Attr.WRITE, k.attributes(VirtAddr.of(heap)) & ~(Attr.ACCESSED | Attr.DIRTY));
        assertEquals(PhysAddr.NONE, k.resolve(VirtAddr.of(heap + 4096)), "the rest of the 2 MiB is gone");
        assertEquals(PhysAddr.NONE, k.resolve(VirtAddr.of(Sv39.VADDR_KERNEL + Sv39.MEGA - 4096)));
        assertEquals(Attr.PRESENT | Attr.EXEC, k.attributes(VirtAddr.of(Sv39.VADDR_KERNEL)) & ~(Attr.ACCESSED | Attr.DIRTY), "text: R X");
        assertEquals(Attr.PRESENT | Attr.WRITE, k.attributes(VirtAddr.of(VirtBoard.ceilPage(VirtBoard.ETEXT))) & ~(Attr.ACCESSED | Attr.DIRTY), "data: R W");
        assertEquals(PhysAddr.of(VirtBoard.KERNEL_START + 0x5_0000), k.resolve(VirtAddr.of(Sv39.VADDR_KERNEL + 0x5_0000)),
                "each page keeps its frame");
        assertEquals(Sv39.pte(VirtBoard.KERNEL_START, 0xcb), m.pte(k, Sv39.VADDR_KERNEL), "0xc1 | R X");
        assertThrows(IllegalStateException.class, m.hal::init);
    }

    @Test
    void segmentsAreTextAndDataUpToTheHeapTop() {
        TestMachine m = new TestMachine(16L << 20, 1);
        long top = m.init.heapEnd().value();
        List<KernelSegment> s = m.hal.segments(VirtAddr.of(top));
        assertEquals(new KernelSegment("text", VirtAddr.of(Sv39.VADDR_KERNEL), pvm.hal.pmap.Size.of(VirtBoard.ETEXT - Sv39.VADDR_KERNEL),
                Prot.READ | Prot.EXEC), s.get(0));
        assertEquals(top, s.get(1).start().value() + s.get(1).size().bytes());
        assertThrows(IllegalArgumentException.class, () -> m.hal.segments(VirtAddr.of(Sv39.VADDR_KERNEL)));
    }

    @Test
    void everyImagePageTranslatesToItsOwnFrameAfterInit() {
        TestMachine m = new TestMachine(16L << 20, 1);
        KernelImageRange image = m.hal.kernelImage().getFirst();
        assertEquals(VirtBoard.ceilPage(VirtBoard.END), image.end().value());
        for (long va = image.start().value(); va < image.end().value(); va += 4096) {
            assertEquals(PhysAddr.of(image.physOf(va)), m.kernel().resolve(VirtAddr.of(va)), String.format("0x%x", va));
        }
    }

    // --- pmap_create, kernelSpaceExpand, destroy ------------------------------------------------

    @Test
    void createSharesTheKernelGigabyteAndEntry511AndNothingElse() {
        TestMachine m = new TestMachine(16L << 20, 1);
        m.map(m.kernel(), 0x1000, m.page(), Attr.PRESENT); // a kernel mapping outside kernel space is not shared
        Riscv64Pmap u = m.user();
        for (int i = 0; i < Sv39.ENTRIES; i++) {
            long e = m.memory().read64(u.root().value() + i * 8L);
            if (i == 255 || i == 511) {
                assertEquals(m.memory().read64(m.kernel().root().value() + i * 8L), e, "entry " + i + " copied");
            } else {
                assertEquals(0, e, "entry " + i + " empty");
            }
        }
        assertEquals(VirtAddr.of(0), u.start());
        assertEquals(VirtAddr.of(Sv39.VADDR_KERNEL), u.end());
        assertEquals(VirtAddr.of(Sv39.LOWER_HALF_END), m.kernel().end(), "kpmap->end rounded up to a gigabyte");
        // A kernel page mapped after create is seen from the user space: the level-1 table is shared.
        long kva = Sv39.VADDR_KERNEL + (200L << 20);
        m.map(m.kernel(), kva, m.page(), Attr.PRESENT | Attr.WRITE);
        u.switchTo(m.cpu(0));
        assertNotEquals(Mmu.FAULT, m.cpu(0).translate(kva, Access.WRITE));
    }

    @Test
    void kernelSpaceExpandNeedsNoTableForTheOneKernelGigabyte() {
        TestMachine m = new TestMachine(16L << 20, 1);
        assertEquals(Pmap.EnterResult.OK, m.hal.kernelSpaceExpand(m.kernel(), VirtAddr.of(Sv39.VADDR_KERNEL + (64L << 20)), Frame.NONE));
        assertEquals(VirtAddr.of(Sv39.VADDR_KERNEL + (64L << 20)), m.kernel().end());
        assertEquals(Pmap.EnterResult.OK, m.hal.kernelSpaceExpand(m.kernel(), VirtAddr.of(1L << 40), Frame.NONE), "clamped to 2^38");
        assertEquals(VirtAddr.of(Sv39.LOWER_HALF_END), m.kernel().end());
        assertThrows(IllegalArgumentException.class, () -> m.hal.kernelSpaceExpand(m.kernel(), VirtAddr.of(0x1000), Frame.NONE));
    }

    @Test
    void destroyHandsBackLevelZeroTablesThenTheirLevelOneTable() {
        TestMachine m = new TestMachine(16L << 20, 1);
        Riscv64Pmap u = m.user();
        assertEquals(2, m.map(u, 0x4000_0000L, m.page(), RWU));
        assertEquals(1, m.map(u, 0x4000_0000L + (8L << 20), m.page(), RWU));
        assertEquals(2, m.map(u, 0x2_0000_0000L, m.page(), RWU));
        long l1 = Sv39.addr(m.entry(u, 0x4000_0000L, 2));
        Pmap.DestroyCursor c = new Pmap.DestroyCursor();
        Set<Long> handed = new HashSet<>();
        PhysAddr t;
        int order = 0;
        while (!(t = u.destroy(c)).isNone()) {
            assertTrue(handed.add(t.value()), "twice: " + t);
            if (++order == 3) {
                assertEquals(l1, t.value(), "the level-1 table after its two level-0 tables");
            }
        }
        assertEquals(5, handed.size());
        assertEquals(0, m.memory().read64(u.root().value() + 8), "root entries cleared");
        assertEquals(m.memory().read64(m.kernel().root().value() + 255 * 8L), m.memory().read64(u.root().value() + 255 * 8), "the kernel's stay");
        assertTrue(u.destroy(c).isNone(), "done stays done");
    }

    // --- the 8 GiB board ------------------------------------------------------------------------

    @Test
    void anEightGibMachineMapsPagesAboveFourGib() {
        TestMachine m = new TestMachine(8L << 30, 1);
        assertEquals(((8L << 30) - (2L << 20)) / 4096, m.frames().count());
        assertEquals(0xbfe0_0000L, VirtBoard.dtbAddress(8L << 30), "QEMU keeps the device tree below 3 GiB");
        long pa = m.addr(m.allocHigh(PageFlags.OWNER_APP));
        assertEquals(0x2_7fff_f000L, pa, "the last page of DRAM");
        Frame table = m.allocHigh(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
        Riscv64Pmap u = (Riscv64Pmap) m.hal.create(m.kernel(), m.allocHigh(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PMAP));
        assertTrue(u.root().value() > 1L << 32, "a root table above 4 GiB");
        assertEquals(Pmap.EnterResult.NEEDS_PTABLE, u.enter(PhysAddr.of(pa), VirtAddr.of(0x30_0000_0000L), RWU, table));
        assertEquals(Pmap.EnterResult.OK, u.enter(PhysAddr.of(pa), VirtAddr.of(0x30_0000_0000L), RWU,
                m.allocHigh(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE)));
        u.switchTo(m.cpu(0));
        long got = m.cpu(0).translate(0x30_0000_0abcL, Access.USER | Access.WRITE);
        assertEquals(pa + 0xabc, got);
        m.memory().write64(got, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, m.memory().read64(m.cpu(0).translate(0x30_0000_0abcL, Access.USER | Access.READ)));
        assertEquals(PhysAddr.of(pa), u.resolve(VirtAddr.of(0x30_0000_0000L)));
        String walk = m.cpu(0).describeWalk(u, 0x30_0000_0abcL);
        assertTrue(walk.contains("0x000000027ffffabc"), walk);
    }

    // --- bad inputs --------------------------------------------------------------------------------

    @Test
    void badArgumentsAreRefusedAndChangeNothing() {
        TestMachine m = new TestMachine(16L << 20, 1);
        Riscv64Pmap u = m.user();
        long root = u.root().value();
        long pa = m.page();
        VirtAddr va = VirtAddr.of(0x1000);
        assertThrows(IllegalArgumentException.class, () -> u.enter(PhysAddr.NONE, va, RWU, Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> u.enter(PhysAddr.of(1L << 56), va, RWU, Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> u.enter(PhysAddr.of(pa), VirtAddr.of(1L << 38), RWU, Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> u.enter(PhysAddr.of(pa), va, 0x400, Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> u.enter(PhysAddr.of(pa), va, RWU, new Frame(1 << 30)));
        assertThrows(IllegalArgumentException.class, () -> u.resolve(VirtAddr.of(1L << 40)));
        assertThrows(IllegalArgumentException.class, () -> m.hal.create(u, Frame.NONE));
        TestMachine other = new TestMachine(16L << 20, 1);
        assertThrows(IllegalArgumentException.class, () -> m.hal.create(other.kernel(), m.alloc(PageFlags.OWNER_KERNEL)));
        assertThrows(IndexOutOfBoundsException.class, () -> m.hal.mmu(1));
        for (int i = 0; i < Sv39.ENTRIES; i++) {
            assertEquals(i == 255 || i == 511 ? m.memory().read64(m.kernel().root().value() + i * 8L) : 0, m.memory().read64(root + i * 8L), "entry " + i);
        }
        assertEquals(Pmap.EnterResult.NEEDS_PTABLE, u.enter(PhysAddr.of(pa), va, RWU, Frame.NONE));
        assertEquals(0, m.memory().read64(root), "asking for a table changes nothing");
        assertFalse(u.addMap(0));
        assertTrue(m.hal.maps().isEmpty());
    }
}
