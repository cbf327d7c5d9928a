package pvm.vm.map;

import pvm.hal.pmap.Errno;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;

/** {@code _vm_mmap}: a mapping, recorded and (unless lazy) populated. */
final class VmMmap {

    private static final int KNOWN_PROT = Prot.READ | Prot.WRITE | Prot.EXEC | Prot.USER;

    private VmMmap() {
    }

    /**
     * What is wrong with the arguments, in words, or null. Phoenix answers {@code NULL} for all of
     * these (a zero or misaligned size, a misaligned offset); here they are {@code EINVAL} with a
     * reason. Also refused: unknown prot bits, flags outside the flag byte,
     * {@code MAP_NEEDSCOPY} for anonymous memory (where it is the kernel's own marker; with an
     * object it asks for a private, copy-on-write mapping, as Phoenix's ELF loader does for writable
     * segments), a fixed address off a page boundary, and a frame that is not in the page-frame table.
     */
    static String check(VmMap map, long vaddr, int frame, long size, int prot, MemObject o, long offs, int flags) {
        int ps = map.pageSize;
        if (size == 0 || !Sizes.isAligned(size, ps)) {
            return "size " + size + " is not a positive multiple of the page size " + ps;
        }
        if (offs != MapEntry.OFFS_MAX && (offs < 0 || !Sizes.isAligned(offs, ps))) {
            return String.format("offset 0x%x is not a multiple of the page size", offs);
        }
        if ((prot & ~KNOWN_PROT) != 0) {
            return String.format("unknown prot bits 0x%x", prot & ~KNOWN_PROT);
        }
        if ((flags & ~0xff) != 0 || ((flags & MapFlags.NEEDSCOPY) != 0 && o == null)) {
            return String.format("bad flags 0x%x", flags);
        }
        if ((flags & MapFlags.FIXED) != 0 && !Sizes.isAligned(vaddr, ps)) {
            return String.format("fixed address 0x%x is not page-aligned", vaddr);
        }
        if (frame != PageFrames.NONE && (frame < 0 || frame >= map.maps.pages().frames().count())) {
            return "no frame " + frame;
        }
        return null;
    }

    /**
     * The address, or a negative errno; nothing changed on failure (but see {@link VmMap#mmap} for
     * a fixed mapping).
     */
    static long mmap(VmMap map, long vaddr, int frame, long size, int prot, MemObject o, long offs, int flags, MapOwner owner) {
        if (map.destroyed || check(map, vaddr, frame, size, prot, o, offs, flags) != null) {
            return Errno.EINVAL;
        }
        MapEntryPool pool = map.maps.pool();
        int ps = map.pageSize;
        boolean fixed = (flags & MapFlags.FIXED) != 0;
        MapEntry spare = null;

        if (frame != PageFrames.NONE) {
            // A block is mapped whole: Phoenix takes the size from the page (1 << p->idx), after
            // unmapping a fixed range of the size asked for; here before, so the range unmapped is
            // the range mapped.
            int idx = map.maps.pages().frames().idx(frame);
            if (idx > 0) {
                size = Sizes.alignUp(1L << idx, ps);
            }
        }

        if (fixed) {
            if (vaddr < map.start || vaddr > map.stop - size) {
                return Errno.ENOMEM;
            }
            // An entry kept for the new mapping, so that once the old one is gone the new one
            // cannot fail for want of an entry. With the pool empty, a range that holds a whole
            // entry needs none: the unmap frees that entry without splitting anything (a split is
            // only needed for a range strictly inside one entry), and the mapping takes it, as on
            // Phoenix, which unmaps first and then maps.
            spare = pool.alloc();
            if (spare == null && !holdsWholeEntry(map, vaddr, size)) {
                return Errno.ENOMEM;
            }
            // Another process's entries are not the caller's to map over (no-MMU, NommuIsolation).
            int r = VmMunmap.munmap(map, vaddr, size, null, owner);
            if (r < 0) {
                VmMunmap.release(pool, spare);
                return r;
            }
        } else {
            vaddr = Sizes.alignUp(vaddr, ps);
        }

        long v = map.mapLocked(vaddr, owner, size, prot, o, offs, flags, spare);
        if (v < 0) {
            return v;
        }
        MapEntry e = map.lastEntry;
        if (fixed && v != vaddr && e != null) {
            throw new IllegalStateException(String.format("fixed mapping at 0x%x placed at 0x%x", vaddr, v));
        }
        if (e == null) {
            // No-MMU PHYSMEM: the physical address itself, no entry and nothing to map.
            return v;
        }

        if (frame != PageFrames.NONE) {
            int attr = MapAttr.protToAttr(prot) | MapAttr.flagsToAttr(flags);
            long pa = map.maps.pages().frames().addr(frame);
            for (long w = v; w < v + size; w += ps, pa += ps) {
                if (map.maps.pages().map(map.pmap, VirtAddr.of(w), PhysAddr.of(pa), attr).isLeft()) {
                    // Phoenix ignores page_map's result; a page left unmapped would fault forever.
                    undo(map, e, v, size);
                    return Errno.ENOMEM;
                }
            }
            return v;
        }

        if (MapOwner.isLazy(owner)) {
            return v;
        }

        for (long w = v; w < v + size; w += ps) {
            int r = MapForce.force(map, e, w, prot);
            if (r != Errno.EOK) {
                undo(map, e, v, size);
                return r;
            }
        }
        return v;
    }

    /** Whether an entry of {@code map} lies wholly inside {@code [vaddr, vaddr+size)}. */
    private static boolean holdsWholeEntry(VmMap map, long vaddr, long size) {
        for (MapEntry e = map.tree.firstOverlapping(vaddr, size); e != null && e.vaddr < vaddr + size; e = MapEntryTree.next(e)) {
            if (e.vaddr >= vaddr && e.vaddr + e.size <= vaddr + size) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unmaps a mapping just made. When it joined the entries on both sides, unmapping it splits that
     * entry again; the entry the join gave back is normally still free, but an entry is taken now
     * for certain.
     */
    private static void undo(VmMap map, MapEntry e, long v, long size) {
        MapEntry spare = null;
        if (e.vaddr < v && e.vaddr + e.size > v + size) {
            spare = map.maps.pool().alloc();
        }
        int r = VmMunmap.munmap(map, v, size, spare, null);
        if (r != Errno.EOK) {
            throw new IllegalStateException("cannot unmap a failed mapping at 0x" + Long.toHexString(v) + ": " + Errno.name(r));
        }
    }
}
