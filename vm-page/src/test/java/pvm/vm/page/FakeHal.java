package pvm.vm.page;

import java.util.List;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelSegment;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.VirtAddr;

/**
 * A machine in miniature for boot tests: pages come from a {@link BootMemoryMap} (its taken ranges
 * with their flags, everything else in a bank free, holes skipped), and the kernel space is expanded
 * in 4 MiB slots of a {@link FakePmap} from {@code 0xc0000000}, one offered page at a time, as
 * {@code _pmap_kernelSpaceExpand} on ia32.
 */
final class FakeHal implements Hal {

    static final long VADDR_KERNEL = 0xc000_0000L;

    private final BootMemoryMap map;
    private final PageFrames frames;
    private final int pageSize;
    private final int descriptorSize;
    private final PageMarker marker;
    int getPageCalls;

    FakeHal(BootMemoryMap map, int pageSize, int descriptorSize, PageMarker marker) {
        this.map = map;
        this.pageSize = pageSize;
        this.descriptorSize = descriptorSize;
        this.marker = marker;
        this.frames = new PageFrames((int) (map.ramBytes() / pageSize), pageSize);
    }

    @Override
    public int getPage(PageProbe probe) {
        getPageCalls++;
        long a = probe.cursor & -pageSize;
        if (a >= map.top()) {
            return Errno.ENOMEM;
        }
        BootMemoryMap.Bank bank = map.bankOf(a);
        if (bank == null) {
            for (BootMemoryMap.Bank b : map.banks()) {
                if (b.start() > a) {
                    probe.cursor = b.start();
                    return Errno.EINVAL;
                }
            }
            return Errno.ENOMEM;
        }
        probe.pageAddr = a;
        probe.pageFlags = PageFlags.FREE;
        for (BootMemoryMap.Taken t : map.taken()) {
            if (a >= t.start() && a < t.end()) {
                probe.pageFlags = t.pageFlags();
            }
        }
        probe.cursor = a + pageSize;
        return Errno.EOK;
    }

    @Override
    public Pmap.EnterResult kernelSpaceExpand(Pmap kernel, VirtAddr end, Frame dp) {
        FakePmap pmap = (FakePmap) kernel;
        Frame offered = dp;
        for (long va = VADDR_KERNEL; va < end.value(); va += 1L << FakePmap.SLOT_SHIFT) {
            if (!pmap.ensure(va, offered)) {
                return Pmap.EnterResult.NEEDS_PTABLE;
            }
            if (pmap.ptables.contains(offered.index())) {
                offered = Frame.NONE;
            }
        }
        return Pmap.EnterResult.OK;
    }

    @Override
    public PageFrames frames() {
        return frames;
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public int pageDescriptorSize() {
        return descriptorSize;
    }

    @Override
    public char marker(int pageFlags) {
        return marker.marker(pageFlags);
    }

    @Override
    public boolean showsPageMap() {
        return true;
    }

    @Override
    public Architecture architecture() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MachineConfig config() {
        throw new UnsupportedOperationException();
    }

    @Override
    public PhysicalMemory memory() {
        throw new UnsupportedOperationException();
    }

    @Override
    public PmapInit init() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Pmap create(Pmap kernel, Frame pdir) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<KernelSegment> segments(VirtAddr heapTop) {
        return List.of();
    }

    @Override
    public List<pvm.hal.pmap.KernelImageRange> kernelImage() {
        return List.of();
    }

    @Override
    public int cpus() {
        return 1;
    }

    @Override
    public Mmu mmu(int i) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<MemoryMapInfo> maps() {
        return List.of();
    }
}
