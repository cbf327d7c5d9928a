package pvm.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * A page table as a hash map from virtual page to physical page and attributes: enough for the
 * layers above the mapper. Concurrent, as a real page table in RAM is: one CPU may resolve an
 * address of the kernel's space while another maps a page elsewhere in it (vm-object's concurrent
 * fault test does exactly that).
 */
public final class FakePmap implements Pmap {

    private final long start;
    private final long end;
    private final int pageSize;
    private final Map<Long, long[]> pages = new ConcurrentHashMap<>();

    public FakePmap(long start, long end, int pageSize) {
        this.start = start;
        this.end = end;
        this.pageSize = pageSize;
    }

    @Override
    public EnterResult enter(PhysAddr pa, VirtAddr va, int attr, Frame ptable) {
        long page = va.value() & -pageSize;
        if ((attr & Attr.PRESENT) == 0) {
            pages.remove(page);
        } else {
            pages.put(page, new long[] {pa.value() & -pageSize, attr});
        }
        return EnterResult.OK;
    }

    @Override
    public void remove(VirtAddr from, VirtAddr to) {
        for (long va = from.value() & -pageSize; va < to.value(); va += pageSize) {
            pages.remove(va);
        }
    }

    @Override
    public PhysAddr resolve(VirtAddr va) {
        long[] e = pages.get(va.value() & -pageSize);
        return e == null ? PhysAddr.NONE : PhysAddr.of(e[0] + (va.value() & (pageSize - 1)));
    }

    @Override
    public int attributes(VirtAddr va) {
        long[] e = pages.get(va.value() & -pageSize);
        return e == null ? 0 : (int) e[1];
    }

    @Override
    public PhysAddr destroy(DestroyCursor cursor) {
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
        return PhysAddr.NONE;
    }
}
