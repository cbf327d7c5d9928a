package pvm.arch.i686;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelSegment;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

class I686HalTest {

    private static final long MIB = 1L << 20;
    private static final int K = PageFlags.OWNER_KERNEL;

    // --- pmap_getPage -------------------------------------------------------------------------

    private record Discovery(List<Long> addrs, List<Integer> flags, int skips, long skipCursor) {
    }

    private static Discovery discoverAll(Hal hal) {
        PageProbe probe = new PageProbe();
        List<Long> addrs = new ArrayList<>();
        List<Integer> flags = new ArrayList<>();
        int skips = 0;
        long skipCursor = -1;
        int rc;
        while ((rc = hal.getPage(probe)) != Errno.ENOMEM) {
            if (rc == Errno.EOK) {
                addrs.add(probe.pageAddr);
                flags.add(probe.pageFlags);
            } else {
                assertEquals(Errno.EINVAL, rc);
                skips++;
                skipCursor = probe.cursor;
            }
        }
        return new Discovery(addrs, flags, skips, skipCursor);
    }

    @Test
    void discoveryWalksThePcMapSkippingTheHoleAndEndingAtTheTop() {
        I686Hal hal = new I686Hal(new I686Architecture(), new MachineConfig(128 * MIB, 1));
        Discovery d = discoverAll(hal);
        assertEquals(160 + (127 * MIB) / 4096, d.addrs().size(), "640 KiB + 127 MiB of pages");
        assertEquals(1, d.skips(), "one hole, one skip");
        assertEquals(0x10_0000L, d.skipCursor(), "the skip moves the cursor to the next bank");
        assertEquals(0L, d.addrs().getFirst());
        assertEquals(0x9_f000L, d.addrs().get(159), "the last conventional page");
        assertEquals(0x10_0000L, d.addrs().get(160), "then straight to 1 MiB");
        assertEquals(128 * MIB - 4096, d.addrs().getLast());
        for (int i = 1; i < d.addrs().size(); i++) {
            assertTrue(d.addrs().get(i) > d.addrs().get(i - 1));
        }

        int[] flagsOfLowPages = {K, K | PageFlags.KERNEL_CPU, K | PageFlags.KERNEL_SYSPAGE, K | PageFlags.KERNEL_PTABLE,
                K | PageFlags.KERNEL_PTABLE, K | PageFlags.KERNEL_STACK, PageFlags.FREE};
        for (int i = 0; i < flagsOfLowPages.length; i++) {
            assertEquals(flagsOfLowPages[i], d.flags().get(i), "page " + i);
        }
        for (int i = 0; i < d.addrs().size(); i++) {
            long a = d.addrs().get(i);
            int f = d.flags().get(i);
            if (a >= 0x8_0000 && a < 0xA_0000) {
                assertEquals(PageFlags.OWNER_BOOT, f, "EBDA page " + Long.toHexString(a));
            } else if (a >= 0x10_0000 && a < 0x15_a000) {
                assertEquals(K, f, "kernel image page " + Long.toHexString(a));
            } else if (a >= 0x6000) {
                assertEquals(PageFlags.FREE, f, "free page " + Long.toHexString(a));
            }
        }
        long boot = d.flags().stream().filter(f -> f == PageFlags.OWNER_BOOT).count();
        assertEquals(32, boot);
        long kernelImage = d.addrs().stream().filter(a -> a >= 0x10_0000 && a < 0x15_a000).count();
        assertEquals(90, kernelImage);
    }

    @Test
    void theEndStaysTheEndAndCursorsAreRoundedToPages() {
        I686Hal hal = new I686Hal(new I686Architecture(), new MachineConfig(4 * MIB, 1));
        PageProbe probe = new PageProbe();
        probe.cursor = 4 * MIB;
        assertEquals(Errno.ENOMEM, hal.getPage(probe));
        assertEquals(Errno.ENOMEM, hal.getPage(probe));
        probe.cursor = 0x6123;
        assertEquals(Errno.EOK, hal.getPage(probe));
        assertEquals(0x6000, probe.pageAddr);
        assertEquals(0x7000, probe.cursor);
        probe.cursor = 0xC_0000; // inside the hole, not at its start
        assertEquals(Errno.EINVAL, hal.getPage(probe));
        assertEquals(0x10_0000, probe.cursor);
        probe.cursor = -4096;
        assertEquals(Errno.EOK, hal.getPage(probe), "below the lowest bank: start at it");
        assertEquals(0, probe.pageAddr);
    }

    @Test
    void aFourGibMachineHasAMillionFramesAndCommitsAlmostNothing() throws IOException {
        long before = residentKib();
        I686Hal hal = new I686Hal(new I686Architecture(), new MachineConfig(4L << 30, 1));
        int skips = TestMachine.discover(hal);
        assertEquals(1, skips);
        assertEquals(160 + ((4L << 30) - MIB) / 4096, hal.frames().count());
        assertEquals(1 << 20, hal.frames().capacity(), "capacity = RAM / page size");
        assertEquals(0xffff_f000L, hal.frames().addr(hal.frames().count() - 1));

        // Touch a few pages across the 4 GiB.
        for (long a : new long[] {0x1000_0000L, 0x8000_0000L, 0xffff_f000L, 0xc000_0000L}) {
            hal.memory().write32(a, 0xfeed_f00dL);
            assertEquals(0xfeed_f00dL, hal.memory().read32(a));
        }
        assertEquals(0, hal.memory().read32(0x7000_0000L), "untouched RAM reads as zero");
        long after = residentKib();
        if (before > 0 && after > 0) {
            // The frame table is 14 MiB of heap; the 4 GiB of RAM must not be committed.
            assertTrue(after - before < 64 * 1024, "RSS grew by " + (after - before) + " KiB");
        }
    }

    /** VmRSS in KiB on Linux, -1 elsewhere. */
    private static long residentKib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void discoveryOfAFourGibMachineVisitsEveryPageOnce() {
        // How fast it goes is benchmarks/run's boot4G; here, that the walk is complete and ends.
        I686Hal hal = new I686Hal(new I686Architecture(), new MachineConfig(4L << 30, 1));
        PageProbe probe = new PageProbe();
        long calls = 0;
        while (hal.getPage(probe) != Errno.ENOMEM) {
            calls++;
        }
        assertEquals(160 + 1 + ((4L << 30) - MIB) / 4096, calls, "pages plus one skip");
    }

    // --- pmap_marker --------------------------------------------------------------------------

    @Test
    void markersAreThoseOfIa32PmapMarker() {
        I686Hal hal = new TestMachine(4 * MIB, 1).hal;
        assertEquals('.', hal.marker(PageFlags.FREE));
        assertEquals('.', hal.marker(PageFlags.FREE | K | PageFlags.KERNEL_HEAP), "free wins");
        assertEquals('B', hal.marker(PageFlags.OWNER_BOOT));
        assertEquals('K', hal.marker(K));
        assertEquals('Y', hal.marker(K | PageFlags.KERNEL_SYSPAGE));
        assertEquals('C', hal.marker(K | PageFlags.KERNEL_CPU));
        assertEquals('P', hal.marker(K | PageFlags.KERNEL_PTABLE));
        assertEquals('M', hal.marker(K | PageFlags.KERNEL_PMAP));
        assertEquals('S', hal.marker(K | PageFlags.KERNEL_STACK));
        assertEquals('H', hal.marker(K | PageFlags.KERNEL_HEAP));
        assertEquals('K', hal.marker(K | (7 << 4)));
        assertEquals('K', hal.marker(K | (15 << 4)));
        assertEquals('A', hal.marker(PageFlags.OWNER_APP | PageFlags.KERNEL_PTABLE));
        assertEquals('U', hal.marker(3 << 1));
        assertEquals('B', hal.marker(PageFlags.OWNER_BOOT | PageFlags.KERNEL_STACK));
        assertTrue(hal.showsPageMap());

        StringBuilder low = new StringBuilder();
        for (int f = 0; f < 8; f++) {
            low.append(hal.marker(hal.frames().flags(f)));
        }
        assertEquals("KCYPPS..", low.toString());
    }

    // --- _pmap_init ---------------------------------------------------------------------------

    @Test
    void beforeInitTheLoaderMapsTheFirstFourMibTwice() {
        I686Hal hal = new I686Hal(new I686Architecture(), new MachineConfig(8 * MIB, 2));
        assertEquals(0x4003L, hal.memory().read32(0x3000), "pdir[0]: identity");
        assertEquals(0x4003L, hal.memory().read32(0x3000 + 768 * 4), "pdir[768]: VADDR_KERNEL");
        assertEquals(0x0010_0003L, hal.memory().read32(0x4000 + 256 * 4), "the kernel image page");
        assertEquals(0x003f_f003L, hal.memory().read32(0x4000 + 1023 * 4));
        for (int i = 0; i < 2; i++) {
            Mmu cpu = hal.mmu(i);
            assertEquals(0x3000L, ((I686Mmu) cpu).cr3(), "every CPU runs on the loader's directory");
            assertEquals(0x12_3456L, cpu.translate(0x12_3456L, Access.READ));
            assertEquals(0x12_3456L, cpu.translate(0xc012_3456L, Access.READ));
        }
    }

    @Test
    void initTrimsTheLoaderMappingAndMapsTheFirstHeapPageToPageZero() {
        TestMachine m = new TestMachine(128 * MIB, 2);
        I686Pmap kernel = m.kernel();
        long heapStart = 0xc015_b000L; // page-aligned _end is the window, the heap one page above

        assertEquals(m.hal.halConfig().ptableWindow, 0xc015_a000L);
        assertEquals(heapStart, m.hal.halConfig().heapStart);
        assertEquals(VirtAddr.of(heapStart + 0x500), m.init.heapStart(), "above the BIOS data area");
        assertEquals(VirtAddr.of(heapStart + 4096), m.init.heapEnd());

        assertEquals(0L, m.memory().read32(0x3000), "identity mapping removed");
        assertEquals(0x4003L, m.pde(kernel, 0xc000_0000L));
        assertEquals(0x0000_0003L, m.pte(kernel, heapStart), "page 0, present and writable");
        assertEquals(0x4007L, m.pte(kernel, 0xc015_a000L), "the window maps the loader's page table");
        assertEquals(0x0015_9003L, m.pte(kernel, 0xc015_9000L), "the kernel image stays mapped");
        assertEquals(0x0000_5003L, m.pte(kernel, 0xc000_5000L), "and the low megabyte");
        for (long va = heapStart + 4096; va < 0xc040_0000L; va += 4096) {
            assertEquals(0L, m.pte(kernel, va), String.format("0x%08x unmapped", va));
        }

        assertEquals(VirtAddr.of(0xc000_0000L), kernel.start());
        assertEquals(VirtAddr.of(0x1_0000_0000L), kernel.end());
        assertTrue(kernel.belongs(VirtAddr.of(0xffff_ffffL)));
        assertFalse(kernel.belongs(VirtAddr.of(0xbfff_ffffL)));

        Mmu cpu1 = m.hal.mmu(1);
        assertSame(kernel, cpu1.current());
        assertEquals(0x510L, cpu1.translate(heapStart + 0x510, Access.WRITE));
        assertEquals(Mmu.FAULT, cpu1.translate(0x1000, Access.READ), "identity mapping gone");
        assertEquals(Mmu.FAULT, cpu1.translate(0xc020_0000L, Access.READ), "rest of the 4 MiB gone");
        assertThrows(IllegalStateException.class, m.hal::init);
    }

    // --- pmap_segment -------------------------------------------------------------------------

    @Test
    void segmentsAreLowMemoryTextAndDataUpToTheHeapTop() {
        I686Hal hal = new TestMachine(16 * MIB, 1).hal;
        List<KernelSegment> s = hal.segments(VirtAddr.of(0xc020_0000L));
        assertEquals(List.of(
                new KernelSegment("low memory", VirtAddr.of(0xc000_0000L), Size.of(0x10_0000), Prot.READ | Prot.WRITE),
                new KernelSegment("text", VirtAddr.of(0xc010_0000L), Size.of(0x3_a5c0), Prot.READ | Prot.EXEC),
                new KernelSegment("data", VirtAddr.of(0xc013_a5c0L), Size.of(0xc020_0000L - 0xc013_a5c0L), Prot.READ | Prot.WRITE)), s);
        assertThrows(IllegalArgumentException.class, () -> hal.segments(VirtAddr.of(0xc010_0000L)));
    }

    // --- _pmap_kernelSpaceExpand --------------------------------------------------------------

    @Test
    void kernelSpaceExpandAsksForTablesUntilEverySlotUpToTheEndHasOne() {
        TestMachine m = new TestMachine(64 * MIB, 1);
        I686Pmap kernel = m.kernel();
        VirtAddr end = VirtAddr.of(0xc000_0000L + 10 * MIB + 4096); // slots 768..770
        List<Long> offered = new ArrayList<>();
        Frame dp = Frame.NONE;
        Pmap.EnterResult r;
        while ((r = m.hal.kernelSpaceExpand(kernel, end, dp)) == Pmap.EnterResult.NEEDS_PTABLE) {
            dp = m.alloc(K | PageFlags.KERNEL_PTABLE);
            long a = m.addr(dp);
            m.memory().fill(a, 4096, 0xa5); // garbage the HAL must clear
            offered.add(a);
            assertTrue(offered.size() <= 2, "only two slots lack a table");
        }
        assertEquals(Pmap.EnterResult.OK, r);
        assertEquals(2, offered.size());
        assertEquals(offered.get(0) | 0x7, m.pde(kernel, 0xc040_0000L));
        assertEquals(offered.get(1) | 0x7, m.pde(kernel, 0xc080_0000L));
        assertEquals(0L, m.pde(kernel, 0xc0c0_0000L), "nothing beyond the end");
        for (int i = 0; i < 1024; i++) {
            assertEquals(0L, m.memory().read32(offered.get(1) + i * 4L), "the new table is zeroed");
        }
        assertEquals(0L, m.pte(kernel, 0xc040_0000L), "no stray mapping of page 0 (Phoenix leaves one)");
        assertEquals(end, kernel.end(), "the kernel's range ends where expansion ended");
        assertEquals(Pmap.EnterResult.OK, m.hal.kernelSpaceExpand(kernel, end, Frame.NONE), "nothing more needed");
    }

    @Test
    void kernelSpaceExpandStopsAtTheTopOfTheAddressSpace() {
        TestMachine m = new TestMachine(64 * MIB, 1);
        I686Pmap kernel = m.kernel();
        VirtAddr end = VirtAddr.of(0xc015_c000L + (1L << 30)); // top + 1 GiB: past 4 GiB
        int tables = 0;
        Frame dp = Frame.NONE;
        while (m.hal.kernelSpaceExpand(kernel, end, dp) == Pmap.EnterResult.NEEDS_PTABLE) {
            dp = m.alloc(K | PageFlags.KERNEL_PTABLE);
            tables++;
        }
        assertEquals(255, tables, "slots 769..1023");
        assertEquals(VirtAddr.of(0x1_0000_0000L), kernel.end());
        assertThrows(IllegalArgumentException.class, () -> m.hal.kernelSpaceExpand(kernel, VirtAddr.of(0x1000), Frame.NONE));
    }

    // --- pmap_create --------------------------------------------------------------------------

    @Test
    void createCopiesTheKernelDirectoryExceptItsLastSlot() {
        TestMachine m = new TestMachine(64 * MIB, 1);
        I686Pmap kernel = m.kernel();
        Frame dp = Frame.NONE;
        while (m.hal.kernelSpaceExpand(kernel, VirtAddr.of(0x1_0000_0000L), dp) == Pmap.EnterResult.NEEDS_PTABLE) {
            dp = m.alloc(K | PageFlags.KERNEL_PTABLE);
        }
        Frame pdir = m.alloc(K | PageFlags.KERNEL_PMAP);
        m.memory().fill(m.addr(pdir), 4096, 0xff);
        Pmap user = m.hal.create(kernel, pdir);
        assertEquals(m.addr(pdir), user.root().value());
        assertEquals(VirtAddr.of(0), user.start());
        assertEquals(VirtAddr.of(0xc000_0000L), user.end());
        for (int slot = 0; slot < 768; slot++) {
            assertEquals(0L, m.memory().read32(m.addr(pdir) + slot * 4L), "user slot " + slot + " zeroed");
        }
        for (int slot = 768; slot < 1023; slot++) {
            assertEquals(m.memory().read32(kernel.cr3() + slot * 4L), m.memory().read32(m.addr(pdir) + slot * 4L), "slot " + slot);
        }
        assertNotEquals(0L, m.memory().read32(kernel.cr3() + 1023 * 4L));
        assertEquals(0L, m.memory().read32(m.addr(pdir) + 1023 * 4L), "Phoenix's loop stops one slot short");

        // A kernel mapping made later, through a table that existed, is seen from the user space...
        long page = m.page();
        m.map(kernel, 0xd000_0000L, page, Attr.PRESENT | Attr.WRITE);
        Mmu cpu = m.hal.mmu(0);
        user.switchTo(cpu);
        assertEquals(page + 4, cpu.translate(0xd000_0004L, Access.READ));
        // ...but not one in the last slot.
        m.map(kernel, 0xffc0_0000L, page, Attr.PRESENT | Attr.WRITE);
        assertEquals(Mmu.FAULT, cpu.translate(0xffc0_0000L, Access.READ));
        kernel.switchTo(cpu);
        assertEquals(page, cpu.translate(0xffc0_0000L, Access.READ));
    }

    @Test
    void foreignOrMissingArgumentsAreRefused() {
        TestMachine m = new TestMachine(16 * MIB, 1);
        TestMachine other = new TestMachine(16 * MIB, 1);
        assertThrows(IllegalArgumentException.class, () -> m.hal.create(other.kernel(), m.alloc(K)));
        assertThrows(IllegalArgumentException.class, () -> m.hal.create(m.kernel(), Frame.NONE));
        assertThrows(IllegalArgumentException.class, () -> m.hal.create(m.kernel(), new Frame(1 << 20)));
        assertThrows(IllegalArgumentException.class, () -> m.kernel().switchTo(other.hal.mmu(0)));
        assertThrows(IndexOutOfBoundsException.class, () -> m.hal.mmu(1));
        assertTrue(m.hal.maps().isEmpty());
        assertEquals(16, m.hal.pageDescriptorSize());
        assertEquals(4096, m.hal.pageSize());
    }
}
