package pvm.arch.riscv64;

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
 * A booted riscv64 {@code virt} machine for tests: discovery has filled the frame table (as
 * {@code _page_init} does), {@code _pmap_init} has run, and a trivial allocator hands out free
 * frames in address order (or from the top, to reach physical addresses above 4 GiB). No page
 * allocator from the layers above is involved.
 */
final class TestMachine {

    final Riscv64Hal hal;
    final PmapInit init;
    private int cursor;
    private int topCursor;

    TestMachine(long ram, int cpus) {
        this(new MachineConfig(ram, cpus));
    }

    TestMachine(MachineConfig config) {
        hal = new Riscv64Hal(new Riscv64Architecture(), config);
        discover(hal);
        init = hal.init();
        topCursor = hal.frames().count() - 1;
    }

    TestMachine() {
        this(128L << 20, 2);
    }

    /** Every discovered page into the frame table; returns the number of {@link Hal#PAGE_SKIP}s. */
    static int discover(Riscv64Hal hal) {
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

    Riscv64Pmap kernel() {
        return (Riscv64Pmap) init.kernel();
    }

    Riscv64Mmu cpu(int i) {
        return (Riscv64Mmu) hal.mmu(i);
    }

    /** The next free frame from the bottom, marked with {@code flags}. */
    Frame alloc(int flags) {
        PageFrames f = hal.frames();
        while (!f.isFree(cursor)) {
            cursor++;
        }
        f.setFlags(cursor, flags);
        return new Frame(cursor++);
    }

    /** The next free frame from the top of RAM, marked with {@code flags}. */
    Frame allocHigh(int flags) {
        PageFrames f = hal.frames();
        while (!f.isFree(topCursor)) {
            topCursor--;
        }
        f.setFlags(topCursor, flags);
        return new Frame(topCursor--);
    }

    long addr(Frame frame) {
        return hal.frames().addr(frame.index());
    }

    /** A fresh physical page for data. */
    long page() {
        return addr(alloc(PageFlags.OWNER_APP));
    }

    Riscv64Pmap user() {
        return (Riscv64Pmap) hal.create(kernel(), alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PMAP));
    }

    /**
     * Enters a mapping as {@code _page_map} does: offer a page table only when asked for one, as
     * often as asked. Returns the number of tables it took.
     */
    int map(Pmap pmap, long va, long pa, int attr) {
        int tables = 0;
        Frame offered = Frame.NONE;
        while (pmap.enter(PhysAddr.of(pa), VirtAddr.of(va), attr, offered) == Pmap.EnterResult.NEEDS_PTABLE) {
            if (tables++ > 2) {
                throw new AssertionError("enter asked for more than two tables");
            }
            offered = alloc(PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
        }
        return tables;
    }

    /** The raw entry of {@code level} on the way to {@code va} in {@code pmap}, read from RAM. */
    long entry(Pmap pmap, long va, int level) {
        long table = pmap.root().value();
        for (int l = Sv39.LEVELS - 1; l > level; l--) {
            long e = memory().read64(table + (long) Sv39.index(va, l) * 8);
            if (!Sv39.isTable(e)) {
                throw new AssertionError(String.format("no level-%d table for 0x%x", l - 1, va));
            }
            table = Sv39.addr(e);
        }
        return memory().read64(table + (long) Sv39.index(va, level) * 8);
    }

    /** The leaf (level 0) of {@code va}. */
    long pte(Pmap pmap, long va) {
        return entry(pmap, va, 0);
    }
}
