package pvm.hal.pmap;

/**
 * One address space's hardware mapping: Phoenix's {@code pmap_t} and the {@code pmap_*} calls that
 * take one. Created by {@link Hal#create}; the kernel's own comes from {@link Hal#init}.
 *
 * <p>The HAL never calls up: when {@link #enter} needs a page-table page and none was offered it
 * says so, and the caller allocates one and calls again, as {@code _page_map} does. Implementations
 * take their own (spin)lock, as Phoenix's {@code pmap_common.lock}, and invalidate the TLBs of every
 * CPU on which this address space is loaded.
 */
public interface Pmap {

    /** What {@link #enter} did. */
    enum EnterResult {
        /** The page is mapped (or its attributes changed). */
        OK,
        /** A page table is missing and no page was offered for it ({@code -EFAULT} in Phoenix). */
        NEEDS_PTABLE
    }

    /**
     * {@code pmap_enter}: maps the page at {@code pa} at {@code va} with {@link Attr} bits
     * {@code attr}, or changes the attributes of an existing mapping.
     *
     * @param ptable a page the caller allocated that the HAL may use as a page table if one is
     *     missing, or {@link Frame#NONE}; the HAL zeroes it before use
     */
    EnterResult enter(PhysAddr pa, VirtAddr va, int attr, Frame ptable);

    /** {@code pmap_remove}: unmaps {@code [start, end)}; pages with no mapping are skipped. */
    void remove(VirtAddr start, VirtAddr end);

    /**
     * {@code pmap_resolve}: the physical address {@code va} is mapped to, or {@link PhysAddr#NONE}.
     * Unlike Phoenix, which returns the raw entry, the attribute bits are not part of the answer;
     * {@link #attributes} gives them.
     */
    PhysAddr resolve(VirtAddr va);

    /** The {@link Attr} bits of the mapping at {@code va}, or 0 when nothing is mapped there. */
    int attributes(VirtAddr va);

    /**
     * The first page in {@code [from, to)} that {@link #resolve} would map, or {@code to} when none
     * is. Walks only the tables that exist, so a checker can prove a gigabyte-wide gap empty without
     * asking about each page. Phoenix has no such call. Without page tables (no-MMU) nothing is
     * mapped: the answer is always {@code to}.
     */
    VirtAddr nextMapped(VirtAddr from, VirtAddr to);

    /**
     * {@code pmap_destroy}: one step of tearing down this address space. Each call hands back the
     * physical address of one page-table page the caller must free, and {@link PhysAddr#NONE} when
     * there are no more. The cursor keeps the position between calls, as Phoenix's {@code *i}.
     */
    PhysAddr destroy(DestroyCursor cursor);

    /**
     * Hands back one page-table page that no longer maps anything and covers addresses in
     * {@code [start, end)}, unhooked from the table above it, or {@link PhysAddr#NONE} when there is
     * none; the caller frees it and calls again, as with {@link #destroy}. Phoenix never frees a
     * user page table before {@code pmap_destroy}; the heap's {@code brk} uses this when it shrinks
     * (the hobby kernel's {@code Heap_ProcessBrk} frees the tables it empties). Targets without
     * page tables have none to give.
     */
    default PhysAddr reclaim(VirtAddr start, VirtAddr end) {
        return PhysAddr.NONE;
    }

    /** {@code pmap_switch}: loads this address space into {@code cpu}'s MMU (CR3 / MPU regions). */
    void switchTo(Mmu cpu);

    /** {@code pmap_belongs}: whether {@code va} lies in this address space's range. */
    boolean belongs(VirtAddr va);

    /**
     * {@code pmap_isAllowed}: whether this address space may touch {@code [va, va+size)}. Always
     * true with an MMU (translation protects); on no-MMU, whether an enabled region covers it.
     */
    boolean isAllowed(VirtAddr va, Size size);

    /**
     * {@code pmap_addMap}: enables the named memory map {@code mapId} for this address space
     * (no-MMU). Returns false where the map does not exist or the target has no such maps.
     */
    boolean addMap(int mapId);

    /** The first address of this address space ({@code pmap->start}). */
    VirtAddr start();

    /** One past the last address of this address space ({@code pmap->end}). */
    VirtAddr end();

    /** The physical address of the top-level table (CR3 on i686), or {@link PhysAddr#NONE}. */
    PhysAddr root();

    /** The position of a {@link #destroy} iteration: Phoenix's {@code unsigned int i}. */
    final class DestroyCursor {
        public int position;
    }
}
