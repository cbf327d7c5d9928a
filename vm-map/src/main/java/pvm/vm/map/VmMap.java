package pvm.vm.map;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/**
 * One address space: Phoenix's {@code vm_map_t}. Its entries ({@link MapEntry}) lie in
 * {@code [start, stop)} in a gap-augmented red-black tree; its {@link Pmap} holds what is mapped.
 *
 * <p>Locking as Phoenix names it: each public method takes the map's lock and calls the
 * package-private {@code *Locked} method, which expects it held ({@code vm_mmap} / {@code _vm_mmap}).
 * The lock is reentrant because the object layer, called with it held, maps pages into the kernel
 * map, which may be this map.
 *
 * <p>Internal results are ints (or longs for addresses): 0 or an address on success, a negative
 * {@link Errno} on failure. Public methods return {@link Either}. A failed call leaves the entries,
 * the mappings, the entry pool and the free pages as they were, with these exceptions: a page
 * table made for a failed mapping stays with the address space (page tables are freed only with
 * it, as in Phoenix); a fault that failed may have given its entry a private amap, or a page to an
 * anon, first (invisible to the process, and no leak); a {@code MAP_FIXED} mapping that fails after
 * unmapping its range leaves the range unmapped; and see {@link #mprotect}.
 */
public final class VmMap {

    final VmMaps maps;
    final ReentrantLock lock = new ReentrantLock();
    final Pmap pmap;
    final long start;
    final long stop;
    final MapEntryTree tree;
    final int pageSize;

    /** {@code pmap.pmapp}: the page directory {@code vm_mapCreate} allocated, or none. */
    int pdirFrame = PageFrames.NONE;
    /** {@code pmap.pmapv}: where that page is mapped in the kernel map, and how much. */
    long pdirVaddr;
    long pdirSize;
    /** Set by {@link VmMaps#destroy}: the pmap's tables are gone, nothing may be mapped again. */
    boolean destroyed;

    /** The entry {@code _map_map} last mapped into (its {@code *entry} out parameter). */
    MapEntry lastEntry;

    VmMap(VmMaps maps, Pmap pmap, long start, long stop) {
        if (start < 0 || stop <= start) {
            throw new IllegalArgumentException(String.format("bad map range [0x%x, 0x%x)", start, stop));
        }
        this.maps = maps;
        this.pmap = pmap;
        this.start = start;
        this.stop = stop;
        this.tree = new MapEntryTree(start, stop);
        this.pageSize = maps.pageSize();
    }

    public Pmap pmap() {
        return pmap;
    }

    public VirtAddr start() {
        return VirtAddr.of(start);
    }

    public VirtAddr stop() {
        return VirtAddr.of(stop);
    }

    /** The tree of entries (read it under {@link #lock()} when other threads may change the map). */
    public MapEntryTree tree() {
        return tree;
    }

    public boolean isKernel() {
        return maps.kernelMap() == this;
    }

    /**
     * Whether several processes map into this map (the kernel map, or a shared map of a board memory
     * map without an MMU), so a process's own entries are those it made ({@link #entries(Object)}).
     */
    public boolean isShared() {
        return maps.isShared(this);
    }

    // ---- the public API ---------------------------------------------------------------------------

    /**
     * {@code vm_mmap}: maps {@code size} bytes at the first free address at or above {@code vaddr}
     * (exactly at {@code vaddr} with {@link MapFlags#FIXED}, after unmapping what was there).
     *
     * <p>With {@code pages} given, those physical pages are mapped at once (and {@code size}
     * becomes the size of their block, as Phoenix takes {@code 1 << p->idx}); otherwise, unless the
     * owner is lazy ({@link MapOwner}), every page is populated through the fault path, and a
     * failure unmaps the whole range again.
     *
     * <p>Errors: {@code EINVAL} for a size that is zero or not a whole number of pages, an object
     * offset that is not page-aligned, a fixed address that is not page-aligned, unknown prot or
     * flag bits, {@code MAP_NEEDSCOPY} asked for anonymous memory, a bad frame; {@code ENOMEM} when there is no room
     * (a fixed range outside the map), the entry pool is empty, or pages run out. A non-fixed
     * address is a hint and is rounded up to a page. On failure of a {@code MAP_FIXED} mapping
     * after its range was unmapped, the old mapping is gone (as POSIX allows).
     *
     * @param pages a page block to map, or {@link Frame#NONE}
     * @param o the object, {@code null} for anonymous memory, or {@link MemObject#PHYSMEM}
     * @param offs the object offset, or {@code -1} ({@link MapEntry#OFFS_MAX})
     * @param owner the process the mapping is made for ({@code null}: the kernel)
     */
    public Either<VmError, VirtAddr> mmap(VirtAddr vaddr, Frame pages, Size size, int prot, MemObject o, long offs, int flags,
            MapOwner owner) {
        String bad = VmMmap.check(this, vaddr.value(), pages.index(), size.bytes(), prot, o, offs, flags);
        if (bad != null) {
            return Either.left(VmError.einval("mmap: " + bad));
        }
        long r;
        lock.lock();
        try {
            r = mmapLocked(vaddr.value(), pages.index(), size.bytes(), prot, o, offs, flags, owner);
        } finally {
            lock.unlock();
        }
        if (r < 0) {
            return Either.left(Errno.toError((int) r, String.format("mmap of %s at 0x%x in %s failed: %s",
                    Sizes.human(size.bytes()), vaddr.value(), this, Errno.name((int) r))));
        }
        return Either.right(VirtAddr.of(r));
    }

    /** {@code _vm_mmap}: the address, or a negative errno. */
    long mmapLocked(long vaddr, int frame, long size, int prot, MemObject o, long offs, int flags, MapOwner owner) {
        assert lock.isHeldByCurrentThread() : "mmapLocked without the lock";
        return VmMmap.mmap(this, vaddr, frame, size, prot, o, offs, flags, owner);
    }

    /**
     * {@code vm_mapFind}: finds room for {@code size} bytes at or above {@code vaddr} and enters an
     * entry of the kernel object there, mapping nothing.
     */
    public Either<VmError, VirtAddr> find(VirtAddr vaddr, Size size, int flags, int prot) {
        if (size.bytes() == 0 || !Sizes.isAligned(size.bytes(), pageSize)) {
            return Either.left(VmError.einval("mapFind: size must be a positive multiple of the page size"));
        }
        long r;
        lock.lock();
        try {
            r = destroyed ? Errno.EINVAL : mapLocked(Sizes.alignUp(vaddr.value(), pageSize), null, size.bytes(), prot,
                    maps.kernelObject(), MapEntry.OFFS_MAX, flags & 0xff, null);
        } finally {
            lock.unlock();
        }
        return r < 0 ? Either.left(Errno.toError((int) r, "mapFind: no room for " + Sizes.human(size.bytes())))
                : Either.right(VirtAddr.of(r));
    }

    /** {@code _map_map}: the address, or a negative errno; the entry in {@link #lastEntry}. */
    long mapLocked(long vaddr, MapOwner owner, long size, int prot, MemObject o, long offs, int flags, MapEntry spare) {
        assert lock.isHeldByCurrentThread() : "mapLocked without the lock";
        return MapMap.map(this, vaddr, owner, size, prot, o, offs, flags, spare);
    }

    /**
     * {@code vm_munmap}: unmaps every page of {@code [vaddr, vaddr+size)}, trimming or splitting the
     * entries it cuts. {@code EINVAL} for an address or size that is not page-aligned;
     * {@code ENOMEM} (nothing changed) when a split in the middle of an entry finds the pool empty.
     * Unmapping a range with nothing mapped succeeds.
     */
    public Either<VmError, Void> munmap(VirtAddr vaddr, Size size) {
        int r;
        lock.lock();
        try {
            r = munmapLocked(vaddr.value(), size.bytes());
        } finally {
            lock.unlock();
        }
        if (r < 0) {
            return Either.left(Errno.toError(r, String.format("munmap of %s at 0x%x: %s", Sizes.human(size.bytes()), vaddr.value(),
                    r == Errno.EINVAL ? "address and size must be page-aligned, the size not zero" : "no map entry left to split the mapping")));
        }
        return Either.right(null);
    }

    /** {@code _vm_munmap}. */
    int munmapLocked(long vaddr, long size) {
        assert lock.isHeldByCurrentThread() : "munmapLocked without the lock";
        return VmMunmap.munmap(this, vaddr, size, null);
    }

    /** {@link #mprotect(VirtAddr, Size, int, Object)} on behalf of the kernel (not lazy). */
    public Either<VmError, Void> mprotect(VirtAddr vaddr, Size len, int prot) {
        return mprotect(vaddr, len, prot, null);
    }

    /**
     * {@code vm_mprotect}: sets the protection of {@code [vaddr, vaddr+len)}, which must be mapped
     * throughout. Checks everything first: {@code EINVAL} for a misaligned address or length, a zero
     * length or unknown prot bits; {@code ENOMEM} for a hole in the range; {@code EACCES} for rights
     * beyond an entry's original protection; {@code ENOMEM} when the pool lacks the entries the
     * splits need. Then splits the entries at the range's ends, merges neighbours it made equal,
     * and re-enters the present pages with the new attributes (a page that must still be copied
     * stays read-only for a lazy owner, and is copied now for any other owner).
     *
     * <p>Only the last step can fail (out of pages while copying); the entries already processed
     * then keep the new protection, as in Phoenix, and the error is returned.
     *
     * @param owner the process asking ({@code null}: the kernel), for its laziness
     */
    public Either<VmError, Void> mprotect(VirtAddr vaddr, Size len, int prot, MapOwner owner) {
        int r;
        lock.lock();
        try {
            r = mprotectLocked(vaddr.value(), len.bytes(), prot, owner);
        } finally {
            lock.unlock();
        }
        if (r < 0) {
            String why = switch (r) {
                case Errno.EINVAL -> "address and length must be page-aligned, the length not zero, prot known bits";
                case Errno.EACCES -> "protection beyond what the mapping was made with";
                case Errno.ENOMEM -> "range not mapped throughout, or out of memory";
                default -> Errno.name(r);
            };
            return Either.left(Errno.toError(r, String.format("mprotect of %s at 0x%x to %s: %s", Sizes.human(len.bytes()),
                    vaddr.value(), Prot.letters(prot), why)));
        }
        return Either.right(null);
    }

    /** {@code vm_mprotect} after taking the lock. */
    int mprotectLocked(long vaddr, long len, int prot, MapOwner owner) {
        assert lock.isHeldByCurrentThread() : "mprotectLocked without the lock";
        return VmMprotect.mprotect(this, vaddr, len, prot, owner);
    }

    /**
     * {@code vm_mapForce}: the fault path. Makes the page at {@code pageVaddr} present for an access
     * with {@code prot} ({@link Prot} bits, with {@link Prot#USER} for a user-mode access).
     *
     * @return 0, {@code -EFAULT} where nothing is mapped, {@code -EINVAL} where the access exceeds
     *     the entry's protection (the kernel sends SIGSEGV), {@code -ENOMEM}, or an error from the pager
     */
    public int force(long pageVaddr, int prot) {
        lock.lock();
        try {
            return forceLocked(pageVaddr, prot);
        } finally {
            lock.unlock();
        }
    }

    int forceLocked(long pageVaddr, int prot) {
        assert lock.isHeldByCurrentThread() : "forceLocked without the lock";
        if (destroyed) {
            return Errno.EFAULT;
        }
        long page = Sizes.alignDown(pageVaddr, pageSize);
        MapEntry e = tree.find(page, pageSize);
        if (e == null) {
            return Errno.EFAULT;
        }
        return MapForce.force(this, e, page, prot);
    }

    /** {@code vm_mapFlags}: the entry's flags without {@code MAP_NEEDSCOPY}, or {@code -EFAULT}. */
    public int flags(VirtAddr vaddr) {
        lock.lock();
        try {
            return flagsLocked(vaddr.value());
        } finally {
            lock.unlock();
        }
    }

    int flagsLocked(long vaddr) {
        assert lock.isHeldByCurrentThread() : "flagsLocked without the lock";
        MapEntry e = tree.find(vaddr, pageSize);
        return e == null ? Errno.EFAULT : e.flags & ~MapFlags.NEEDSCOPY;
    }

    /**
     * {@code _vm_mapBelongs} for this map: whether some entry overlaps {@code [ptr, ptr+size)}. A
     * zero size belongs; on no-MMU everything belongs (Phoenix disables the check there, as memory
     * comes from other maps by message).
     */
    public boolean belongs(VirtAddr ptr, Size size) {
        lock.lock();
        try {
            return belongsLocked(ptr.value(), size.bytes());
        } finally {
            lock.unlock();
        }
    }

    boolean belongsLocked(long ptr, long size) {
        assert lock.isHeldByCurrentThread() : "belongsLocked without the lock";
        return maps.model().covers(this, ptr, size);
    }

    /**
     * {@code vm_lockVerify}: takes this map's lock and checks that the page at {@code vaddr} still
     * maps {@code o} (and {@code amap}, unless null), as the pager does after fetching with the lock
     * released. The lock stays held whatever the answer; the caller releases it with
     * {@link #unlock()}.
     *
     * @return 0, or {@code -EINVAL} when the mapping changed meanwhile
     */
    public int lockVerify(AnonMap amap, MemObject o, long vaddr) {
        lock.lock();
        MapEntry e = tree.find(Sizes.alignDown(vaddr, pageSize), pageSize);
        if (e == null || e.object != o || (amap != null && e.amap != amap)) {
            return Errno.EINVAL;
        }
        return Errno.EOK;
    }

    /** Takes the map's lock ({@code proc_lockSet(&map->lock)}), for the pager's fetch window. */
    public void lock() {
        lock.lock();
    }

    /** Releases the map's lock ({@code proc_lockClear(&map->lock)}). */
    public void unlock() {
        lock.unlock();
    }

    /** Whether the calling thread holds this map's lock. */
    public boolean isLockedByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** Number of entries. */
    public int entryCount() {
        lock.lock();
        try {
            return tree.size();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the map's range no entry covers ({@code vm_mapinfo}'s per-map {@code free}). */
    public long freeBytes() {
        lock.lock();
        try {
            long free = stop - start;
            for (MapEntry e = tree.first(); e != null; e = MapEntryTree.next(e)) {
                free -= e.size;
            }
            return free;
        } finally {
            lock.unlock();
        }
    }

    /** {@code vm_mapinfo}'s entry list: every entry in address order. */
    public List<EntryInfo> entries() {
        return entriesOf(null, false);
    }

    /** The entries mapped for {@code owner} (no-MMU's per-process list {@code process->entries}). */
    public List<EntryInfo> entries(MapOwner owner) {
        return entriesOf(owner, true);
    }

    private List<EntryInfo> entriesOf(MapOwner owner, boolean filter) {
        lock.lock();
        try {
            List<EntryInfo> out = new ArrayList<>(tree.size());
            for (MapEntry e = tree.first(); e != null; e = MapEntryTree.next(e)) {
                if (!filter || e.owner == owner) {
                    out.add(EntryInfo.of(e, pageSize));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** {@code vm_mapDump}: the tree as {@code lib_rbDump} prints it, with each entry's gaps. */
    public List<String> dump() {
        lock.lock();
        try {
            List<String> out = new ArrayList<>();
            dump(tree.root, new StringBuilder(), out);
            return out;
        } finally {
            lock.unlock();
        }
    }

    private static void dump(MapEntry n, StringBuilder prefix, List<String> out) {
        String head = prefix.isEmpty() ? "" : "`-";
        if (n == null) {
            out.add(prefix + head + "() *");
            return;
        }
        out.add(String.format("%s%s(%08x+%x, %x, %x)%s", prefix, head, n.vaddr, n.size, n.lmaxgap, n.rmaxgap, n.red ? " " : "*"));
        if (n.left != null || n.right != null) {
            int len = prefix.length();
            prefix.append("| ");
            dump(n.left, prefix, out);
            prefix.setLength(len);
            prefix.append("  ");
            dump(n.right, prefix, out);
            prefix.setLength(len);
        }
    }

    /**
     * The invariant checker: the tree is a valid red-black tree whose gaps equal a recomputation,
     * entries are ordered, page-aligned, non-empty, disjoint and inside {@code [start, stop)}, their
     * protection within the original one; and (with an MMU) every present page of an entry maps an
     * allocated frame without rights beyond the entry's, and the pages just outside each entry are
     * not mapped (in process maps). Empty when all hold.
     */
    public List<String> verify() {
        lock.lock();
        try {
            return MapVerify.verify(this);
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers shared by the operations, lock held -----------------------------------------------

    /** {@code _map_add}: tags the entry with its owner and map and links it into the tree. */
    int mapAdd(MapOwner owner, MapEntry e) {
        e.owner = owner;
        e.map = this;
        return tree.insert(e);
    }

    /** {@code _map_remove}. */
    void mapRemove(MapEntry e) {
        tree.remove(e);
        e.owner = null;
        e.map = null;
    }

    /** {@code _entry_put}: drops the entry's amap and object references, unlinks it and frees it. */
    void entryPut(MapEntry e) {
        Pager pager = maps.pager();
        pager.amapPut(e.amap);
        pager.objectPut(e.object);
        mapRemove(e);
        maps.pool().free(e);
    }

    /**
     * {@code _vm_mapEntryCopy}: {@code dst} becomes a copy of {@code src}, and the amap and object
     * get one more reference each; with {@code refAnons} each anon of the range too (a fork shares
     * them; a split only moves them from one entry to two).
     */
    void entryCopy(MapEntry dst, MapEntry src, boolean refAnons) {
        Pager pager = maps.pager();
        dst.copyFrom(src);
        src.amap = pager.amapRef(dst.amap);
        if (refAnons) {
            pager.amapGetAnons(dst.amap, dst.aoffs, dst.size);
        }
        src.object = pager.objectRef(dst.object);
    }

    /**
     * {@code _vm_mapEntrySplit}: {@code e} keeps its first {@code len} bytes and {@code n} (a free
     * entry) takes the rest. The new entry keeps {@code e}'s owner.
     */
    void entrySplit(MapEntry e, MapEntry n, long len) {
        entryCopy(n, e, false);
        n.vaddr += len;
        n.size -= len;
        n.aoffs += len;
        n.offs = n.offs == MapEntry.OFFS_MAX ? MapEntry.OFFS_MAX : n.offs + len;
        n.lmaxgap = 0;

        e.size = len;
        e.rmaxgap = 0;
        tree.augment(e);

        mapAdd(e.owner, n);
    }

    @Override
    public String toString() {
        return String.format("%s[0x%08x, 0x%x)", isKernel() ? "kmap" : "map", start, stop);
    }
}
