package pvm.vm.map;

import java.util.List;
import java.util.function.Consumer;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelSegment;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.TargetAbi;
import pvm.hal.pmap.VirtAddr;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;

/** {@code _map_init} and {@code _map_mapsInit}. */
final class MapInit {

    private MapInit() {
    }

    static VmMaps init(Hal hal, PageAllocator pages, Pmap kernelPmap, KernelHeap heap, Consumer<String> console, MapModel model) {
        TargetAbi abi = hal.architecture().abi();
        int pageSize = pages.pageSize();
        long kstart = kernelPmap.start().value();
        long kstop = kernelPmap.end().value();

        // _map_mapsInit widens the kernel map to the board map holding the kernel's range.
        List<MemoryMapInfo> boardMaps = model.sharedMapsOf(hal);
        int kernelMapIndex = -1;
        for (int i = 0; i < boardMaps.size(); i++) {
            MemoryMapInfo m = boardMaps.get(i);
            if (kstart >= m.start() && kstop <= m.end()) {
                kstart = m.start();
                kstop = m.end();
                kernelMapIndex = i;
                break;
            }
        }

        // The entry pool: sized from the free memory, carved from the kernel heap.
        int entrySize = abi.mapEntryT();
        long ntotal = Math.min(pages.freeBytes() / (3L * pageSize + entrySize), Integer.MAX_VALUE - 8);
        while (heap.top() - heap.bss() < entrySize * ntotal) {
            if (!sbrk(pages, kernelPmap, heap)) {
                throw new IllegalStateException(String.format(
                        "vm: Problem with extending kernel heap for map_entry_t pool (vaddr=0x%08x)", heap.bss()));
            }
        }
        long base = heap.bss();
        long poolsz = Math.min(heap.top() - heap.bss(), entrySize * ntotal);
        heap.setBss(heap.bss() + poolsz);
        MapEntryPool pool = new MapEntryPool((int) ntotal, entrySize, base, console, pages.failures());
        console.accept(String.format("vm: Initializing memory mapper: (%d*%d) %d", ntotal, entrySize, poolsz));

        VmMaps maps = new VmMaps(hal, pages, model, pool, kernelPmap, kstart, kstop);
        maps.setBootTop(heap.top());
        if (!boardMaps.isEmpty()) {
            mapsInit(maps, abi, boardMaps, kernelMapIndex, pages, kernelPmap, heap);
        }

        // The kernel's segments, as pmap_segment lists them. Phoenix rounds both the start and the
        // size up (round_page), so a segment that starts inside a page (the data after _etext)
        // begins on the next one, and the heap's entry runs past the heap's top.
        VmMap kmap = maps.kernelMap();
        kmap.lock.lock();
        try {
            for (KernelSegment s : hal.segments(VirtAddr.of(heap.top()))) {
                enterKernelEntry(maps, kmap, s.name(), Sizes.alignUp(s.start().value(), pageSize), Sizes.alignUp(s.size().bytes(), pageSize),
                        s.prot());
            }
        } finally {
            kmap.lock.unlock();
        }
        return maps;
    }

    /**
     * {@code _map_mapsInit} (no-MMU): the table of shared maps ({@code sizeof(vm_map_t *)} per board
     * map) and a {@code vm_map_t} for each map but the kernel's from the kernel heap, one
     * {@link VmMap} per board map, and in each the entries the loader left there (the kernel image's
     * segments), rounded as Phoenix rounds them and read-execute as Phoenix enters them whatever they
     * hold (its TODO: the syspage's attributes are not read).
     */
    private static void mapsInit(VmMaps maps, TargetAbi abi, List<MemoryMapInfo> boardMaps, int kernelMapIndex, PageAllocator pages, Pmap kernelPmap,
            KernelHeap heap) {
        grow(pages, kernelPmap, heap, (long) abi.pointerSize() * boardMaps.size(), "vm_map_t pool");
        heap.setBss(heap.bss() + (long) abi.pointerSize() * boardMaps.size());
        int pageSize = pages.pageSize();
        for (int i = 0; i < boardMaps.size(); i++) {
            MemoryMapInfo m = boardMaps.get(i);
            VmMap map;
            if (i == kernelMapIndex) {
                map = maps.kernelMap();
            } else {
                grow(pages, kernelPmap, heap, abi.vmMapT(), "vm_map_t pool");
                map = maps.createShared(m.start(), m.end());
                heap.setBss(heap.bss() + abi.vmMapT());
            }
            maps.addShared(map);
            map.lock.lock();
            try {
                for (MemoryMapInfo.Entry e : m.entries()) {
                    enterKernelEntry(maps, map, e.what(), Sizes.alignUp(e.start(), pageSize), Sizes.alignUp(e.end() - e.start(), pageSize),
                            Prot.READ | Prot.EXEC);
                }
            } finally {
                map.lock.unlock();
            }
        }
    }

    /**
     * One entry of the kernel object in {@code map}, as {@code _map_init} and {@code _map_mapsInit}
     * make them. Phoenix ignores {@code _map_add}'s answer and silently loses an entry that overlaps
     * another; a kernel map missing part of the kernel is a broken machine, so here it fails the boot.
     */
    private static void enterKernelEntry(VmMaps maps, VmMap map, String what, long vaddr, long size, int prot) {
        if (size == 0) {
            return;
        }
        MapEntry e = maps.pool().alloc();
        if (e == null) {
            throw new IllegalStateException(String.format("vm: no map entry left for %s at 0x%08x", what, vaddr));
        }
        e.vaddr = vaddr;
        e.size = size;
        e.object = maps.kernelObject();
        e.offs = MapEntry.OFFS_MAX;
        e.flags = MapFlags.NONE;
        e.prot = prot;
        e.protOrig = prot;
        e.amap = null;
        int err = map.mapAdd(null, e);
        if (err != Errno.EOK) {
            e.map = null;
            maps.pool().free(e);
            throw new IllegalStateException(String.format("vm: cannot enter %s [0x%08x, 0x%08x) into %s: %s", what, vaddr, vaddr + size, map,
                    Errno.name(err)));
        }
    }

    private static void grow(PageAllocator pages, Pmap kernelPmap, KernelHeap heap, long bytes, String what) {
        while (heap.top() - heap.bss() < bytes) {
            if (!sbrk(pages, kernelPmap, heap)) {
                throw new IllegalStateException(String.format("vm: Problem with extending kernel heap for %s (vaddr=0x%08x)", what,
                        heap.bss()));
            }
        }
    }

    /**
     * {@code _page_sbrk}: one more page of kernel heap ({@code PAGE_OWNER_KERNEL | PAGE_KERNEL_HEAP},
     * marked H in the page map), mapped at the heap's top. Unlike Phoenix, a page whose mapping
     * fails is given back.
     */
    static boolean sbrk(PageAllocator pages, Pmap kernelPmap, KernelHeap heap) {
        int np = pages.allocFrame(pages.pageSize(), PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP);
        if (np == PageFrames.NONE) {
            return false;
        }
        if (pages.map(kernelPmap, VirtAddr.of(heap.top()), PhysAddr.of(pages.frames().addr(np)), Attr.READ | Attr.WRITE | Attr.PRESENT)
                .isLeft()) {
            pages.freeFrame(np);
            return false;
        }
        heap.setTop(heap.top() + pages.pageSize());
        return true;
    }
}
