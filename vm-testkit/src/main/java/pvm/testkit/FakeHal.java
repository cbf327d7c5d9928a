package pvm.testkit;

import com.google.inject.Module;
import java.util.List;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelImageRange;
import pvm.hal.pmap.KernelSegment;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.TargetAbi;
import pvm.hal.pmap.VirtAddr;

/**
 * A small i686-like machine for the tests of the layers above the mapper, with no architecture
 * module behind it: one bank of RAM from 0, 4 KiB pages, page 0 taken by the loader, low memory
 * free, the kernel image at 1 MiB mapped at 0xc0100000, the kernel heap's first page right after
 * it, page tables as a hash map ({@link FakePmap}) that never needs a page for a table, so page
 * counts in those tests are the layers' own.
 */
public final class FakeHal implements Hal {

    public static final int PAGE = 4096;
    public static final long VADDR_KERNEL = 0xc000_0000L;
    private static final long KERNEL_PHYS = 0x10_0000L;
    private static final long KERNEL_SIZE = 0x4_0000L;

    private final long ram;
    private final PhysicalMemory memory;
    private final PageFrames frames;
    private final FakePmap kernel = new FakePmap(VADDR_KERNEL, 0x1_0000_0000L, PAGE);
    private final Architecture arch = new FakeArchitecture();

    public FakeHal(long ram) {
        this.ram = ram;
        this.memory = new PhysicalMemory(bootMap());
        this.frames = new PageFrames((int) (ram / PAGE), PAGE);
    }

    private BootMemoryMap bootMap() {
        return new BootMemoryMap(List.of(new BootMemoryMap.Bank("ram", 0, ram)),
                List.of(new BootMemoryMap.Taken("page 0", 0, PAGE, PageFlags.OWNER_BOOT),
                        new BootMemoryMap.Taken("kernel", KERNEL_PHYS, heapPhys() + PAGE, PageFlags.OWNER_KERNEL)));
    }

    private static long heapPhys() {
        return KERNEL_PHYS + KERNEL_SIZE;
    }

    @Override
    public Architecture architecture() {
        return arch;
    }

    @Override
    public MachineConfig config() {
        return new MachineConfig(ram, 1);
    }

    @Override
    public PhysicalMemory memory() {
        return memory;
    }

    @Override
    public PageFrames frames() {
        return frames;
    }

    @Override
    public int pageSize() {
        return PAGE;
    }

    @Override
    public PmapInit init() {
        for (long pa = KERNEL_PHYS; pa < heapPhys() + PAGE; pa += PAGE) {
            kernel.enter(PhysAddr.of(pa), VirtAddr.of(VADDR_KERNEL + pa), Attr.PRESENT | Attr.WRITE, Frame.NONE);
        }
        long heap = VADDR_KERNEL + heapPhys();
        return new PmapInit(kernel, VirtAddr.of(heap), VirtAddr.of(heap + PAGE));
    }

    @Override
    public int getPage(PageProbe probe) {
        if (probe.cursor >= ram) {
            return Errno.ENOMEM;
        }
        probe.pageAddr = probe.cursor;
        long a = probe.cursor;
        probe.pageFlags = a < PAGE ? PageFlags.OWNER_BOOT : a >= KERNEL_PHYS && a < heapPhys() + PAGE ? PageFlags.OWNER_KERNEL : PageFlags.FREE;
        probe.cursor += PAGE;
        return Errno.EOK;
    }

    @Override
    public boolean showsPageMap() {
        return true;
    }

    @Override
    public Pmap create(Pmap kernelPmap, Frame pdir) {
        return new FakePmap(0, VADDR_KERNEL, PAGE);
    }

    @Override
    public Pmap.EnterResult kernelSpaceExpand(Pmap kernelPmap, VirtAddr end, Frame dp) {
        return Pmap.EnterResult.OK;
    }

    @Override
    public List<KernelSegment> segments(VirtAddr heapTop) {
        // _etext is not page-aligned, as a linker leaves it: the data starts inside the text's last page.
        long text = VADDR_KERNEL + KERNEL_PHYS;
        long etext = text + KERNEL_SIZE / 2 + 0x5c0;
        return List.of(
                new KernelSegment("text", VirtAddr.of(text), Size.of(etext - text), Prot.READ | Prot.EXEC),
                new KernelSegment("data", VirtAddr.of(etext), Size.of(heapTop.value() - etext), Prot.READ | Prot.WRITE));
    }

    /** The image the fake loader mapped at {@link #init}: 1 MiB up to the heap's first page. */
    @Override
    public List<KernelImageRange> kernelImage() {
        return List.of(new KernelImageRange("kernel image", VirtAddr.of(VADDR_KERNEL + KERNEL_PHYS), VirtAddr.of(VADDR_KERNEL + heapPhys()),
                PhysAddr.of(KERNEL_PHYS)));
    }

    @Override
    public int cpus() {
        return 1;
    }

    @Override
    public Mmu mmu(int i) {
        throw new UnsupportedOperationException("the fake machine has no CPUs");
    }

    @Override
    public List<MemoryMapInfo> maps() {
        return List.of();
    }

    /** The fake's description of itself. */
    private final class FakeArchitecture implements Architecture {

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String description() {
            return "a test machine";
        }

        @Override
        public int pageSize() {
            return PAGE;
        }

        @Override
        public boolean hasMmu() {
            return true;
        }

        /** ia32's struct sizes, so kmalloc figures in these tests are the PC's. */
        @Override
        public TargetAbi abi() {
            return new TargetAbi(4, 16, 60, 124, 80, 88, 88, 36);
        }

        /** ia32's letters ({@code pmap_marker} of {@code hal/ia32/pmap.c}). */
        @Override
        public char marker(int pageFlags) {
            if (PageFlags.isFree(pageFlags)) {
                return '.';
            }
            return "BKAU".charAt((pageFlags >> 1) & 3) == 'K' ? "KYCPMSHKKKKKKKKK".charAt((pageFlags >> 4) & 0xf) : "BKAU".charAt((pageFlags >> 1) & 3);
        }

        @Override
        public AddressLayout layout() {
            return new AddressLayout(0, VADDR_KERNEL, VADDR_KERNEL, 0x1_0000_0000L);
        }

        @Override
        public long defaultRam() {
            return ram;
        }

        @Override
        public long minRam() {
            return ram;
        }

        @Override
        public long maxRam() {
            return ram;
        }

        @Override
        public BootMemoryMap bootMemoryMap(long ramBytes) {
            return bootMap();
        }

        @Override
        public Module module(MachineConfig config) {
            return binder -> { };
        }
    }
}
