package pvm.arch.nommu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.BusError;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelSegment;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

class NommuHalTest {

    private static final long DTCM_END = 0x2005_8000L;

    private final NommuArchitecture arch = new NommuArchitecture();
    private final NommuHal hal = new NommuHal(arch, new MachineConfig(8L << 20, 2));

    @Test
    void getPageReportsTheFreePagesOfTheKernelMapAboveTheImageThenEnd() {
        PageProbe probe = new PageProbe();
        List<Long> pages = new ArrayList<>();
        int rc;
        while ((rc = hal.getPage(probe)) == Errno.EOK) {
            assertEquals(PageFlags.FREE, probe.pageFlags, "every page is free");
            pages.add(probe.pageAddr);
        }
        assertEquals(Errno.ENOMEM, rc);
        assertEquals(Errno.ENOMEM, hal.getPage(probe), "the end stays the end");

        // page-nommu.c: (map->end - bss) / SIZE_PAGE pages, bss being the heap start _pmap_init chose.
        assertEquals((DTCM_END - NommuBoard.HEAP_START) / 512, pages.size());
        assertEquals(640, pages.size());
        assertEquals(NommuBoard.HEAP_START, pages.getFirst());
        assertEquals(DTCM_END - 512, pages.getLast());
        for (int i = 1; i < pages.size(); i++) {
            assertEquals(pages.get(i - 1) + 512, pages.get(i), "consecutive pages in address order");
        }
        BootMemoryMap boot = hal.memory().layout();
        for (BootMemoryMap.Taken t : boot.taken()) {
            assertTrue(t.end() <= pages.getFirst() || t.start() >= DTCM_END, t.what() + " is below the first page");
        }
        assertEquals(hal.frames().capacity(), pages.size(), "the frame table is sized for exactly these pages");
        for (long a : pages) {
            hal.frames().add(a, PageFlags.FREE);
        }
        assertEquals(pages.size(), hal.frames().count());
    }

    @Test
    void getPageStartsAtTheCursorRoundedDown() {
        PageProbe probe = new PageProbe();
        probe.cursor = 0x2001_0123L;
        assertEquals(Errno.EOK, hal.getPage(probe));
        assertEquals(0x2001_0000L, probe.pageAddr);
        assertEquals(0x2001_0200L, probe.cursor);

        probe.cursor = 0x8000_0000L;
        assertEquals(Errno.ENOMEM, hal.getPage(probe), "no pages beyond the kernel map, not even in SDRAM");
    }

    @Test
    void initSetsTheKernelHeapAboveTheImageAndLoadsTheKernelOnEveryCpu() {
        PmapInit init = hal.init();
        assertEquals(NommuBoard.HEAP_START, init.heapStart().value());
        assertEquals(init.heapStart().value() + 512, init.heapEnd().value());
        assertEquals(0, init.heapStart().value() % 8, "the boot stack top rounded up to 8, as _pmap_init does");
        assertTrue(init.heapStart().value() >= NommuBoard.IMAGE_END + 1280, "above _end and the boot stack");

        Pmap kernel = init.kernel();
        assertEquals(NommuBoard.DTCM_START, kernel.start().value());
        assertEquals(DTCM_END, kernel.end().value());
        assertTrue(kernel.belongs(VirtAddr.of(NommuBoard.BSS_START)), "__bss_start");
        assertTrue(kernel.belongs(VirtAddr.of(NommuBoard.BSS_START + 32 * 1024 - 1)), "Phoenix's initial 32 KiB window");
        assertFalse(kernel.belongs(VirtAddr.of(NommuBoard.OCRAM_START)));
        assertEquals(PhysAddr.NONE, kernel.root());
        for (int i = 0; i < hal.cpus(); i++) {
            assertSame(kernel, hal.mmu(i).current());
        }
        assertSame(init, hal.init(), "a second call hands back the same answer");
    }

    @Test
    void kernelPmapAllowsEveryMap() {
        Pmap kernel = hal.init().kernel();
        for (MemoryMapInfo m : hal.maps()) {
            assertTrue(kernel.isAllowed(VirtAddr.of(m.start()), Size.of(m.size())), m.name());
        }
        assertFalse(kernel.isAllowed(VirtAddr.of(0x4000_0000L), Size.of(4)), "not a hole between maps");
    }

    @Test
    void createEnablesOnlyTheKernelCodeMap() {
        Pmap kernel = hal.init().kernel();
        Pmap p = hal.create(kernel, Frame.NONE);
        assertTrue(p.isAllowed(VirtAddr.of(0x100), Size.of(4)), "ITCM holds the kernel code");
        assertEquals(Attr.PRESENT | Attr.USER | Attr.EXEC, p.attributes(VirtAddr.of(0x100)), "read-execute for user code");
        for (long a : new long[] {NommuBoard.DTCM_START, NommuBoard.OCRAM_START, NommuBoard.DRAM_START}) {
            assertFalse(p.isAllowed(VirtAddr.of(a), Size.of(4)), Long.toHexString(a));
            assertEquals(0, p.attributes(VirtAddr.of(a)));
        }
        assertEquals(0, p.start().value());
        assertEquals(1L << 32, p.end().value());
        assertEquals(PhysAddr.NONE, p.root());
        assertEquals(PhysAddr.NONE, p.destroy(new Pmap.DestroyCursor()), "no page tables to free");
        assertNotSame(p, hal.create(kernel, Frame.NONE));
    }

    @Test
    void mappingCallsDoNothingAndSucceed() {
        Pmap kernel = hal.init().kernel();
        Pmap p = hal.create(kernel, Frame.NONE);
        assertEquals(Pmap.EnterResult.OK, p.enter(PhysAddr.of(0x8000_0000L), VirtAddr.of(0x8000_0000L), Attr.PRESENT, Frame.NONE));
        assertEquals(0, p.attributes(VirtAddr.of(0x8000_0000L)), "enter enables no map");
        p.remove(VirtAddr.of(0), VirtAddr.of(0x1000));
        assertTrue(p.isAllowed(VirtAddr.of(0), Size.of(4)), "remove disables no map");
        assertEquals(PhysAddr.of(0x8000_1234L), p.resolve(VirtAddr.of(0x8000_1234L)));
        assertEquals(PhysAddr.of(0x4000_0000L), p.resolve(VirtAddr.of(0x4000_0000L)), "identity even in a hole, as Phoenix");
        assertEquals(Pmap.EnterResult.OK, hal.kernelSpaceExpand(kernel, VirtAddr.of(0xffff_f000L), Frame.NONE));
    }

    @Test
    void segmentRunsFromTheImageEndToThePageRoundedHeapTop() {
        List<KernelSegment> segs = hal.segments(VirtAddr.of(NommuBoard.HEAP_END + 100));
        assertEquals(1, segs.size());
        KernelSegment s = segs.getFirst();
        assertEquals(NommuBoard.IMAGE_END, s.start().value());
        assertEquals(NommuBoard.HEAP_END + 512 - NommuBoard.IMAGE_END, s.size().bytes());
        assertEquals(Prot.READ | Prot.EXEC, s.prot());
    }

    @Test
    void describesItselfForTheLayersAbove() {
        assertSame(arch, hal.architecture());
        assertEquals(512, hal.pageSize());
        assertEquals(12, hal.pageDescriptorSize(), "sizeof(page_t) on armv7m");
        assertEquals(' ', hal.marker(PageFlags.FREE));
        assertEquals(' ', hal.marker(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP));
        assertFalse(hal.showsPageMap());
        assertEquals(List.of("itcm", "dtcm", "ocram", "dram"), hal.maps().stream().map(MemoryMapInfo::name).toList());
        for (int i = 0; i < hal.maps().size(); i++) {
            assertEquals(i, hal.maps().get(i).id());
        }
        assertEquals(2, hal.cpus());
        assertThrows(IndexOutOfBoundsException.class, () -> hal.mmu(2));
    }

    @Test
    void physicalMemoryCoversEveryMapAndNoHole() {
        for (MemoryMapInfo m : hal.maps()) {
            hal.memory().write32(m.start(), 0xcafe_0000L + m.id());
            hal.memory().write32(m.end() - 4, 0xbeef);
            assertEquals(0xcafe_0000L + m.id(), hal.memory().read32(m.start()), m.name());
        }
        assertThrows(BusError.class, () -> hal.memory().read32(NommuBoard.ITCM_START + NommuBoard.ITCM_SIZE));
        assertThrows(BusError.class, () -> hal.memory().read8(0x4000_0000L));
        assertThrows(BusError.class, () -> hal.memory().read8(0x8080_0000L));
    }

    @Test
    void guiceModuleBuildsOneHalPerInjector() {
        MachineConfig config = new MachineConfig(16L << 20, 1);
        Injector injector = Guice.createInjector(arch.module(config));
        Hal a = injector.getInstance(Hal.class);
        assertInstanceOf(NommuHal.class, a);
        assertSame(a, injector.getInstance(Hal.class), "one HAL per machine");
        assertSame(config, injector.getInstance(MachineConfig.class));
        assertEquals(16L << 20, a.memory().layout().bankOf(0x8000_0000L).size());
        Hal b = Guice.createInjector(arch.module(config)).getInstance(Hal.class);
        assertNotSame(a, b, "two machines side by side");
    }
}
