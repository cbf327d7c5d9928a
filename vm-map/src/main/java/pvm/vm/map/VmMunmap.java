package pvm.vm.map;

import pvm.hal.pmap.Errno;
import pvm.hal.pmap.VirtAddr;

/** {@code _vm_munmap}: removes a range from a map, entry by entry. */
final class VmMunmap {

    private VmMunmap() {
    }

    /**
     * Takes each entry overlapping {@code [vaddr, vaddr+size)} in turn (in whatever order the tree
     * finds them, as {@code lib_rbFind} does): an entry inside the range goes, an entry cut at one
     * end is trimmed (its gap neighbour widened), and an entry with the range strictly inside it is
     * first split in two at the range's start, which then makes it the "cut at one end" case. For
     * every overlap the amap's anons are dropped and the pages unmapped, but only once the entry
     * change is certain, so running out of entries for a split leaves the map as it was: that split
     * can only be the first and only step, since a range strictly inside one entry overlaps no other.
     *
     * @param spare an entry for the split, or null to take one from the pool; used or given back
     * @param caller the process asking ({@code null}: the kernel); without an MMU an entry of the
     *     range that another process made is {@code -EINVAL}, nothing changed ({@link NommuIsolation})
     * <p>A zero size is {@code -EINVAL} (POSIX); Phoenix accepts it, and splits an entry the address
     * falls inside without unmapping anything.
     *
     * @return 0, {@code -EINVAL} for a misaligned address or size, a range whose end wraps or another's entry, {@code -ENOMEM} when no entry is
     *     left for a split (nothing changed)
     */
    static int munmap(VmMap map, long vaddr, long size, MapEntry spare, MapOwner caller) {
        MapEntryPool pool = map.maps.pool();
        long pageMask = map.pageSize - 1;
        // A range whose end wraps would trim entries by negative amounts (Phoenix does not look).
        if (size <= 0 || (size & pageMask) != 0 || (vaddr & pageMask) != 0 || vaddr < 0 || size > Long.MAX_VALUE - vaddr) {
            release(pool, spare);
            return Errno.EINVAL;
        }
        Pager pager = map.maps.pager();
        MapEntryTree tree = map.tree;
        if (tree.firstForeign(map.maps.model(), caller, vaddr, size) != null) {
            release(pool, spare);
            return Errno.EINVAL;
        }

        for (;;) {
            MapEntry e = tree.find(vaddr, size);
            if (e == null) {
                break;
            }
            // An entry that holds the whole range is the only one overlapping it (entries are
            // disjoint); once it is trimmed or gone, the next lookup could only come back empty.
            boolean whole = e.vaddr <= vaddr && vaddr + size <= e.vaddr + e.size;
            long overlapStart = Math.max(e.vaddr, vaddr);
            long overlapEnd = Math.min(e.vaddr + e.size, vaddr + size);
            long overlapSize = overlapEnd - overlapStart;
            long overlapEOffset = overlapStart - e.vaddr;
            long eAoffs = e.aoffs;
            boolean putEntry = false;

            if (e.vaddr == overlapStart) {
                if (e.size == overlapSize) {
                    putEntry = true;
                } else {
                    e.aoffs += overlapSize;
                    e.offs = e.offs == MapEntry.OFFS_MAX ? MapEntry.OFFS_MAX : e.offs + overlapSize;
                    e.vaddr += overlapSize;
                    e.size -= overlapSize;
                    e.lmaxgap += overlapSize;
                    MapEntry s = MapEntryTree.prev(e);
                    if (s != null) {
                        s.rmaxgap += overlapSize;
                        tree.augment(s);
                    }
                    tree.augment(e);
                }
            } else if (e.vaddr + e.size == overlapEnd) {
                e.size -= overlapSize;
                e.rmaxgap += overlapSize;
                MapEntry s = MapEntryTree.next(e);
                if (s != null) {
                    s.lmaxgap += overlapSize;
                    tree.augment(s);
                }
                tree.augment(e);
            } else {
                MapEntry s = spare != null ? spare : pool.alloc();
                spare = null;
                if (s == null) {
                    return Errno.ENOMEM;
                }
                s.next = null;
                map.entrySplit(e, s, overlapEOffset);
                continue;
            }

            pager.amapPutAnons(e.amap, eAoffs + overlapEOffset, overlapSize);
            map.pmap.remove(VirtAddr.of(overlapStart), VirtAddr.of(overlapEnd));
            if (putEntry) {
                map.entryPut(e);
            }
            if (whole) {
                break;
            }
        }
        release(pool, spare);
        return Errno.EOK;
    }

    /** Gives an unused spare entry back to the pool. */
    static void release(MapEntryPool pool, MapEntry spare) {
        if (spare != null) {
            spare.next = null;
            pool.free(spare);
        }
    }
}
