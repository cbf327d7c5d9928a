package pvm.vm.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.vm.page.BuddyPageAllocator;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;
import pvm.vm.page.QueuePageAllocator;

/** A booted flat machine up to the mapper, with the test pager registered. */
final class TestMachine {

    static final long USER_START = 0x1000;
    static final long USER_STOP = FlatHal.VADDR_KERNEL;

    final FlatHal hal;
    final KernelHeap heap;
    final PageAllocator pages;
    final VmMaps maps;
    final TestPager pager;
    final List<String> console = new ArrayList<>();
    final int ps;
    private final List<Integer> hogged = new ArrayList<>();

    private TestMachine(long ram, int pageSize, boolean mmu) {
        hal = new FlatHal(ram, pageSize, mmu);
        PmapInit init = hal.init();
        heap = new KernelHeap(init.heapStart().value(), init.heapEnd().value());
        pages = mmu ? BuddyPageAllocator.boot(hal, init.kernel(), heap, console::add)
                : QueuePageAllocator.boot(hal, init, heap, console::add);
        maps = VmMaps.init(hal, pages, init.kernel(), heap, console::add, FlatHal.modelOf(hal));
        pager = new TestPager(maps);
        maps.setPager(pager);
        ps = pageSize;
    }

    static TestMachine mmu() {
        return new TestMachine(8 << 20, 4096, true);
    }

    static TestMachine mmu(long ram) {
        return new TestMachine(ram, 4096, true);
    }

    static TestMachine nommu() {
        return new TestMachine(2 << 20, 512, false);
    }

    VmMap kmap() {
        return maps.kernelMap();
    }

    VmMap process() {
        return maps.create(VirtAddr.of(USER_START), VirtAddr.of(USER_STOP)).get();
    }

    /** Every checker: the mapper's, the pager's, the page allocator's, and no page mapped outside an entry. */
    List<String> verify() {
        List<String> errors = new ArrayList<>(maps.verify());
        List<VmMap> all = allMaps();
        errors.addAll(pager.verify(all));
        errors.addAll(pages.verify());
        if (hal.mmu) {
            for (VmMap m : all) {
                if (m.isKernel()) {
                    continue;
                }
                for (Map.Entry<Long, FlatPmap.Pte> pte : ((FlatPmap) m.pmap).presentPtes().entrySet()) {
                    if (m.tree.find(pte.getKey(), ps) == null) {
                        errors.add(String.format("%s: page 0x%x is mapped outside every entry", m, pte.getKey()));
                    }
                }
            }
        }
        return errors;
    }

    List<VmMap> allMaps() {
        List<VmMap> all = new ArrayList<>();
        all.add(kmap());
        for (int i = 0; i < maps.sharedMapCount(); i++) {
            VmMap m = maps.sharedMap(i).get();
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        for (VmMap m : maps.liveMaps()) {
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        return all;
    }

    /** Takes pages until only {@code leave} are free (to make the next allocations fail). */
    void hogAllBut(int leave) {
        while (pages.freeBytes() > (long) leave * ps) {
            int f = pages.allocFrame(ps, PageFlags.OWNER_KERNEL);
            if (f == PageFrames.NONE) {
                break;
            }
            hogged.add(f);
        }
    }

    void releaseHog() {
        for (int f : hogged) {
            pages.freeFrame(f);
        }
        hogged.clear();
    }

    /** Takes pool entries until only {@code leave} are free; returns them for {@link #returnEntries}. */
    List<MapEntry> drainPoolBut(int leave) {
        List<MapEntry> taken = new ArrayList<>();
        while (maps.pool().free() > leave) {
            taken.add(maps.pool().alloc());
        }
        return taken;
    }

    void returnEntries(List<MapEntry> taken) {
        for (MapEntry e : taken) {
            maps.pool().free(e);
        }
    }

    /** An anonymous private mapping for {@code owner}. */
    long anon(VmMap map, long vaddr, long size, int prot, int flags, MapOwner owner) {
        return map.mmap(VirtAddr.of(vaddr), Frame.NONE, Size.of(size), prot, null, -1, flags, owner).get().value();
    }

    long anonFixed(VmMap map, long vaddr, long size, int prot, MapOwner owner) {
        return anon(map, vaddr, size, prot, MapFlags.FIXED, owner);
    }

    /** The 64-bit word at {@code va} as a CPU sees it after the fault path made the page present. */
    long read(VmMap map, long va, int accessProt) {
        // Only a page that is not present faults on a read, as on the MMU.
        if ((map.pmap.attributes(VirtAddr.of(va & -ps)) & pvm.hal.pmap.Attr.PRESENT) == 0) {
            int r = map.force(va & -ps, accessProt);
            if (r != 0) {
                throw new IllegalStateException("read fault at 0x" + Long.toHexString(va) + ": " + Errno.name(r));
            }
        }
        return hal.memory().read64(map.pmap.resolve(VirtAddr.of(va)).value());
    }

    void write(VmMap map, long va, long value, int accessProt) {
        long page = va & -ps;
        // A present, writable page needs no fault; otherwise fault, as the MMU would.
        int attr = map.pmap.attributes(VirtAddr.of(page));
        if ((attr & pvm.hal.pmap.Attr.PRESENT) == 0 || (attr & pvm.hal.pmap.Attr.WRITE) == 0) {
            int r = map.force(page, accessProt);
            if (r != 0) {
                throw new IllegalStateException("write fault at 0x" + Long.toHexString(va) + ": " + Errno.name(r));
            }
        }
        hal.memory().write64(map.pmap.resolve(VirtAddr.of(va)).value(), value);
    }

    record Lazy(String name, boolean lazy) implements MapOwner {
    }
}
