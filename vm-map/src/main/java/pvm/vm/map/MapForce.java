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

        int p;
        if (e.amap == null) {
            p = pager.objectPage(map, e.object, paddr, eoffs);
        } else {
            p = pager.amapPage(map, e.amap, e.object, new PageAt(paddr, e.aoffs + offs, eoffs), pageProt(map, e, offs, prot));
        }
        if (p < 0 && p != Pager.NO_PAGE) {
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
            return Errno.ENOMEM;
        }
        return Errno.EOK;
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
