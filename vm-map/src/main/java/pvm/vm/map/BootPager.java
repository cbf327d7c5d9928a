package pvm.vm.map;

import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.vm.page.PageAllocator;

/**
 * The pager in force between {@code _map_init} and the object layer's init. Boot maps only given
 * pages of the kernel object in that window (the zones' pages), so it needs nothing from amap.c (and
 * makes no amap, so the amap calls, which go to the amap itself, never reach it);
 * this pager answers as object.c would without an object store: no reference counts (Phoenix's
 * {@code _object_init} resets the kernel object's count anyway), no amaps, fresh pages for
 * anonymous memory, RAM pages for {@code PHYSMEM}, and {@code -EINVAL} for the kernel object, whose
 * size is 0.
 */
final class BootPager implements Pager {

    /** {@code addr_t} is 32 bits on both targets: a larger physical address is {@code -ERANGE}. */
    private static final long ADDR_MAX = 0xffff_ffffL;

    private final PageAllocator pages;

    BootPager(PageAllocator pages) {
        this.pages = pages;
    }

    /** No kmalloc yet, so no amap: out of memory, as {@code amap_create} when kmalloc fails. */
    @Override
    public AnonMap amapNew(MapEntry e, long size) {
        return null;
    }

    @Override
    public MemObject objectRef(MemObject o) {
        return o;
    }

    @Override
    public void objectPut(MemObject o) {
        // No counts before the object layer.
    }

    @Override
    public int objectPage(VmMap map, MemObject o, long vaddr, long offs) {
        if (o == null) {
            int f = pages.allocFrame(pages.pageSize(), PageFlags.OWNER_APP);
            return f == PageFrames.NONE ? Errno.ENOMEM : f;
        }
        if (o == MemObject.PHYSMEM) {
            if (offs < 0 || offs > ADDR_MAX) {
                return Errno.ERANGE;
            }
            int f = pages.frames().find(offs);
            return f == PageFrames.NONE ? NO_PAGE : f;
        }
        return Errno.EINVAL;
    }
}
