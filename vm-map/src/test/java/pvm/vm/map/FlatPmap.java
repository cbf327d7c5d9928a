package pvm.vm.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * A two-level address space in miniature: one "page table" per 4 MiB slot, which exists only once
 * the caller offered a page for it (as the ia32 {@code pmap_enter}), and the page entries in a
 * sorted map. A process pmap shares the kernel's entries above {@link FlatHal#VADDR_KERNEL}. On a
 * target without MMU nothing is mapped and every address resolves to itself.
 */
final class FlatPmap implements Pmap {

    record Pte(long pa, int attr) {
    }

    static final int SLOT_SHIFT = 22;

    private final FlatHal hal;
    private final FlatPmap kernel;
    private final long start;
    private final long end;
    private final long root;
    /** slot -> frame of its page table ({@code -1}: there from the start) */
    final NavigableMap<Long, Integer> tables = new TreeMap<>();
    final NavigableMap<Long, Pte> ptes = new TreeMap<>();
    int enters;

    FlatPmap(FlatHal hal, FlatPmap kernel, long start, long end, long root) {
        this.hal = hal;
        this.kernel = kernel;
        this.start = start;
        this.end = end;
        this.root = root;
    }

    private FlatPmap owner(long va) {
        return kernel != null && va >= FlatHal.VADDR_KERNEL ? kernel : this;
    }

    boolean ensure(long va, Frame ptable) {
        long slot = va >>> SLOT_SHIFT;
        if (tables.containsKey(slot)) {
            return true;
        }
        if (ptable.isNone()) {
            return false;
        }
        if (hal.frames().isFree(ptable.index())) {
            throw new IllegalStateException("offered a free frame as a page table");
        }
        tables.put(slot, ptable.index());
        return true;
    }

    @Override
    public synchronized EnterResult enter(PhysAddr pa, VirtAddr va, int attr, Frame ptable) {
        if (!hal.mmu) {
            return EnterResult.OK;
        }
        if (pa.isNone() || (va.value() & (hal.pageSize() - 1)) != 0) {
            throw new IllegalArgumentException("bad enter " + pa + " at " + va);
        }
        FlatPmap p = owner(va.value());
        if (!p.ensure(va.value(), ptable)) {
            return EnterResult.NEEDS_PTABLE;
        }
        p.ptes.put(va.value(), new Pte(pa.value() & -hal.pageSize(), attr));
        enters++;
        return EnterResult.OK;
    }

    @Override
    public synchronized void remove(VirtAddr from, VirtAddr to) {
        if (!hal.mmu) {
            return;
        }
        owner(from.value()).ptes.subMap(from.value(), true, to.value(), false).clear();
    }

    @Override
    public synchronized PhysAddr resolve(VirtAddr va) {
        if (!hal.mmu) {
            return PhysAddr.of(va.value());
        }
        long page = va.value() & -hal.pageSize();
        Pte pte = owner(page).ptes.get(page);
        if (pte == null || (pte.attr & Attr.PRESENT) == 0) {
            return PhysAddr.NONE;
        }
        return PhysAddr.of(pte.pa + (va.value() - page));
    }

    @Override
    public synchronized int attributes(VirtAddr va) {
        if (!hal.mmu) {
            return Attr.PRESENT | Attr.WRITE | Attr.USER | Attr.EXEC;
        }
        long page = va.value() & -hal.pageSize();
        Pte pte = owner(page).ptes.get(page);
        return pte == null ? 0 : pte.attr;
    }

    /** The page tables of the process half, one per call (the kernel half is shared and stays). */
    @Override
    public synchronized PhysAddr destroy(DestroyCursor cursor) {
        List<Map.Entry<Long, Integer>> user = new ArrayList<>(tables.headMap(FlatHal.VADDR_KERNEL >>> SLOT_SHIFT, false).entrySet());
        while (cursor.position < user.size()) {
            int f = user.get(cursor.position++).getValue();
            if (f >= 0) {
                return PhysAddr.of(hal.frames().addr(f));
            }
        }
        return PhysAddr.NONE;
    }

    @Override
    public void switchTo(Mmu cpu) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean belongs(VirtAddr va) {
        return va.value() >= start && va.value() < end;
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
        return VirtAddr.of(start);
    }

    @Override
    public VirtAddr end() {
        return VirtAddr.of(end);
    }

    @Override
    public PhysAddr root() {
        return root < 0 ? PhysAddr.NONE : PhysAddr.of(root);
    }

    /** Present mappings of the process half (or of the whole space for the kernel), for leak checks. */
    synchronized NavigableMap<Long, Pte> presentPtes() {
        NavigableMap<Long, Pte> out = new TreeMap<>();
        for (Map.Entry<Long, Pte> e : ptes.entrySet()) {
            if ((e.getValue().attr & Attr.PRESENT) != 0) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
