package pvm.vm.map;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VirtAddr;

/** {@code vm_mapCopy}: a fork's copy of an address space. */
final class VmMapCopy {

    private VmMapCopy() {
    }

    /**
     * Copies every entry of {@code src} not marked {@code MAP_NOINHERIT} into the empty map
     * {@code dst}, sharing amaps, anons and objects. A writable entry (by its original protection)
     * that is not device memory becomes copy-on-write on both sides ({@code MAP_NEEDSCOPY}); for a
     * lazy child both sides' present pages are remapped read-only, so the first write faults and
     * copies; otherwise every page of the child is populated now with the entry's protection.
     *
     * <p>Anonymous memory with an amap is marked {@code MAP_NEEDSCOPY} whatever its protection
     * (Phoenix marks writable entries only): its amap is shared now, and the mark makes the first
     * fault on either side take a private amap before it adds a page (see {@link MapForce}). So
     * is every entry of {@code src} using an amap the child now shares, inherited or not: a
     * {@code MAP_NOINHERIT} entry can share its amap with a neighbour that is inherited, and its
     * amap must not be reused for a new mapping, which would clear slots the child uses. A device
     * entry, which stays unmarked, takes an amap of its own holding the same anons instead (it may
     * have taken a neighbour's amap at {@code _map_map}); on a later failure it keeps that amap,
     * which holds what the old one did.
     *
     * <p>Device memory ({@code MAP_DEVICE}) is not copied on write, as Phoenix's {@code vm_mapCopy}
     * intends by leaving it unmarked: the pages it has are the parent's and the child's alike, and a
     * write by either reaches both ({@link MapForce} never copies a device page). Phoenix shares the
     * entry's amap itself, so the first write to a page both see copies it into the slot they share
     * (one of the two anons leaks) and a page either side adds later lands in both with one
     * reference (freed under the other by the first unmap). pvm gives the child an amap of its own
     * holding the same anons ({@code amap_create}, their counts already taken for it): the pages
     * present at the fork stay shared, each counted once per entry, and a page either side adds
     * later is its own.
     *
     * <p>A shared mapping of a memory object (no {@code MAP_NEEDSCOPY}, no amap) stays shared on
     * both sides. Phoenix has no {@code MAP_SHARED} ({@code MAP_SHARED} and {@code MAP_PRIVATE} are
     * both 0) and marks every writable object entry copy-on-write; pvm's private object mappings
     * carry {@code MAP_NEEDSCOPY} or an amap, so what is left is shared and must stay so.
     *
     * <p>On failure {@code dst} is destroyed, as Phoenix does, and {@code src} is as it was.
     * Differences from Phoenix, which takes entries one at a time and leaves the parent's entries
     * it reached marked {@code MAP_NEEDSCOPY} when it fails: the entries are taken from the pool
     * all at once before anything changes (the same entries in the same order), and the marks set
     * on {@code src} are cleared again when populating the child fails.
     *
     * @return 0, {@code -EINVAL} ({@code dst} not empty, the same map, or {@code src} entries
     *     outside {@code dst}'s range: nothing done, {@code dst} kept), {@code -ENOMEM} or a
     *     pager error ({@code dst} destroyed)
     */
    static int copy(VmMaps maps, MapOwner owner, VmMap dst, VmMap src, boolean lazy) {
        if (dst == src || dst.isKernel()) {
            return Errno.EINVAL;
        }
        int err = Errno.EOK;
        List<MapEntry> marked = new ArrayList<>();
        src.lock.lock();
        try {
            dst.lock.lock();
            try {
                if (dst.destroyed || src.destroyed || dst.tree.size() != 0) {
                    return Errno.EINVAL;
                }
                int n = 0;
                for (MapEntry e = src.tree.first(); e != null; e = MapEntryTree.next(e)) {
                    if ((e.flags & MapFlags.NOINHERIT) != 0) {
                        continue;
                    }
                    if (e.vaddr < dst.start || e.vaddr + e.size > dst.stop) {
                        return Errno.EINVAL;
                    }
                    n++;
                }
                err = copyLocked(maps, owner, dst, src, lazy, n, marked);
            } finally {
                dst.lock.unlock();
            }
            if (err != Errno.EOK) {
                // The child goes first, while the parent is still locked: until its references
                // are gone the parent's amaps are shared and must keep their marks.
                maps.destroy(owner, dst);
                for (MapEntry e : marked) {
                    e.flags &= ~MapFlags.NEEDSCOPY;
                }
            }
        } finally {
            src.lock.unlock();
        }
        return err;
    }

    private static int copyLocked(VmMaps maps, MapOwner owner, VmMap dst, VmMap src, boolean lazy, int n, List<MapEntry> marked) {
        assert src.lock.isHeldByCurrentThread() : "copyLocked without the lock";
        MapEntry chain = null;
        if (n != 0) {
            chain = maps.pool().allocN(n);
            if (chain == null) {
                return Errno.ENOMEM;
            }
        }
        int err = Errno.EOK;
        Set<AnonMap> sharedAmaps = Collections.newSetFromMap(new IdentityHashMap<>());
        for (MapEntry e = src.tree.first(); e != null && err == Errno.EOK; e = MapEntryTree.next(e)) {
            if ((e.flags & MapFlags.NOINHERIT) != 0) {
                continue;
            }
            MapEntry f = chain;
            chain = chain.next;
            f.next = null;

            dst.entryCopy(f, e, true);
            dst.mapAdd(owner, f);

            boolean device = (e.flags & MapFlags.DEVICE) != 0;
            if (device && f.amap != null) {
                AnonMap own = maps.pager().amapCreate(f.amap, f, f.size);
                if (own == null) {
                    err = Errno.ENOMEM;
                    break;
                }
                f.amap = own;
            }
            boolean writable = (e.protOrig & Prot.WRITE) != 0;
            boolean sharedAmap = e.object == null && e.amap != null;
            boolean sharedObject = isSharedObject(e);
            if (!device && !sharedObject && (writable || sharedAmap)) {
                if ((e.flags & MapFlags.NEEDSCOPY) == 0) {
                    marked.add(e);
                }
                e.flags |= MapFlags.NEEDSCOPY;
                f.flags |= MapFlags.NEEDSCOPY;
                if (e.amap != null) {
                    sharedAmaps.add(e.amap);
                }
            }
            if (!device && !sharedObject && writable && lazy) {
                for (long offs = 0; offs < f.size; offs += maps.pageSize()) {
                    remapReadonly(maps, src, e, offs);
                    remapReadonly(maps, dst, f, offs);
                }
            }

            if (!lazy) {
                for (long offs = 0; offs < f.size; offs += maps.pageSize()) {
                    err = MapForce.force(dst, f, f.vaddr + offs, f.prot);
                    if (err != Errno.EOK) {
                        break;
                    }
                }
            }
        }
        if (chain != null) {
            maps.pool().freeChain(chain);
        }
        // Entries the child did not get (MAP_NOINHERIT) may use an amap it now shares.
        for (MapEntry e = src.tree.first(); e != null && err == Errno.EOK && !sharedAmaps.isEmpty(); e = MapEntryTree.next(e)) {
            if (e.amap == null || !sharedAmaps.contains(e.amap) || (e.flags & MapFlags.NEEDSCOPY) != 0) {
                continue;
            }
            if ((e.flags & MapFlags.DEVICE) != 0) {
                // A device entry that took a neighbour's amap stays unmarked, so nothing would keep
                // that amap from being reused, or the entry from growing over slots the child uses,
                // and clearing them would orphan the child's anons. It takes an amap of its own
                // holding the same anons, as the child's copy did (its pages stay shared).
                AnonMap own = maps.pager().amapCreate(e.amap, e, e.size);
                if (own == null) {
                    err = Errno.ENOMEM;
                    break;
                }
                e.amap = own;
            } else {
                marked.add(e);
                e.flags |= MapFlags.NEEDSCOPY;
            }
        }
        return err;
    }

    /**
     * A shared mapping of a memory object: neither marked {@code MAP_NEEDSCOPY} (a private mapping
     * not yet written) nor holding an amap (a private mapping written to). A fork shares it as it
     * is, so both processes keep seeing one set of pages ({@code MAP_SHARED}).
     */
    private static boolean isSharedObject(MapEntry e) {
        return e.object != null && e.object != MemObject.PHYSMEM && e.amap == null && (e.flags & MapFlags.NEEDSCOPY) == 0;
    }

    /** {@code remap_readonly}: a present page of the entry becomes present, read-only. */
    private static void remapReadonly(VmMaps maps, VmMap map, MapEntry e, long offs) {
        int attr = Attr.PRESENT;
        if ((e.prot & Prot.USER) != 0) {
            attr |= Attr.USER;
        }
        VirtAddr va = VirtAddr.of(e.vaddr + offs);
        PhysAddr a = map.pmap.resolve(va);
        if (!a.isNone()) {
            maps.pages().map(map.pmap, va, a, attr);
        }
    }
}
