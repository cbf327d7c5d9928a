package pvm.vm.map;

import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VirtAddr;

/** {@code vm_mprotect}: validate the whole range, then apply. */
final class VmMprotect {

    private static final int KNOWN_PROT = Prot.READ | Prot.WRITE | Prot.EXEC | Prot.USER;

    private VmMprotect() {
    }

    /**
     * Validation walks the range entry by entry: a hole is {@code -ENOMEM}, rights beyond an
     * entry's {@code protOrig} are {@code -EACCES}, and it counts the splits needed (the first entry
     * starting before the range, the last one ending after it), whose entries are then taken from
     * the pool all at once ({@code map_allocN}). Nothing has changed if any of this fails.
     *
     * <p>The apply walk splits the first entry at the range start and the last one at the range end,
     * merges each further entry into the previous one when the two can be one, sets the
     * protection, and re-enters every present page with the new attributes. An entry still marked
     * {@code MAP_NEEDSCOPY} keeps its pages read-only for a lazy owner (the next write copies) and
     * has them copied now for any other owner.
     *
     * <p>Differences from Phoenix, whose apply loop is unsound as written: it looks up the entry at
     * the range start on every step instead of advancing (so a range over more than one entry merges
     * the entry with itself and frees it), subtracts a merged entry's whole size from the length
     * left, splits the last entry after merging it (so the part past the range takes the new
     * protection too), and merges neighbours with different amaps or discontiguous object offsets.
     * Here the walk advances entry by entry, counts only the bytes each step newly covers, splits
     * before merging, and merges two entries only when one entry could describe both (same amap at continuing offsets, continuing object
     * offsets, same owner on no-MMU). The first copy failure stops the walk and is returned (Phoenix
     * keeps going and returns the last page's result). And a present page of an entry with an amap
     * is re-entered without write permission: Phoenix makes it writable, which hands a process write
     * access to an anon it still shares after a fork (once a write fault took the entry's
     * {@code MAP_NEEDSCOPY} away, other pages can still be shared) or to the file page under a
     * private mapping; the next write faults and the pager copies the page or keeps it as it must.
     */
    static int mprotect(VmMap map, long vaddr, long len, int prot, MapOwner owner) {
        int ps = map.pageSize;
        long pageMask = ps - 1;
        if ((vaddr & pageMask) != 0 || len <= 0 || (len & pageMask) != 0 || vaddr < 0 || (prot & ~KNOWN_PROT) != 0) {
            return Errno.EINVAL;
        }
        if (map.destroyed || len > Long.MAX_VALUE - vaddr) {
            // A range whose end wraps is not mapped throughout.
            return Errno.ENOMEM;
        }
        MapEntryTree tree = map.tree;

        // Validate.
        long t = vaddr;
        long lenLeft = len;
        int needed = 0;
        do {
            MapEntry e = tree.find(t, ps);
            if (e == null) {
                return Errno.ENOMEM;
            }
            if (!map.maps.model().mayTouch(owner, e.owner)) {
                // Without an MMU another process's entry is not the caller's to change (NommuIsolation).
                return Errno.EINVAL;
            }
            if (MapAttr.checkProt(e.protOrig, prot) != 0) {
                return Errno.EACCES;
            }
            long currSize = e.size;
            if (e.vaddr < t) {
                currSize -= t - e.vaddr;
                needed++;
            }
            if (lenLeft < currSize) {
                needed++;
            }
            lenLeft -= Math.min(lenLeft, currSize);
            t += currSize;
        } while (lenLeft != 0);

        MapEntry buf = null;
        if (needed != 0) {
            buf = map.maps.pool().allocN(needed);
            if (buf == null) {
                return Errno.ENOMEM;
            }
        }

        // Apply.
        boolean lazy = MapOwner.isLazy(owner);
        int result = Errno.EOK;
        MapEntry prev = null;
        t = vaddr;
        lenLeft = len;
        do {
            MapEntry e = tree.find(t, ps);
            if (prev == null && e.vaddr < t) {
                MapEntry n = buf;
                buf = buf.next;
                n.next = null;
                map.entrySplit(e, n, t - e.vaddr);
                e = n;
            }
            // e starts at t now. The part past the range keeps its protection: split it off
            // before e can join the previous entry.
            if (lenLeft < e.size) {
                MapEntry n = buf;
                buf = buf.next;
                n.next = null;
                map.entrySplit(e, n, lenLeft);
            }
            if (prev != null && mergeable(map, prev, e)) {
                prev.rmaxgap = e.rmaxgap;
                prev.size += e.size;
                map.entryPut(e);
                tree.augment(prev);
                e = prev;
            }

            e.prot = prot;
            result = enter(map, e, t, prot, lazy);

            long end = e.vaddr + e.size;
            lenLeft -= end - t;
            t = end;
            prev = e;
        } while (lenLeft != 0 && result == Errno.EOK);

        if (buf != null) {
            map.maps.pool().freeChain(buf);
        }
        return result;
    }

    /** Re-enters the present pages of {@code [from, e.end)} with the attributes of {@code prot}. */
    private static int enter(VmMap map, MapEntry e, long from, int prot, boolean lazy) {
        int attr = MapAttr.protToAttr(prot) | MapAttr.flagsToAttr(e.flags);
        if (e.amap != null) {
            // A present page of private memory may still be shared (a fork's anon, a file page):
            // only a write fault may decide to make it writable, by copying it if it must.
            attr &= ~Attr.WRITE;
        }
        boolean needscopyNonLazy = false;
        if ((e.flags & MapFlags.NEEDSCOPY) != 0) {
            if (!lazy) {
                needscopyNonLazy = true;
            } else {
                attr &= ~Attr.WRITE;
            }
        }
        Pmap pmap = map.pmap;
        for (long cur = from; cur < e.vaddr + e.size; cur += map.pageSize) {
            if (!needscopyNonLazy) {
                PhysAddr pa = pmap.resolve(VirtAddr.of(cur));
                if (!pa.isNone() && pmap.enter(pa, VirtAddr.of(cur), attr, Frame.NONE) != Pmap.EnterResult.OK) {
                    return Errno.EFAULT;
                }
            } else {
                int r = MapForce.force(map, e, cur, prot);
                if (r != Errno.EOK) {
                    return r;
                }
            }
        }
        return Errno.EOK;
    }

    /** Whether {@code e}, which follows {@code prev} directly, can become part of it. */
    private static boolean mergeable(VmMap map, MapEntry prev, MapEntry e) {
        if (prev.protOrig != e.protOrig || prev.object != e.object || prev.flags != e.flags) {
            return false;
        }
        if (prev.vaddr + prev.size != e.vaddr || prev.amap != e.amap) {
            return false;
        }
        if (prev.amap != null && e.aoffs != prev.aoffs + prev.size) {
            return false;
        }
        if ((prev.offs == MapEntry.OFFS_MAX) != (e.offs == MapEntry.OFFS_MAX)
                || (prev.offs != MapEntry.OFFS_MAX && e.offs != prev.offs + prev.size)) {
            return false;
        }
        return map.maps.model().mayMerge(prev.owner, e.owner);
    }
}
