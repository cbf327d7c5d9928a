package pvm.vm.object;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.VmError;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.MemObject;
import pvm.vm.map.Pager;
import pvm.vm.map.VmMap;
import pvm.vm.page.AllocationFailures;
import pvm.vm.page.PageAllocator;

/**
 * The object store, Phoenix's {@code vm/object.c} ({@code object_common}): the tree of objects by
 * oid, their reference counts and page caches, fetches from the {@link BackingStore}, contiguous
 * objects, and the page lookup of {@code vm_objectPage} for every kind of object.
 *
 * <p>One lock ({@code object_common.lock}) guards the tree, every count and every page array. It is
 * never held while calling kmalloc or the backing store, as in Phoenix: {@code vm_objectGet} drops
 * it around {@code proc_size} and {@code vm_kmalloc}, and a fetch drops every lock first.
 *
 * <p>Differences from Phoenix:
 * <ul>
 *   <li>A fetched page past the end of the object's data (the last page of a file whose size is
 *       not a multiple of the page size) has its tail zeroed. Phoenix's {@code proc_read} fills only
 *       the bytes the file has and leaves the rest of the fresh page as the last user left it.</li>
 *   <li>Putting a contiguous object does not touch the tree. Phoenix's {@code vm_objectPut}
 *       calls {@code lib_rbRemove} on every object, contiguous ones included, which are never in
 *       the tree; their zeroed links make the removal empty the whole tree's root.</li>
 *   <li>Contiguous objects are listed (Phoenix keeps no list of them) so that the views and the
 *       checker can see them.</li>
 *   <li>Without an MMU an object's bytes may live in shared regions ({@link SharedRegion}) of the
 *       processes' memory; reads of the object take them from there ({@link #read},
 *       {@link #copyTo}).</li>
 * </ul>
 */
final class ObjectStore {

    /** {@code addr_t} is 32 bits on both targets: a larger physical address is {@code -ERANGE}. */
    private static final long ADDR_MAX = 0xffff_ffffL;

    /** {@code size_t} is 32 bits on both targets: a larger object cannot be described. */
    private static final long SIZE_MAX = 0xffff_ffffL;

    /** {@code object_common.lock}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** {@code object_common.tree}: objects by oid, ordered as {@code object_cmp}. */
    private final TreeMap<Oid, VmObject> tree = new TreeMap<>();
    private final Set<VmObject> contiguous = Collections.newSetFromMap(new IdentityHashMap<>());

    private final BackingStore store;
    private final PageAllocator pages;
    /** The machine's allocation-failure injector: a backing-store read consults it as an allocation would. */
    private final AllocationFailures failures;
    private final PageFrames frames;
    private final PhysicalMemory memory;
    private final Kmalloc kmalloc;
    private final KernelWindow window;
    private final ObjectSizes sizes;
    private final int pageSize;
    private final MemObject kernelHandle;
    private final VmObject kernel;

    /**
     * {@code _object_init}: the kernel object goes into the tree as oid 0.0 with size 0 and its
     * count restarted, and the {@code vm_objectGet} that follows makes the count 1, whatever the
     * boot mappings counted before.
     */
    ObjectStore(BackingStore store, PageAllocator pages, PhysicalMemory memory, Kmalloc kmalloc, KernelWindow window,
            ObjectSizes sizes, MemObject kernelHandle) {
        this.store = store;
        this.pages = pages;
        this.failures = pages.failures();
        this.frames = pages.frames();
        this.memory = memory;
        this.kmalloc = kmalloc;
        this.window = window;
        this.sizes = sizes;
        this.pageSize = pages.pageSize();
        this.kernelHandle = kernelHandle;
        this.kernel = new VmObject(Oid.KERNEL, 0, pageSize, 0, "kernel", lock);
        tree.put(Oid.KERNEL, kernel);
        kernel.refs = 1;
    }

    BackingStore backingStore() {
        return store;
    }

    VmObject kernel() {
        return kernel;
    }

    /** The bookkeeping behind a handle: the kernel object's, a {@link VmObject} itself, or null. */
    VmObject objectOf(MemObject o) {
        if (o == null || o == MemObject.PHYSMEM) {
            return null;
        }
        if (o == kernelHandle) {
            return kernel;
        }
        return o instanceof VmObject v ? v : null;
    }

    // ---- references -------------------------------------------------------------------------------

    /**
     * {@code vm_objectGet}: the object {@code oid} with one more reference, made (size from the
     * backing store, metadata from kmalloc) when it is not in the tree yet. The lock is dropped
     * around the store and kmalloc; whoever inserts first wins, and a loser gives its block back.
     *
     * @return the object, or the store's error ({@code ENOENT} for an unknown oid), or
     *     {@code ENOMEM} when kmalloc fails or the size does not fit a {@code size_t}
     */
    Either<VmError, VmObject> get(Oid oid) {
        if (oid.isContiguous()) {
            return Either.left(VmError.einval("contiguous objects are not looked up by oid"));
        }
        lock.lock();
        try {
            VmObject o = tree.get(oid);
            if (o != null) {
                o.refs++;
                return Either.right(o);
            }
        } finally {
            lock.unlock();
        }

        long size = store.size(oid);
        int err = Errno.ENOMEM;
        long k = 0;
        if (size < 0) {
            err = (int) Math.max(size, Integer.MIN_VALUE + 1);
        } else if (size <= SIZE_MAX) {
            k = kmalloc.kmalloc(sizes.objectBytes(VmObject.pagesFor(size, pageSize)));
        }
        String name = k != 0 ? store.nameOf(oid).getOrNull() : null;

        VmObject o;
        lock.lock();
        try {
            // Somebody may have added it meanwhile.
            o = tree.get(oid);
            if (o == null) {
                if (k == 0) {
                    return Either.left(error(err, oid));
                }
                o = new VmObject(oid, size, pageSize, k, name, lock);
                k = 0;
                tree.put(oid, o);
            }
            o.refs++;
        } finally {
            lock.unlock();
        }
        if (k != 0) {
            kfree(k);
        }
        return Either.right(o);
    }

    private static VmError error(int err, Oid oid) {
        String what = "object " + oid;
        return switch (err) {
            case BackingStore.ENOENT -> new VmError.ENOENT(what + ": no such object on its server");
            case Errno.ENOMEM -> VmError.enomem(what + ": no kernel memory for its vm_object_t");
            default -> Errno.toError(err, what + ": its server answered " + Errno.name(err));
        };
    }

    /** {@code vm_objectRef}: anonymous memory and {@code PHYSMEM} have no count. */
    void ref(MemObject o) {
        VmObject obj = objectOf(o);
        if (obj == null) {
            return;
        }
        lock.lock();
        try {
            requireLive(obj);
            obj.refs++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code vm_objectPut}: the last reference takes the object out of the tree, then (with the lock
     * dropped) frees its cached pages (a contiguous object's whole block) and its metadata. The
     * kernel object is never freed.
     */
    void put(MemObject o) {
        VmObject obj = objectOf(o);
        if (obj == null) {
            return;
        }
        lock.lock();
        try {
            if (obj == kernel) {
                // Entries mapped before this layer came up were not counted (_object_init restarts
                // the count), so the count can drift; the checker reports it falling below 1.
                obj.refs--;
                return;
            }
            requireLive(obj);
            if (obj.refs <= 0) {
                throw new IllegalStateException("object put more often than referenced: " + obj);
            }
            if (--obj.refs != 0) {
                return;
            }
            if (obj.isContiguous()) {
                contiguous.remove(obj);
            } else {
                tree.remove(obj.oid);
            }
            obj.freed = true;
        } finally {
            lock.unlock();
        }
        // Out of the tree with no reference left: nobody else can reach the page array now.
        if (obj.isContiguous()) {
            freePage(obj.pages[0]);
            java.util.Arrays.fill(obj.pages, PageFrames.NONE);
        } else {
            for (int i = 0; i < obj.pages.length; i++) {
                if (obj.pages[i] != PageFrames.NONE) {
                    freePage(obj.pages[i]);
                    obj.pages[i] = PageFrames.NONE;
                }
            }
        }
        kfree(obj.kaddr);
    }

    // ---- vm_objectPage ----------------------------------------------------------------------------

    /**
     * {@code vm_objectPage}: the page of {@code o} at {@code offs}, for the fault at {@code vaddr} of
     * {@code map} (whose lock the caller holds, and the lock of {@code amap} when there is one).
     *
     * <ul>
     *   <li>Anonymous memory: a fresh application page.</li>
     *   <li>{@code PHYSMEM}: the RAM page at physical address {@code offs}, {@link Pager#NO_PAGE}
     *       outside RAM, {@code -ERANGE} beyond 32 bits.</li>
     *   <li>An object: {@code -EINVAL} at or beyond its size; its cached page; else a fetch, in
     *       Phoenix's order: the object lock, the amap lock and the map lock are dropped, a fresh
     *       page is filled from the backing store through a temporary kernel mapping, then
     *       {@code vm_lockVerify} takes the map lock (and the amap lock) again and checks that the
     *       address still maps this object (and amap). If it does not, the page is freed and the
     *       fault fails ({@code -EINVAL}, the amap lock not retaken); if somebody loaded the page
     *       meanwhile, ours is freed and theirs used. A failed fetch is {@code -ENOMEM}, as Phoenix's
     *       {@code NULL} page becomes in {@code _map_force}.</li>
     * </ul>
     *
     * @return a frame index, {@link Pager#NO_PAGE}, or a negative errno
     */
    int page(VmMap map, Amap amap, MemObject o, long vaddr, long offs) {
        if (o == null) {
            int f = pages.allocFrame(pageSize, PageFlags.OWNER_APP);
            return f == PageFrames.NONE ? Errno.ENOMEM : f;
        }
        if (o == MemObject.PHYSMEM) {
            if (offs < 0 || offs > ADDR_MAX) {
                return Errno.ERANGE;
            }
            int f = frames.find(offs);
            return f == PageFrames.NONE ? Pager.NO_PAGE : f;
        }
        VmObject obj = objectOf(o);
        if (obj == null) {
            return Errno.EINVAL;
        }
        int i;
        lock.lock();
        try {
            requireLive(obj);
            if (Long.compareUnsigned(offs, obj.size) >= 0) {
                return Errno.EINVAL;
            }
            i = (int) (offs / pageSize);
            if (obj.pages[i] != PageFrames.NONE) {
                return obj.pages[i];
            }
        } finally {
            lock.unlock();
        }
        return fetchAndVerify(map, amap, o, obj, i, vaddr, offs);
    }

    /** The second half of {@code vm_objectPage}: the fetch with every lock dropped, and the re-check. */
    private int fetchAndVerify(VmMap map, Amap amap, MemObject o, VmObject obj, int i, long vaddr, long offs) {
        if (amap != null) {
            amap.lock.unlock();
        }
        // The pager is called with the map's lock held; should a caller not hold it, the re-check
        // below still takes it, and it is released again at the end.
        boolean mapHeld = map.isLockedByCurrentThread();
        if (mapHeld) {
            map.unlock();
        }
        int fetched;
        boolean fetchedNormally = false;
        try {
            fetched = fetch(obj, offs);
            fetchedNormally = true;
        } finally {
            if (!fetchedNormally) {
                // A broken store (or a test's hook) threw: put the locks back as the callers expect.
                if (mapHeld) {
                    map.lock();
                }
                if (amap != null) {
                    amap.lock.lock();
                }
            }
        }

        int err = map.lockVerify(amap, o, vaddr);
        try {
            if (err != Errno.EOK) {
                freePage(fetched);
                return err;
            }
            if (amap != null) {
                amap.lock.lock();
            }
            lock.lock();
            try {
                int theirs = obj.pages[i];
                if (theirs != PageFrames.NONE) {
                    // Someone loaded the page in the meantime: use it.
                    freePage(fetched);
                    return theirs;
                }
                if (fetched == PageFrames.NONE) {
                    return Errno.ENOMEM;
                }
                obj.pages[i] = fetched;
                return fetched;
            } finally {
                lock.unlock();
            }
        } finally {
            if (!mapHeld) {
                map.unlock();
            }
        }
    }

    /**
     * {@code object_fetch}: a fresh application page filled with the object's bytes from
     * {@code offs}, through a temporary mapping in the kernel map; {@link PageFrames#NONE} when the
     * store cannot be opened or read, or pages or the mapping run out (nothing is left behind).
     */
    private int fetch(VmObject obj, long offs) {
        Oid oid = obj.oid;
        if (store.open(oid) < 0) {
            return PageFrames.NONE;
        }
        int p = pages.allocFrame(pageSize, PageFlags.OWNER_APP);
        if (p == PageFrames.NONE) {
            store.close(oid);
            return PageFrames.NONE;
        }
        long v = window.mapForFetch(p);
        if (v == 0) {
            freePage(p);
            store.close(oid);
            return PageFrames.NONE;
        }
        // A fetch is rare next to the faults served from the cache, and a page of its own keeps
        // concurrent (or nested) fetches apart.
        byte[] buffer = new byte[pageSize];
        int n = failures.failNext() ? BackingStore.EIO : store.read(oid, offs, buffer, pageSize);
        if (n < 0) {
            window.unmap(v);
            freePage(p);
            store.close(oid);
            return PageFrames.NONE;
        }
        window.fill(v, buffer, Math.min(n, pageSize));
        window.unmap(v);
        store.close(oid);
        return p;
    }

    // ---- contiguous objects -----------------------------------------------------------------------

    /**
     * {@code vm_objectContiguous}: an object of one block of at least {@code size} bytes (its size is
     * the block's), with one reference, every page present from the start. As in Phoenix the pages
     * are not cleared. Null when the block or the metadata cannot be had (nothing kept).
     */
    VmObject contiguous(long size) {
        int p = pages.allocFrame(size, PageFlags.OWNER_APP);
        if (p == PageFrames.NONE) {
            return null;
        }
        long bytes = Math.max(1L << frames.idx(p), pageSize);
        int n = VmObject.pagesFor(bytes, pageSize);
        long k = kmalloc.kmalloc(sizes.objectBytes(n));
        if (k == 0) {
            freePage(p);
            return null;
        }
        VmObject o = new VmObject(Oid.CONTIGUOUS, bytes, pageSize, k, null, lock);
        o.refs = 1;
        for (int i = 0; i < n; i++) {
            o.pages[i] = p + i;
        }
        lock.lock();
        try {
            contiguous.add(o);
        } finally {
            lock.unlock();
        }
        return o;
    }

    // ---- reads, views ------------------------------------------------------------------------------

    /**
     * The bytes of object {@code oid} as a process mapping it shared would read them: cached pages
     * from memory (with whatever shared mappings wrote there), the rest from the backing store.
     * Takes no reference and loads nothing.
     *
     * @return the number of bytes read (fewer at the end of the object), or a negative errno
     */
    int read(Oid oid, long offset, byte[] into, int length) {
        lock.lock();
        try {
            VmObject o = tree.get(oid);
            if (o == null) {
                return store.read(oid, offset, into, length);
            }
            int done = 0;
            byte[] chunk = null;
            while (done < length && offset + done < o.size) {
                long at = offset + done;
                int inPage = (int) (at % pageSize);
                int n = (int) Math.min(Math.min(pageSize - inPage, length - done), o.size - at);
                int f = o.pages[(int) (at / pageSize)];
                // Regions are whole pages, so a chunk (within one page) is in one or in none.
                SharedRegion region = regionAt(o, at);
                if (region != null) {
                    memory.read(region.vaddr + (at - region.offs), into, done, n);
                } else if (f != PageFrames.NONE) {
                    memory.read(frames.addr(f) + inPage, into, done, n);
                } else {
                    if (chunk == null) {
                        chunk = new byte[pageSize];
                    }
                    int r = store.read(oid, at, chunk, n);
                    if (r < 0) {
                        return r;
                    }
                    System.arraycopy(chunk, 0, into, done, Math.min(r, n));
                    if (r < n) {
                        return done + r;
                    }
                }
                done += n;
            }
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** The region of {@code o} holding object offset {@code at}, or null; the lock held. */
    private static SharedRegion regionAt(VmObject o, long at) {
        List<SharedRegion> regions = o.regions;
        for (int i = 0; i < regions.size(); i++) {
            if (regions.get(i).holdsOffset(at)) {
                return regions.get(i);
            }
        }
        return null;
    }

    /**
     * Copies {@code size} bytes of object {@code oid} from {@code offs}, as {@link #read} sees them
     * (a shared region's bytes, cached pages, the server's bytes), into memory at {@code to}, and
     * zeros the part past the end of the object. For targets without an MMU, where {@code to} is a
     * physical address too. Loads no page into the object; takes a page-sized buffer.
     *
     * @return 0, or a negative errno from the server (the bytes before it are copied)
     */
    int copyTo(Oid oid, long offs, long to, long size) {
        byte[] buffer = new byte[pageSize];
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(pageSize, size - done);
            int got = failures.failNext() ? BackingStore.EIO : read(oid, offs + done, buffer, n);
            if (got < 0) {
                return got;
            }
            if (got > 0) {
                memory.write(to + done, buffer, 0, got);
            }
            if (got < n) {
                memory.fill(to + done + got, size - done - got, 0);
                return 0;
            }
            done += n;
        }
        return 0;
    }

    /** Lists region {@code r} with its object, for readers of the object's bytes. */
    void addRegion(VmObject o, SharedRegion r) {
        lock.lock();
        try {
            requireLive(o);
            o.regions.add(r);
        } finally {
            lock.unlock();
        }
    }

    /** Unlists region {@code r}: the object's bytes are the server's (and cached pages') again. */
    void removeRegion(VmObject o, SharedRegion r) {
        lock.lock();
        try {
            o.regions.remove(r);
        } finally {
            lock.unlock();
        }
    }

    /** The object {@code oid} if it is in the tree (no reference taken). */
    VmObject find(Oid oid) {
        lock.lock();
        try {
            return tree.get(oid);
        } finally {
            lock.unlock();
        }
    }

    /** Every live object: the tree in {@code object_cmp} order (the kernel object first), then the contiguous ones. */
    List<VmObject> objects() {
        lock.lock();
        try {
            List<VmObject> all = new ArrayList<>(tree.values());
            all.addAll(contiguous);
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Live objects other than the kernel object. */
    int count() {
        lock.lock();
        try {
            return tree.size() - 1 + contiguous.size();
        } finally {
            lock.unlock();
        }
    }

    /** The tree as it is: each key with its object (for the checker). */
    List<java.util.Map.Entry<Oid, VmObject>> treeEntries() {
        lock.lock();
        try {
            return new ArrayList<>(tree.entrySet());
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread holds {@code object_common.lock} (for tests of the fetch order). */
    boolean isLockedByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void freePage(int f) {
        if (f == PageFrames.NONE) {
            return;
        }
        int code = pages.freeFrame(f);
        if (code != Errno.EOK) {
            throw new IllegalStateException("object: freeing frame " + f + ": " + Errno.describe(code));
        }
    }

    private void kfree(long k) {
        int err = kmalloc.free(k);
        if (err != Errno.EOK) {
            throw new IllegalStateException(String.format("object layer: kfree of its own block 0x%08x failed (%s)", k, Errno.name(err)));
        }
    }

    private static void requireLive(VmObject o) {
        if (o.freed) {
            throw new IllegalStateException("use of a freed object: " + o);
        }
    }
}
