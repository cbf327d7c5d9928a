package pvm.vm.page;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * A two-level address space in miniature for tests: one page table per 4 MiB slot, created only
 * from a page the caller offers, as the ia32 {@code pmap_enter} does. It records every mapping made.
 */
final class FakePmap implements Pmap {

    record Entry(long va, long pa, int attr) {
    }

    static final int SLOT_SHIFT = 22;

    /** slot number -> frame index of its page table (-1 for slots present from the start) */
    final Map<Long, Integer> tables = new HashMap<>();
    final List<Entry> entries = new ArrayList<>();
    /** frame indices handed over as page tables, in order */
    final List<Integer> ptables = new ArrayList<>();

    /** Marks the slots of {@code [from, to)} as having tables already. */
    FakePmap present(long from, long to) {
        for (long s = from >>> SLOT_SHIFT; s <= (to - 1) >>> SLOT_SHIFT; s++) {
            tables.put(s, -1);
        }
        return this;
    }

    /** Installs a table for {@code va}'s slot from {@code ptable}; false when none is offered and one is missing. */
    boolean ensure(long va, Frame ptable) {
        long slot = va >>> SLOT_SHIFT;
        if (tables.containsKey(slot)) {
            return true;
        }
        if (ptable.isNone()) {
            return false;
        }
        tables.put(slot, ptable.index());
        ptables.add(ptable.index());
        return true;
    }

    @Override
    public EnterResult enter(PhysAddr pa, VirtAddr va, int attr, Frame ptable) {
        if (!ensure(va.value(), ptable)) {
            return EnterResult.NEEDS_PTABLE;
        }
        entries.add(new Entry(va.value(), pa.value(), attr));
        return EnterResult.OK;
    }

    @Override
    public void remove(VirtAddr start, VirtAddr end) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PhysAddr resolve(VirtAddr va) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int attributes(VirtAddr va) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PhysAddr destroy(DestroyCursor cursor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void switchTo(Mmu cpu) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean belongs(VirtAddr va) {
        return true;
    }

    @Override
    public boolean isAllowed(VirtAddr va, Size size) {
        return true;
    }

    @Override
    public boolean addMap(int mapId) {
        return false;
    }

    @Override
    public VirtAddr start() {
        return VirtAddr.NULL;
    }

    @Override
    public VirtAddr end() {
        return VirtAddr.of(0xffff_f000L);
    }

    @Override
    public PhysAddr root() {
        return PhysAddr.NONE;
    }
}
