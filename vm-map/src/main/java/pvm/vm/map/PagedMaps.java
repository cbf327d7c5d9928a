package pvm.vm.map;

import io.vavr.control.Either;
import java.util.List;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.page.PageAllocator;

/**
 * The paged memory model of {@code vm/map.c} (built without {@code NOMMU}): each process has a map
 * of its own whose page directory is a page of the kernel's, and destroying it gives back its page
 * tables, its directory and everything mapped in it.
 */
final class PagedMaps implements MapModel {

    @Override
    public List<MemoryMapInfo> sharedMapsOf(Hal hal) {
        return List.of();
    }

    /**
     * {@code vm_mapCreate}: the page directory is a fresh page ({@code PAGE_OWNER_KERNEL |
     * PAGE_KERNEL_PTABLE}) mapped into the kernel map, which the HAL builds on the kernel's;
     * {@code ENOMEM} (nothing kept) when either runs out.
     */
    @Override
    public Either<VmError, VmMap> create(VmMaps maps, long start, long stop) {
        PageAllocator pages = maps.pages();
        VmMap kmap = maps.kernelMap();
        int pdir = pages.allocFrame(maps.pageSize(), PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
        if (pdir == PageFrames.NONE) {
            return Either.left(VmError.enomem("no page for a page directory"));
        }
        Frame frame = new Frame(pdir);
        long size = 1L << pages.frames().idx(pdir);
        Either<VmError, VirtAddr> v = kmap.mmap(VirtAddr.NULL, frame, Size.of(size), Prot.READ | Prot.WRITE, maps.kernelObject(),
                MapEntry.OFFS_MAX, MapFlags.NONE, null);
        if (v.isLeft()) {
            pages.freeFrame(pdir);
            return Either.left(VmError.enomem("no room in the kernel map for a page directory: " + v.getLeft().message()));
        }
        VmMap map = new VmMap(maps, maps.hal().create(kmap.pmap, frame), start, stop);
        map.pdirFrame = pdir;
        map.pdirVaddr = v.get().value();
        map.pdirSize = size;
        return Either.right(map);
    }

    /**
     * {@code vm_mapDestroy}: frees the page tables the HAL hands back, unmaps and frees the page
     * directory, and drops every entry with its anons.
     *
     * @throws IllegalArgumentException for the kernel map
     */
    @Override
    public boolean destroy(VmMaps maps, MapOwner owner, VmMap map) {
        if (map == maps.kernelMap()) {
            throw new IllegalArgumentException("the kernel map is never destroyed");
        }
        PageAllocator pages = maps.pages();
        map.lock.lock();
        try {
            // The entries go first (Phoenix frees them last): the pool then has them back when
            // unmapping the page directory from the kernel map needs one to split an entry.
            Pager p = maps.pager();
            for (MapEntry e = map.tree.root; e != null; e = map.tree.root) {
                p.amapPutAnons(e.amap, e.aoffs, e.size);
                map.entryPut(e);
            }
            if (!map.destroyed) {
                Pmap.DestroyCursor cursor = new Pmap.DestroyCursor();
                for (;;) {
                    PhysAddr a = map.pmap.destroy(cursor);
                    if (a.isNone()) {
                        break;
                    }
                    int f = pages.frames().find(a.value());
                    int r = pages.freeFrame(f);
                    if (r != Errno.EOK) {
                        throw new IllegalStateException("page table at " + a + " could not be freed: " + Errno.describe(r));
                    }
                }
                if (map.pdirFrame != PageFrames.NONE) {
                    unmapPdir(maps.kernelMap(), map);
                    pages.freeFrame(map.pdirFrame);
                    map.pdirFrame = PageFrames.NONE;
                }
                map.destroyed = true;
            }
        } finally {
            map.lock.unlock();
        }
        return true;
    }

    /**
     * Unmaps a page directory from the kernel map before its page is freed. Its mapping usually
     * joined a neighbouring kernel entry, so unmapping it splits that entry; when the pool has no
     * entry for the split, Phoenix ignores the error and frees a page that stays mapped. Here the
     * page's mapping is removed anyway and the entry keeps covering the range: a few KiB of kernel
     * address space stay reserved, and no page is reachable after it is freed.
     */
    private static void unmapPdir(VmMap kmap, VmMap map) {
        kmap.lock.lock();
        try {
            if (kmap.munmapLocked(map.pdirVaddr, map.pdirSize) != Errno.EOK) {
                kmap.pmap.remove(VirtAddr.of(map.pdirVaddr), VirtAddr.of(map.pdirVaddr + map.pdirSize));
            }
        } finally {
            kmap.lock.unlock();
        }
    }

    @Override
    public boolean covers(VmMap map, long ptr, long size) {
        return size == 0 || map.tree.find(ptr, size) != null;
    }

    @Override
    public boolean entersPhysmem() {
        return true;
    }

    @Override
    public boolean mayMerge(MapOwner a, MapOwner b) {
        return true;
    }

    /** A map is one process's: whoever asks may touch every entry of it. */
    @Override
    public boolean mayTouch(MapOwner caller, MapOwner owner) {
        return true;
    }

    @Override
    public void checkPages(VmMap map, List<String> errors) {
        if (!map.destroyed) {
            MapVerify.checkPages(map, errors);
        }
    }

    @Override
    public String toString() {
        return "paged";
    }
}
