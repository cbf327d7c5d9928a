package pvm.vm.map;

import pvm.hal.pmap.VirtAddr;

/**
 * Purging volatile memory (SerenityOS's {@code AnonymousVMObject::purge}): the private pages of a
 * range go back to the page allocator and the range reads as zeros again, its entries untouched.
 * Phoenix has no purgeable memory; the kernel keeps which ranges are volatile and calls this.
 */
final class VmPurge {

    private VmPurge() {
    }

    /**
     * Frees every page of {@code [vaddr, vaddr+size)} that an entry of anonymous memory holds alone
     * (its amap slot is the only reference to the anon): the page is unmapped first, then its anon
     * dropped and the slot emptied, so the next touch faults in a zero page as if it had never been
     * written. Pages shared copy-on-write with another process, or not faulted in, are left alone:
     * purging them would free nothing. The map's lock is held.
     *
     * @return the number of pages freed
     */
    static long purge(VmMap map, long vaddr, long size) {
        Pager pager = map.maps.pager();
        int ps = map.pageSize;
        long freed = 0;
        for (long va = vaddr; va < vaddr + size; va += ps) {
            MapEntry e = map.tree.find(va, ps);
            if (e == null || e.object != null || e.amap == null) {
                continue;
            }
            long aoffs = e.aoffs + (va - e.vaddr);
            if (!e.amap.soleAnon(aoffs)) {
                continue;
            }
            map.pmap.remove(VirtAddr.of(va), VirtAddr.of(va + ps));
            pager.amapPutAnons(e.amap, aoffs, ps);
            pager.amapClear(e.amap, aoffs, ps);
            freed++;
        }
        return freed;
    }
}
