package pvm.arch.i686;

import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.VirtAddr;

/**
 * A booted i686 machine for tests: discovery has filled the frame table (as {@code _page_init}
 * does), {@code _pmap_init} has run, and a trivial allocator hands out free frames in address
 * order. No page allocator from the layers above is involved.
 */
final class TestMachine {

    final I686Hal hal;
    final PmapInit init;
    private int cursor;

    TestMachine(long ram, int cpus) {
        hal = new I686Hal(new I686Architecture(), new MachineConfig(ram, cpus));
        discover(hal);
        init = hal.init();
    }

    TestMachine() {
        this(128L << 20, 2);
    }

    /** Every discovered page into the frame table; returns the number of {@link Hal#Errno.EINVAL}s. */
    static int discover(I686Hal hal) {
        PageProbe probe = new PageProbe();
        int skips = 0;
        int rc;
        while ((rc = hal.getPage(probe)) != Errno.ENOMEM) {
            if (rc == Errno.EOK) {
                hal.frames().add(probe.pageAddr, probe.pageFlags);
            } else {
                skips++;
            }
        }
        return skips;
    }

    PhysicalMemory memory() {
        return hal.memory();
    }

    PageFrames frames() {
        return hal.frames();
    }

    I686Pmap kernel() {
        return (I686Pmap) init.kernel();
    }

    I686Mmu cpu(int i) {
        return (I686Mmu) hal.mmu(i);
    }

    /** The next free frame, marked with {@code flags}. */
    Frame alloc(int flags) {
        PageFrames f = hal.frames();
        while (!f.isFree(cursor)) {
            cursor++;
        }
        f.setFlags(cursor, flags);
        return new Frame(cursor++);
    }

    long addr(Frame frame) {
        return hal.frames().addr(frame.index());
    }

    /** A fresh physical page for data. */
    long page() {
        return addr(alloc(PageFlags.OWNER_APP));
    }

    I686Pmap user() {
        return (I686Pmap) hal.create(kernel(), alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PMAP));
    }

    /** Enters a mapping as {@code _page_map} does: offer a page table only when asked for one. */
    void map(Pmap pmap, long va, long pa, int attr) {
        if (pmap.enter(PhysAddr.of(pa), VirtAddr.of(va), attr, Frame.NONE) == Pmap.EnterResult.NEEDS_PTABLE) {
            Frame table = alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
            if (pmap.enter(PhysAddr.of(pa), VirtAddr.of(va), attr, table) != Pmap.EnterResult.OK) {
                throw new AssertionError("enter failed with a page table offered");
            }
        }
    }

    /** The raw PDE of {@code va} in {@code pmap}, read from RAM. */
    long pde(Pmap pmap, long va) {
        return memory().read32(pmap.root().value() + (long) Paging.pdi(va) * 4);
    }

    /** The raw PTE of {@code va} in {@code pmap}, read from RAM (the page table must exist). */
    long pte(Pmap pmap, long va) {
        long pde = pde(pmap, va);
        if ((pde & Paging.P) == 0) {
            throw new AssertionError(String.format("no page table for 0x%08x", va));
        }
        return memory().read32((pde & Paging.FRAME_MASK) + (long) Paging.pti(va) * 4);
    }
}
