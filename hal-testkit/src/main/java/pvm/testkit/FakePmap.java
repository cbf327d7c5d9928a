package pvm.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * A two-level address space in miniature: one "page table" per 4 MiB slot and the page entries in
 * a sorted map. When the board's page tables cost pages ({@link FakeBoard#tablesCostPages}), a slot's
 * table exists only once the caller offered a page for it, as the ia32 {@code pmap_enter}. A process
 * pmap shares the kernel's entries above {@link FakeHal#VADDR_KERNEL}. Without an MMU nothing is
 * mapped and every address resolves to itself. Concurrent, as a real page table in RAM is: one CPU
 * may resolve a kernel address while another maps a page elsewhere (vm-object's concurrent fault test).
 */
public final class FakePmap implements Pmap {

    /** A page entry: the physical page and the attributes it was entered with. */
    public record Pte(long pa, int attr) {
    }

    /** One call of {@link #enter} that mapped a page, in order. */
    public record Entry(long va, long pa, int attr) {
    }

    public static final int SLOT_SHIFT = 22;

    private final FakeHal hal;
    /** Whether pages are mapped at all: not without an MMU. */
    private final boolean paged;
    private final FakePmap kernel;
    private final long start;
    private final long end;
    private final long root;
    /** slot -> frame of its page table ({@code -1}: there from the start) */
    public final NavigableMap<Long, Integer> tables = new ConcurrentSkipListMap<>();
    public final NavigableMap<Long, Pte> ptes = new ConcurrentSkipListMap<>();
    /** Every mapping made, in order. */
    public final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());
    /** Frames handed over as page tables, in order. */
    public final List<Integer> ptables = Collections.synchronizedList(new ArrayList<>());

    FakePmap(FakeHal hal, boolean paged, FakePmap kernel, long start, long end, long root) {
        this.hal = hal;
        this.paged = paged;
        this.kernel = kernel;
        this.start = start;
        this.end = end;
        this.root = root;
    }

    /** Marks the slots of {@code [from, to)} as having tables already. */
    public FakePmap present(long from, long to) {
        for (long s = from >>> SLOT_SHIFT; s <= (to - 1) >>> SLOT_SHIFT; s++) {
            tables.put(s, -1);
        }
        return this;
    }

    private FakePmap owner(long va) {
        return kernel != null && va >= FakeHal.VADDR_KERNEL ? kernel : this;
    }

    /** Installs a table for {@code va}'s slot from {@code ptable}; false when none is offered and one is missing. */
    synchronized boolean ensure(long va, Frame ptable) {
        long slot = va >>> SLOT_SHIFT;
        if (!hal.board().tablesCostPages() || tables.containsKey(slot)) {
            return true;
        }
        if (ptable.isNone()) {
            return false;
        }
        if (hal.frames().isFree(ptable.index())) {
            throw new IllegalStateException("offered a free frame as a page table");
        }
        tables.put(slot, ptable.index());
        ptables.add(ptable.index());
        return true;
    }

    boolean holdsTable(int frame) {
        return tables.containsValue(frame);
    }

    @Override
    public EnterResult enter(PhysAddr pa, VirtAddr va, int attr, Frame ptable) {
        if (!paged) {
            return EnterResult.OK;
        }
        if (pa.isNone() || (va.value() & (hal.pageSize() - 1)) != 0) {
            throw new IllegalArgumentException("bad enter " + pa + " at " + va);
        }
        FakePmap p = owner(va.value());
        synchronized (p) {
            if (!p.ensure(va.value(), ptable)) {
                return EnterResult.NEEDS_PTABLE;
            }
            p.ptes.put(va.value(), new Pte(pa.value() & -hal.pageSize(), attr));
            entries.add(new Entry(va.value(), pa.value(), attr));
        }
        return EnterResult.OK;
    }

    @Override
    public void remove(VirtAddr from, VirtAddr to) {
        if (paged) {
            owner(from.value()).ptes.subMap(from.value(), true, to.value(), false).clear();
        }
    }

    @Override
    public PhysAddr resolve(VirtAddr va) {
        if (!paged) {
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
    public VirtAddr nextMapped(VirtAddr from, VirtAddr to) {
        if (paged && from.value() < to.value()) {
            for (var e : owner(from.value()).ptes.subMap(from.value() & -hal.pageSize(), true, to.value(), false).entrySet()) {
                if ((e.getValue().attr & Attr.PRESENT) != 0) {
                    return VirtAddr.of(e.getKey());
                }
            }
        }
        return to;
    }

    @Override
    public int attributes(VirtAddr va) {
        if (!paged) {
            return Attr.PRESENT | Attr.WRITE | Attr.USER | Attr.EXEC;
        }
        long page = va.value() & -hal.pageSize();
        Pte pte = owner(page).ptes.get(page);
        return pte == null ? 0 : pte.attr;
    }

    /** The page tables of the process half, one per call (the kernel half is shared and stays). */
    @Override
    public synchronized PhysAddr destroy(DestroyCursor cursor) {
        List<Map.Entry<Long, Integer>> user = new ArrayList<>(tables.headMap(FakeHal.VADDR_KERNEL >>> SLOT_SHIFT, false).entrySet());
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
    public NavigableMap<Long, Pte> presentPtes() {
        NavigableMap<Long, Pte> out = new TreeMap<>();
        for (Map.Entry<Long, Pte> e : ptes.entrySet()) {
            if ((e.getValue().attr & Attr.PRESENT) != 0) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
