package pvm.vm.object;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.MapOwner;
import pvm.vm.map.VmMap;

/**
 * Shared file mappings without an MMU, as Linux's no-MMU {@code do_mmap} makes them (its
 * {@code nommu_region_tree}): every live {@link SharedRegion} of the machine, and the processes
 * sharing each.
 *
 * <p>A shared mapping of {@code [offs, offs+size)} of an object:
 * <ul>
 *   <li>inside an existing region of the object in the same map: shares it, at the region's
 *       address plus the distance of {@code offs} from the region's offset (the same bytes);</li>
 *   <li>overlapping a region without lying inside it: {@code EINVAL} (Linux's "sharing
 *       violation": two blocks cannot both be the memory of one byte of the file);</li>
 *   <li>overlapping none: a new region, its block reserved by a map entry and filled from the
 *       object's bytes ({@link ObjectStore#copyTo}), the tail past the end of the file zeroed.</li>
 * </ul>
 * A process gives its mapping back with a munmap of exactly that mapping (Linux cannot split a
 * no-MMU file mapping either), or by exiting; the last one unmaps the block, and the entry's
 * reference to the object goes with it. What was written there is then lost, as nothing writes
 * an object back to its server.
 *
 * <p>Lock order: this registry's lock, then kmalloc, the map, the object store. Every change of a
 * processes' map that could touch a region (munmap, mprotect, a {@code MAP_FIXED} mmap) is made
 * with this lock held, so a region cannot appear in a range between the check and the change.
 */
public final class SharedRegions {

    /** {@link #unshare}: the range touches no region, an ordinary munmap may go ahead. */
    static final int NOT_SHARED = 1;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<SharedRegion> all = new ArrayList<>();
    private final VmPager pager;
    private final ObjectStore objects;
    private final Kmalloc kmalloc;
    private final ObjectSizes sizes;
    private final int pageSize;

    private SharedRegions(VmPager pager) {
        this.pager = pager;
        this.objects = pager.store();
        this.kmalloc = pager.kmalloc();
        this.sizes = pager.sizes();
        this.pageSize = pager.pageSize();
    }

    /**
     * The registry of shared regions over the objects of {@code pager}: the flat memory model's part
     * of the object layer (targets without an MMU; the paged model shares an object's pages instead).
     */
    public static SharedRegions of(VmPager pager) {
        return new SharedRegions(pager);
    }

    /**
     * A shared file mapping without an MMU: the address in {@code map} of bytes {@code [offs,
     * offs+size)} of {@code o}, in a region of memory every process mapping them is given,
     * {@code holder} counted as one more sharer. A new region is placed from {@code hint} on, its
     * map entry (of {@code o}, protection {@code prot}) holding a reference to {@code o}; the caller
     * keeps its own.
     *
     * @return the address; {@code EINVAL} for a size or offset that is not whole pages, for a
     *     contiguous or kernel object, or for a range overlapping a region without lying in it;
     *     {@code ENOMEM} when kernel memory, entries or room in the map run out; the server's error
     *     when it cannot be read. Nothing is kept on failure.
     */
    public Either<VmError, VirtAddr> shareRegion(VmMap map, VmObject o, long offs, long size, long hint, int prot, MapOwner holder) {
        if (size <= 0 || size % pageSize != 0 || offs < 0 || offs % pageSize != 0) {
            return Either.left(VmError.einval(String.format("a shared region of 0x%x bytes at offset 0x%x is not whole pages", size, offs)));
        }
        if (o == null || o.isContiguous() || o == objects.kernel() || holder == null) {
            return Either.left(VmError.einval("only a file's object is shared through a region"));
        }
        return share(map, o, offs, size, hint, prot, holder);
    }

    /**
     * A private file mapping without an MMU: copies {@code size} bytes of object {@code oid} from
     * {@code offs} into the memory at {@code vaddr} of {@code map} (where the caller has just mapped
     * anonymous memory), the part past the end of the file zeroed. The bytes are the object's as a
     * shared mapping sees them now ({@link VmPager#readObject}: a shared region's, else the
     * server's); no page is loaded into the object and no reference is taken, so nothing stays
     * behind.
     *
     * @return 0, {@code -EINVAL} for a range the map does not hold, or the server's negative errno
     */
    public int copyObject(VmMap map, Oid oid, long offs, long vaddr, long size) {
        if (offs < 0 || size <= 0 || vaddr < map.start().value() || vaddr + size > map.stop().value()) {
            return Errno.EINVAL;
        }
        return objects.copyTo(oid, offs, vaddr, size);
    }

    /**
     * The checker of the regions against the given maps (see {@link RegionInvariants}); the object
     * layer's own checker ({@link VmPager#verify}) runs apart.
     */
    public List<String> verify(Iterable<VmMap> maps) {
        return RegionInvariants.check(this, pager, maps);
    }

    /** {@link #verify(Iterable)} over every map the mapper knows. */
    public List<String> verify() {
        return verify(pager.knownMaps());
    }

    /**
     * Maps {@code [offs, offs+size)} of {@code o} shared for {@code holder} in {@code map}: the
     * address of those bytes in their region. {@code hint} places a new region (as a non-fixed mmap
     * address does); {@code prot} is the new region's entry's protection (nothing enforces it
     * without an MMU).
     *
     * @return the address; {@code EINVAL} for a sharing violation, {@code ENOMEM} when kmalloc, the
     *     map's room or its entries run out, or the store's error reading the file; nothing kept
     */
    Either<VmError, VirtAddr> share(VmMap map, VmObject o, long offs, long size, long hint, int prot, MapOwner holder) {
        lock.lock();
        try {
            SharedRegion found = null;
            for (SharedRegion r : o.regions) {
                if (offs >= r.offs + r.size || r.offs >= offs + size) {
                    continue;
                }
                if (r.map != map || offs < r.offs || offs + size > r.offs + r.size) {
                    return Either.left(VmError.einval(String.format(
                            "%s bytes 0x%x-0x%x overlap the shared %s without lying inside it (a sharing violation)",
                            o.describe(), offs, offs + size, r)));
                }
                found = r;
                break;
            }
            long ks = kmalloc.kmalloc(sizes.shareSize());
            if (ks == 0) {
                return Either.left(VmError.enomem("no kernel memory for a shared mapping"));
            }
            if (found != null) {
                long at = found.vaddr + (offs - found.offs);
                found.shares.add(new SharedRegion.Share(holder, at, size, ks));
                return Either.right(VirtAddr.of(at));
            }
            Either<VmError, SharedRegion> made = create(map, o, offs, size, hint, prot);
            if (made.isLeft()) {
                kfree(ks);
                return Either.left(made.getLeft());
            }
            SharedRegion r = made.get();
            r.shares.add(new SharedRegion.Share(holder, r.vaddr, size, ks));
            return Either.right(VirtAddr.of(r.vaddr));
        } finally {
            lock.unlock();
        }
    }

    /** A new region: its descriptor, its block reserved in {@code map}, its bytes copied in, listed. */
    private Either<VmError, SharedRegion> create(VmMap map, VmObject o, long offs, long size, long hint, int prot) {
        long kr = kmalloc.kmalloc(sizes.regionSize());
        if (kr == 0) {
            return Either.left(VmError.enomem("no kernel memory for a shared region"));
        }
        SharedRegion r = new SharedRegion(o, map, offs, size, kr);
        Either<VmError, VirtAddr> v = map.mmap(VirtAddr.of(hint), Frame.NONE, Size.of(size), prot, o, offs, MapFlags.NONE, r);
        if (v.isLeft()) {
            kfree(kr);
            return Either.left(v.getLeft());
        }
        r.vaddr = v.get().value();
        if (r.vaddr < map.start().value() || r.vaddr + size > map.stop().value()) {
            // The mapper placed the block (partly) outside its map: no memory to copy into.
            unmapBlock(r);
            kfree(kr);
            return Either.left(VmError.enomem(String.format("no room for a shared region of 0x%x bytes in %s", size, map)));
        }
        // Filled before it is listed: until then a reader of the file gets the server's bytes, which
        // are what the block is being filled with.
        int err = objects.copyTo(o.oid, offs, r.vaddr, size);
        if (err < 0) {
            unmapBlock(r);
            kfree(kr);
            return Either.left(Errno.toError(err, "reading " + o.describe() + " into a shared region"));
        }
        objects.addRegion(o, r);
        all.add(r);
        return Either.right(r);
    }

    /**
     * Gives back {@code holder}'s shared mapping {@code [vaddr, vaddr+size)} of {@code map}.
     *
     * @return {@link Errno#EOK} when it was one and is gone (with its region, if it was the last),
     *     {@link #NOT_SHARED} when the range touches no region, {@link Errno#EINVAL} when it touches
     *     one but is not exactly a mapping of {@code holder}'s (nothing changed)
     */
    int unshare(MapOwner holder, VmMap map, long vaddr, long size) {
        lock.lock();
        try {
            boolean touches = false;
            for (SharedRegion r : all) {
                if (r.map != map || !r.overlaps(vaddr, size)) {
                    continue;
                }
                touches = true;
                for (SharedRegion.Share s : r.shares) {
                    if (s.is(holder, vaddr, size)) {
                        release(r, s);
                        return Errno.EOK;
                    }
                }
            }
            return touches ? Errno.EINVAL : NOT_SHARED;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back every shared mapping of {@code holder} (its exit); the number given back. */
    public int unshareAll(MapOwner holder) {
        lock.lock();
        try {
            int n = 0;
            for (SharedRegion r : List.copyOf(all)) {
                for (SharedRegion.Share s : List.copyOf(r.shares)) {
                    if (s.holder() == holder) {
                        release(r, s);
                        n++;
                    }
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * munmap for {@code holder}: its shared mapping {@code [vaddr, vaddr+size)} is given back
     * ({@link #unshare}), a range touching no region is unmapped from {@code map} as usual, with
     * this lock held throughout, so no region can be placed in the range meanwhile.
     */
    public Either<VmError, Void> munmap(MapOwner holder, VmMap map, long vaddr, long size) {
        lock.lock();
        try {
            int r = unshare(holder, map, vaddr, size);
            if (r == NOT_SHARED) {
                return map.munmap(VirtAddr.of(vaddr), Size.of(size));
            }
            return r == Errno.EOK ? Either.right(null) : Either.left(VmError.einval(String.format(
                    "0x%x+0x%x touches a shared file region but is not one whole shared mapping of %s", vaddr, size, holder)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * mprotect for {@code holder}: inside one of its shared mappings it succeeds and changes nothing
     * (the region's entry is every sharer's, and no MPU could enforce a protection per process
     * inside one region); touching a region otherwise is {@code EINVAL}; elsewhere it is
     * {@link VmMap#mprotect}, with this lock held.
     */
    public Either<VmError, Void> mprotect(MapOwner holder, VmMap map, long vaddr, long size, int prot) {
        lock.lock();
        try {
            if (!overlapsLocked(map, vaddr, size)) {
                return map.mprotect(VirtAddr.of(vaddr), Size.of(size), prot, holder);
            }
            for (SharedRegion r : all) {
                for (SharedRegion.Share s : r.shares) {
                    if (r.map == map && s.holder() == holder && vaddr >= s.vaddr() && vaddr + size <= s.vaddr() + s.size()) {
                        return Either.right(null);
                    }
                }
            }
            return Either.left(VmError.einval(String.format("0x%x+0x%x touches a shared file region but lies in no shared mapping of %s",
                    vaddr, size, holder)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code op} (a {@code MAP_FIXED} mapping of {@code [vaddr, vaddr+size)}, which would
     * first unmap what is there) unless the range touches a region ({@code EINVAL}); this lock is
     * held throughout, so no region can be placed in the range meanwhile.
     */
    public <T> Either<VmError, T> outside(VmMap map, long vaddr, long size, Supplier<Either<VmError, T>> op) {
        lock.lock();
        try {
            if (overlapsLocked(map, vaddr, size)) {
                return Either.left(VmError.einval(String.format("MAP_FIXED at 0x%x would land on a shared file region", vaddr)));
            }
            return op.get();
        } finally {
            lock.unlock();
        }
    }

    private boolean overlapsLocked(VmMap map, long vaddr, long size) {
        assert lock.isHeldByCurrentThread() : "overlapsLocked without the lock";
        for (SharedRegion r : all) {
            if (r.map == map && r.overlaps(vaddr, size)) {
                return true;
            }
        }
        return false;
    }

    /** {@code show objects}' lines for the live regions: each block, the object's bytes it holds, who maps it where. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (SharedRegion r : regions()) {
            lines.add("  " + ObjectViews.line(r, sharesOf(r)));
        }
        return lines;
    }

    /** Every live region (a snapshot). */
    public List<SharedRegion> regions() {
        lock.lock();
        try {
            return List.copyOf(all);
        } finally {
            lock.unlock();
        }
    }

    /** The shares of {@code r} as they are now. */
    public List<SharedRegion.Share> sharesOf(SharedRegion r) {
        lock.lock();
        try {
            return List.copyOf(r.shares);
        } finally {
            lock.unlock();
        }
    }

    /** Drops share {@code s}; the last one unlists the region and unmaps its block. */
    private void release(SharedRegion r, SharedRegion.Share s) {
        r.shares.remove(s);
        kfree(s.kaddr());
        if (!r.shares.isEmpty()) {
            return;
        }
        all.remove(r);
        objects.removeRegion(r.object, r);
        // The entry holds the region's reference to the object: unmapping may free the object.
        unmapBlock(r);
        kfree(r.kaddr);
    }

    private static void unmapBlock(SharedRegion r) {
        // The block is one entry of its own (no neighbour merges with it), so no split is needed
        // and the unmap cannot run out of entries.
        Either<VmError, Void> u = r.map.munmap(VirtAddr.of(r.vaddr), Size.of(r.size));
        if (u.isLeft()) {
            throw new IllegalStateException("cannot unmap " + r + ": " + u.getLeft().message());
        }
    }

    private void kfree(long k) {
        int err = kmalloc.free(k);
        if (err != Errno.EOK) {
            throw new IllegalStateException(String.format("shared regions: kfree of its own block 0x%08x failed (%s)", k, Errno.name(err)));
        }
    }
}
