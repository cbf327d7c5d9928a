package pvm.vm.map;

import pvm.hal.pmap.Errno;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VirtAddr;

/** {@code _map_force}: makes one page of an entry present, as a fault does. */
final class MapForce {

    private MapForce() {
    }

    /**
     * Checks the access against the entry's protection ({@code -EINVAL} beyond it), gives the
     * entry an amap of its own first when a write meets {@code MAP_NEEDSCOPY} or anonymous memory
     * has none yet, asks the pager for the page (through the amap when there is one), and maps it.
     *
     * <p>One difference from Phoenix (UVM does the same): anonymous memory marked
     * {@code MAP_NEEDSCOPY} gets its own amap on a read fault too. Phoenix copies the amap only on
     * a write, so a read of a page neither side has touched since a fork puts a fresh anon into
     * the amap both processes share, with one reference for two users: a later write by either
     * side then goes to the page the other one maps, and an unmap by either frees it under the
     * other.
     *
     * <p>The page is mapped with the attributes of the access's {@code prot}, not the entry's: a
     * read of a writable private page maps it read-only, and the first write faults again. That
     * second fault is where copy-on-write happens.
     *
     * @param paddr the page's virtual address (Phoenix's parameter name), page-aligned, inside e
     * @return 0 or a negative errno
     */
    static int force(VmMap map, MapEntry e, long paddr, int prot) {
        if (MapAttr.checkProt(e.prot, prot) != 0) {
            return Errno.EINVAL;
        }
        Pager pager = map.maps.pager();
        boolean needsCopy = (e.flags & MapFlags.NEEDSCOPY) != 0;
        Undo undo = new Undo(e);
        if (((prot & Prot.WRITE) != 0 && needsCopy) || (e.object == null && (e.amap == null || needsCopy))) {
            AnonMap amapNew = pager.amapCreate(e.amap, e, e.size);
            if (amapNew == null) {
                return Errno.ENOMEM;
            }
            e.amap = amapNew;
            e.flags &= ~MapFlags.NEEDSCOPY;
        }

        long offs = paddr - e.vaddr;
        long eoffs = e.offs == MapEntry.OFFS_MAX ? MapEntry.OFFS_MAX : e.offs + offs;
        long aoffs = e.aoffs + offs;
        boolean slotWasEmpty = e.amap != null && e.amap.anonCount((int) (aoffs / map.maps.pageSize()), 1) == 0;

        int p;
        if (e.amap == null) {
            p = pager.objectPage(map, e.object, paddr, eoffs);
        } else {
            p = pager.amapPage(map, e.amap, e.object, new PageAt(paddr, aoffs, eoffs), pageProt(map, e, offs, prot));
        }
        if (p < 0 && p != Pager.NO_PAGE) {
            undo.amap(-1);
            return p;
        }

        int attr = MapAttr.protToAttr(prot) | MapAttr.flagsToAttr(e.flags);
        long pa;
        if (p == Pager.NO_PAGE) {
            if (e.object != MemObject.PHYSMEM) {
                return Errno.ENOMEM;
            }
            pa = eoffs;
        } else {
            pa = map.maps.pages().frames().addr(p);
        }
        if (map.maps.pages().map(map.pmap, VirtAddr.of(paddr), PhysAddr.of(pa), attr).isLeft()) {
            if (!undo.amap(offs) && slotWasEmpty && e.amap != null) {
                // The anon this fault put into an amap the entry had already: it goes too.
                e.amap.putAnons(aoffs, map.maps.pageSize());
                e.amap.clear(aoffs, map.maps.pageSize());
            }
            return Errno.ENOMEM;
        }
        return Errno.EOK;
    }

    /**
     * What a failed fault gives back, so that it leaves the entry as it found it (an improvement on
     * Phoenix, whose {@code _map_force} keeps an amap it made for a fault that then failed): the
     * amap the fault made, and the flags and {@code aoffs} it changed.
     */
    private static final class Undo {
        private final MapEntry e;
        private final AnonMap amap;
        private final int flags;
        private final long aoffs;

        Undo(MapEntry e) {
            this.e = e;
            this.amap = e.amap;
            this.flags = e.flags;
            this.aoffs = e.aoffs;
        }

        /**
         * Gives back the amap this fault made, if it made one: a fresh amap with every anon put in
         * it; or a copy of a shared one, whose anons' references go back to the old amap with the
         * entry's, after the anon a copy-on-write put at {@code offs} (-1: the fault got no page)
         * is freed and the shared one it replaced has its reference back. True when the entry is as
         * it was.
         */
        boolean amap(long offs) {
            AnonMap made = e.amap;
            if (made == amap) {
                return false;
            }
            if (amap == null) {
                made.putAnons(0, e.size);
                made.put();
            } else {
                int pageSize = e.map.maps.pageSize();
                long oldOffs = aoffs + offs;
                if (offs >= 0 && made.frameAt((int) (offs / pageSize)) != amap.frameAt((int) (oldOffs / pageSize))) {
                    made.putAnons(offs, pageSize);
                    amap.getAnons(oldOffs, pageSize);
                }
                made.clear(0, e.size);
                made.put();
                amap.ref();
            }
            e.amap = amap;
            e.flags = flags;
            e.aoffs = aoffs;
            return true;
        }
    }

    /**
     * The access {@code amap_page} is asked for. Device memory is not copied on write (Phoenix's
     * {@code vm_mapCopy} leaves {@code MAP_DEVICE} entries unmarked so that a fork shares them): a
     * page a device entry already has is asked for as a read, so {@code amap_page} hands out the
     * page itself even when a fork shares its anon, and the write goes to the page both processes
     * see. An empty slot is asked for as the access is, so a write to a private file page still
     * copies it into the amap. See {@link VmMapCopy#copy}.
     */
    private static int pageProt(VmMap map, MapEntry e, long offs, int prot) {
        if ((e.flags & MapFlags.DEVICE) != 0 && e.amap.anonCount((int) ((e.aoffs + offs) / map.pageSize), 1) == 1) {
            return prot & ~Prot.WRITE;
        }
        return prot;
    }
}
