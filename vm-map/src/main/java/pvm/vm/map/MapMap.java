package pvm.vm.map;

import pvm.hal.pmap.Errno;
import pvm.hal.pmap.MapFlags;

/**
 * {@code _map_map}: finds room for a mapping and records it, growing a neighbouring entry when the
 * mapping continues it, or making a new entry.
 */
final class MapMap {

    /** {@code addr_t}/{@code ptr_t} are 32 bits on both targets. */
    private static final long PTR_MAX = 0xffff_ffffL;

    private MapMap() {
    }

    /**
     * Phoenix's rules, in order. A neighbour takes the new range when it touches it and has the same
     * object, flags, and {@code prot == protOrig == prot}; with an object offset, the offsets must
     * continue too; on no-MMU the neighbour must belong to the same process. For anonymous memory
     * the amap must have room: growing the left neighbour needs slots past its end, growing the
     * right one needs {@code aoffs >= size}; and unless both neighbours share one amap only one side
     * may grow (then the left one). When both grow, the three become one entry. Otherwise a new
     * entry is made, which reuses a neighbour's amap when the range falls inside it. Finally the
     * amap slots of the new range are cleared (they may hold anons already dropped by an unmap).
     *
     * <p>Differences from Phoenix: a new entry does not reuse the amap of a neighbour still
     * marked {@code MAP_NEEDSCOPY}; that amap is shared with another address space after a fork,
     * and clearing its slots would drop the other side's pages. And a mapping of an object does
     * not join a neighbour of the same object that has an amap (see the comment in the code).
     *
     * @param spare an entry to use for a new entry instead of taking one from the pool, or null;
     *     used or given back to the pool
     * @return the address, or {@code -ENOMEM} (no room, or no entry), {@code -EINVAL} (misaligned
     *     offset, or on no-MMU a {@code PHYSMEM} offset that is no address)
     */
    static long map(VmMap map, long vaddr, MapOwner proc, long size, int prot, MemObject o, long offs, int flags, MapEntry spare) {
        MapEntryPool pool = map.maps.pool();
        Pager pager = map.maps.pager();
        MapEntryTree tree = map.tree;
        long pageMask = map.pageSize - 1;
        map.lastEntry = null;

        if (o == MemObject.PHYSMEM && !map.maps.model().entersPhysmem()) {
            // Without translation the physical address is the mapping: no entry at all.
            release(pool, spare);
            return offs >= 0 && offs <= PTR_MAX ? offs : Errno.EINVAL;
        }

        MapEntryTree.Room room = tree.findRoom(vaddr, size);
        if (room == null) {
            release(pool, spare);
            return Errno.ENOMEM;
        }
        long v = room.vaddr();
        MapEntry prev = room.prev();
        MapEntry next = room.next();

        boolean rmerge = next != null && v + size == next.vaddr && next.object == o && next.flags == flags
                && next.prot == prot && next.protOrig == prot;
        boolean lmerge = prev != null && v == prev.vaddr + prev.size && prev.object == o && prev.flags == flags
                && prev.prot == prot && prev.protOrig == prot;

        if (offs != MapEntry.OFFS_MAX) {
            if ((offs & pageMask) != 0) {
                release(pool, spare);
                return Errno.EINVAL;
            }
            if (rmerge && next.offs != offs + size) {
                rmerge = false;
            }
            if (lmerge && offs != prev.offs + prev.size) {
                lmerge = false;
            }
        }

        MapModel model = map.maps.model();
        rmerge = rmerge && model.mayMerge(proc, next.owner);
        lmerge = lmerge && model.mayMerge(proc, prev.owner);

        if (o != null) {
            // An object entry with an amap has private pages: the amap covers its range only,
            // and a new mapping of the object (shared, or private and not yet written) is not
            // part of it. Phoenix applies the amap room checks below to anonymous memory only, so
            // growing such an entry can index past its amap or reuse its first slots.
            if (lmerge && prev.amap != null) {
                lmerge = false;
            }
            if (rmerge && next.amap != null) {
                rmerge = false;
            }
        }

        if (o == null && !(lmerge && rmerge && next.amap == prev.amap)) {
            // The left neighbour's amap must have slots for the new pages past its end.
            if (lmerge && prev.amap != null && (long) prev.amap.size() * map.pageSize - prev.aoffs - prev.size < size) {
                lmerge = false;
            }
            // The right neighbour's amap must have slots for them before its start.
            if (rmerge && next.amap != null && next.aoffs < size) {
                rmerge = false;
            }
            // Two different amaps cannot become one: grow one side only.
            if (lmerge && rmerge) {
                rmerge = false;
            }
        }

        MapEntry e;
        if (rmerge && lmerge) {
            e = prev;
            e.size += size + next.size;
            e.rmaxgap = next.rmaxgap;
            tree.augment(e);
            map.entryPut(next);
            release(pool, spare);
        } else if (rmerge) {
            e = next;
            e.vaddr = v;
            e.offs = offs;
            e.size += size;
            e.lmaxgap -= size;
            if (e.aoffs != 0) {
                e.aoffs -= size;
            }
            if (prev != null) {
                prev.rmaxgap -= size;
                tree.augment(prev);
            }
            tree.augment(e);
            release(pool, spare);
        } else if (lmerge) {
            e = prev;
            e.size += size;
            e.rmaxgap -= size;
            if (next != null) {
                next.lmaxgap -= size;
                tree.augment(next);
            }
            tree.augment(e);
            release(pool, spare);
        } else {
            e = spare != null ? spare : pool.alloc();
            if (e == null) {
                return Errno.ENOMEM;
            }
            e.next = null;
            e.vaddr = v;
            e.size = size;
            e.object = pager.objectRef(o);
            e.offs = offs;
            e.flags = flags;
            e.prot = prot;
            e.protOrig = prot;
            e.amap = null;
            e.aoffs = 0;

            if (o == null) {
                // Reuse a neighbour's amap when the new range lies within it.
                if (next != null && next.amap != null && privateAmap(next) && e.vaddr >= next.vaddr - next.aoffs) {
                    e.amap = pager.amapRef(next.amap);
                    e.aoffs = next.aoffs - (next.vaddr - e.vaddr);
                } else if (prev != null && prev.amap != null && privateAmap(prev)
                        && (long) map.pageSize * prev.amap.size() - prev.aoffs + prev.vaddr >= e.vaddr + size) {
                    e.amap = pager.amapRef(prev.amap);
                    e.aoffs = prev.aoffs + (e.vaddr - prev.vaddr);
                }
            }
            map.mapAdd(proc, e);
        }

        if (e.amap != null) {
            pager.amapClear(e.amap, e.aoffs + (v - e.vaddr), size);
        }
        map.lastEntry = e;
        return v;
    }

    /** An amap not waiting to be copied: not shared with another address space by a fork. */
    private static boolean privateAmap(MapEntry neighbour) {
        return (neighbour.flags & MapFlags.NEEDSCOPY) == 0;
    }

    private static void release(MapEntryPool pool, MapEntry spare) {
        if (spare != null) {
            spare.next = null;
            pool.free(spare);
        }
    }
}
