package pvm.vm.object;

import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import pvm.hal.pmap.PageFrames;
import pvm.vm.map.MemObject;

/**
 * A memory object, Phoenix's {@code vm_object_t}: identified by an oid (port, id), {@code size}
 * bytes long, its pages cached in {@code pages[]} as they are fetched from the backing store
 * (frame indices, {@link PageFrames#NONE} while not loaded), and counted by the map entries and
 * other holders that reference it. The last reference frees the cached pages and the object.
 *
 * <p>A contiguous object ({@code vm_objectContiguous}, oid {@link Oid#CONTIGUOUS}) holds one block
 * of physical pages from the start, {@code pages[i]} being the block's {@code i}-th frame, and is
 * never in the object tree.
 *
 * <p>Its metadata costs what Phoenix's does: one kmalloc block of {@code sizeof(vm_object_t) + n *
 * sizeof(page_t *)} bytes ({@link ObjectSizes#objectBytes}), held from creation until the last
 * reference goes; the kernel object is static in Phoenix and takes none.
 *
 * <p>Counts and pages are guarded by the object store's lock ({@code object_common.lock}), shared
 * by every object.
 */
public final class VmObject implements MemObject {

    final Oid oid;
    final long size;
    final int[] pages;
    /** The kernel address of the kmalloc block holding the {@code vm_object_t}; 0 for the kernel object. */
    final long kaddr;
    final String name;
    final ReentrantLock lock;
    int refs;
    boolean freed;
    /**
     * Without an MMU, the shared regions holding ranges of this object's bytes in memory the
     * processes reach ({@link SharedRegion}); they never overlap. Changed under the
     * {@link SharedRegions} lock and this object's lock, read under this object's lock.
     */
    final List<SharedRegion> regions = new ArrayList<>(0);

    VmObject(Oid oid, long size, int pageSize, long kaddr, String name, ReentrantLock lock) {
        this.oid = oid;
        this.size = size;
        this.pages = new int[pagesFor(size, pageSize)];
        Arrays.fill(pages, PageFrames.NONE);
        this.kaddr = kaddr;
        this.name = name;
        this.lock = lock;
    }

    /** {@code round_page(size) / SIZE_PAGE}. */
    static int pagesFor(long size, int pageSize) {
        return (int) ((size + pageSize - 1) / pageSize);
    }

    public Oid oid() {
        return oid;
    }

    public long port() {
        return oid.port();
    }

    public long id() {
        return oid.id();
    }

    /** The object's size in bytes ({@code o->size}); a fault at or beyond it fails. */
    public long size() {
        return size;
    }

    /** The object's name on its server, if it has one. */
    public Option<String> name() {
        return Option.of(name);
    }

    public boolean isContiguous() {
        return oid.isContiguous();
    }

    /** The kernel address of the object's kmalloc block (0 for the kernel object). */
    public long kaddr() {
        return kaddr;
    }

    /** The reference count. */
    public int refs() {
        lock.lock();
        try {
            return refs;
        } finally {
            lock.unlock();
        }
    }

    /** Number of page slots: {@code round_page(size) / SIZE_PAGE}. */
    public int pageCount() {
        return pages.length;
    }

    /** The frame caching page {@code i}, or {@link PageFrames#NONE}. */
    public int page(int i) {
        lock.lock();
        try {
            return pages[i];
        } finally {
            lock.unlock();
        }
    }

    /** Number of pages in memory. */
    public int residentPages() {
        lock.lock();
        try {
            int n = 0;
            for (int f : pages) {
                if (f != PageFrames.NONE) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Without an MMU, the regions of memory sharing this object's bytes (a snapshot). */
    public List<SharedRegion> sharedRegions() {
        lock.lock();
        try {
            return List.copyOf(regions);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the last reference went and the object was freed. */
    public boolean isFreed() {
        lock.lock();
        try {
            return freed;
        } finally {
            lock.unlock();
        }
    }

    /** As the map views name it: the file's name and oid, "contiguous", or the oid. */
    @Override
    public String describe() {
        if (isContiguous()) {
            return "contiguous";
        }
        return name != null ? name + " (" + oid + ")" : "oid " + oid;
    }

    @Override
    public String oidText() {
        return (int) oid.port() + "." + Long.toUnsignedString(oid.id());
    }

    @Override
    public String toString() {
        return "VmObject(" + describe() + ", " + size + " bytes, refs " + refs + ")";
    }
}
