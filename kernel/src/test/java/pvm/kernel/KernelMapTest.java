package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.KernelImageRange;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.vm.map.EntryInfo;
import pvm.vm.map.VmMap;

/**
 * The kernel map right after boot, entry for entry as Phoenix builds it ({@code _map_init} with
 * {@code round_page}, {@code _map_mapsInit} with the loader's entries), and the kernel image keeping
 * its own frames through a workload that makes the kernel allocate a lot.
 */
class KernelMapTest {

    private static final int RX = Prot.READ | Prot.EXEC;
    private static final int RW = Prot.READ | Prot.WRITE;

    private static String describe(List<EntryInfo> entries) {
        List<String> out = new ArrayList<>();
        for (EntryInfo e : entries) {
            out.add(String.format("%08x-%08x %s", e.vaddr().value(), e.end(), Prot.letters(e.prot())));
        }
        return String.join("\n", out);
    }

    /**
     * ia32's {@code pmap_segment}: the low megabyte read-write, the text read-execute up to
     * {@code round_page(_etext)} (0xc013a5c0 rounds up to 0xc013b000), then one read-write entry from
     * there that reaches {@code round_page(_etext) + round_page(top - _etext)}, a page past the heap's
     * top, where the entry pool ends.
     */
    @Test
    void i686KernelMapIsPhoenixs() {
        Machine m = Machine.bootDefault(Architectures.named("i686").get());
        long etext = 0xc013a5c0L;
        long segmentEnd = 0xc013b000L + Sizes.alignUp(m.maps().bootTop() - etext, 4096);
        assertTrue(segmentEnd > m.maps().bootTop(), "the data entry runs past the heap's top");
        // kmalloc's first zone (one page of the kernel object, read-write) lands right after it and merges.
        assertEquals(String.join("\n",
                "c0000000-c0100000 rw-",
                "c0100000-c013b000 r-x",
                String.format("c013b000-%08x rw-", segmentEnd + 4096)),
                describe(m.maps().kernelMap().entries()));
        Checks.assertConsistent(m);
    }

    /**
     * No-MMU: the loader's entry for the image's DTCM segment (.data, .bss, .syspage up to _end at
     * 0x20007b00, rounded to 0x20007c00), then the heap segment from {@code round_page(_end)}; the
     * text's entry lies in ITCM's map.
     */
    @Test
    void nommuKernelMapHoldsTheLoadersEntriesThenTheHeap() {
        Machine m = Machine.bootDefault(Architectures.named("nommu").get());
        List<EntryInfo> kernel = m.maps().kernelMap().entries();
        assertEquals(0x2000_0000L, kernel.get(0).vaddr().value());
        assertEquals(0x2000_7c00L, kernel.get(0).end());
        assertEquals(RX, kernel.get(0).prot());
        assertEquals(0x2000_7c00L, kernel.get(1).vaddr().value(), describe(kernel));
        VmMap itcm = m.maps().sharedMap(0).get();
        assertEquals("00000000-0001c000 r-x", describe(itcm.entries()));
        assertTrue(m.bootLog().contains("vm: Initializing page allocator 35/348 KB, page_t=12"), String.join("\n", m.bootLog()));
        Checks.assertConsistent(m);
    }

    /** The checker's rule, proven on the very bug it was written for: a page mapped over the image. */
    @Test
    void theCheckerCatchesAMappingLaidOverTheKernelImage() {
        Machine m = Machine.bootDefault(Architectures.named("i686").get());
        VirtAddr data = VirtAddr.of(0xc013b000L);
        PhysAddr stranger = PhysAddr.of(m.pages().frames().addr(m.pages().allocFrame(4096, PageFlags.OWNER_KERNEL)));
        m.kernelPmap().enter(stranger, data, Attr.PRESENT | Attr.WRITE, Frame.NONE);
        assertTrue(m.verify().stream().anyMatch(v -> v.equals(String.format("map: kernel image page 0xc013b000 maps 0x%x, not its own frame 0x13b000", stranger.value()))), () -> m.verify()
                .toString());
        m.kernelPmap().remove(data, data.plus(4096));
        assertTrue(m.verify().stream().anyMatch(v -> v.equals("map: kernel image page 0xc013b000 maps nothing, not its own frame 0x13b000")),
                () -> m.verify().toString());
    }

    /**
     * Many processes, each with mappings that cost the kernel entries, amaps, anons and page tables,
     * then all of them gone: every page of the image still maps its own frame, in the kernel's map
     * and every process's.
     */
    @Test
    void theKernelImageKeepsItsFramesThroughAKmallocHungryWorkload() {
        for (String arch : List.of("i686", "nommu")) {
            Machine m = Machine.bootDefault(Architectures.named(arch).get());
            Cpu cpu = m.cpu(0);
            List<Process> procs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Process p = m.spawn("p" + i).get();
                procs.add(p);
                for (int j = 0; j < 6; j++) {
                    long a = m.mmap(p, VirtAddr.NULL, Size.of(4L * m.pageSize()), RW, MapFlags.PRIVATE | MapFlags.ANONYMOUS, null, 0).get().value();
                    assertTrue(cpu.store(p, 8, a + m.pageSize(), i).isRight());
                }
                Checks.assertConsistent(m);
            }
            for (KernelImageRange r : m.hal().kernelImage()) {
                for (long va = r.start().value(); va < r.end().value(); va += m.pageSize()) {
                    assertEquals(r.physOf(va), m.kernelPmap().resolve(VirtAddr.of(va)).value(), () -> arch + " " + r);
                }
            }
            for (Process p : procs) {
                assertTrue(m.exit(p).isRight());
            }
            Checks.assertConsistent(m);
        }
    }
}
