package pvm.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.kernel.Machine;
import pvm.vm.page.PageAllocator;

/**
 * One contract for the {@code Pmap} and {@code Mmu} SPIs, run against every discovered
 * architecture. What differs between targets with and without an MMU is stated as such; everything
 * else must hold everywhere.
 */
class PmapContractTest {

    /** A user address space with one page allocated for its own use. */
    private record UserSpace(Machine machine, Pmap pmap, Frame pdir, long page, long va) {
        Hal hal() {
            return machine.hal();
        }

        PageAllocator pages() {
            return machine.pages();
        }
    }

    private static UserSpace userSpace(Architecture arch) {
        Machine machine = Machine.bootDefault(arch);
        PageAllocator pages = machine.pages();
        Frame pdir = pages.alloc(Size.of(arch.pageSize()), PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PMAP).get();
        Pmap pmap = machine.hal().create(machine.kernelPmap(), pdir);
        Frame data = pages.alloc(Size.of(arch.pageSize()), PageFlags.OWNER_APP).get();
        long page = pages.frames().addr(data.index());
        // With an MMU any user address will do; without one, virtual is physical and the map
        // holding the page must be given to the process.
        long va = arch.hasMmu() ? 0x4000_0000L : page;
        if (!arch.hasMmu()) {
            MemoryMapInfo map = machine.hal().maps().stream().filter(m -> m.contains(page)).findFirst().orElseThrow();
            assertTrue(pmap.addMap(map.id()));
        }
        return new UserSpace(machine, pmap, pdir, page, va);
    }

    /** Enters a mapping the way {@code _page_map} does: offer a page table when asked for one. */
    private static void enter(UserSpace s, long pa, long va, int attr) {
        assertTrue(s.pages().map(s.pmap(), VirtAddr.of(va), PhysAddr.of(pa), attr).isRight());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void enteredPageIsReachableFromUserMode(Architecture arch) {
        UserSpace s = userSpace(arch);
        enter(s, s.page(), s.va(), Attr.PRESENT | Attr.USER | Attr.WRITE);
        Mmu cpu = s.hal().mmu(0);
        s.pmap().switchTo(cpu);
        long pa = cpu.translate(s.va() + 8, Access.USER | Access.WRITE);
        assertEquals(s.page() + 8, pa, "translation of an entered page");
        assertEquals(PhysAddr.of(s.page()), s.pmap().resolve(VirtAddr.of(s.va())));
        s.hal().memory().write32(pa, 0xdeadbeefL);
        assertEquals(0xdeadbeefL, s.hal().memory().read32(cpu.translate(s.va() + 8, Access.USER | Access.READ)));
        // The machine knows no process of this address space: its CPUs must be back on the kernel's.
        s.machine().kernelPmap().switchTo(cpu);
        assertTrue(s.machine().verify().isEmpty(), () -> s.machine().verify().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void removedPageFaultsOnlyWithAnMmu(Architecture arch) {
        UserSpace s = userSpace(arch);
        enter(s, s.page(), s.va(), Attr.PRESENT | Attr.USER | Attr.WRITE);
        Mmu cpu = s.hal().mmu(0);
        s.pmap().switchTo(cpu);
        assertNotEquals(Mmu.FAULT, cpu.translate(s.va(), Access.USER | Access.READ));
        s.pmap().remove(VirtAddr.of(s.va()), VirtAddr.of(s.va() + arch.pageSize()));
        long after = cpu.translate(s.va(), Access.USER | Access.READ);
        if (arch.hasMmu()) {
            assertEquals(Mmu.FAULT, after, "a removed page must not be reachable, even through a cached translation");
            assertEquals(s.va(), cpu.lastFault().address());
            assertTrue(s.pmap().resolve(VirtAddr.of(s.va())).isNone());
        } else {
            assertEquals(s.va(), after, "without an MMU memory stays reachable inside an enabled map");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void readOnlyPagesRefuseUserWritesWithAnMmu(Architecture arch) {
        UserSpace s = userSpace(arch);
        enter(s, s.page(), s.va(), Attr.PRESENT | Attr.USER);
        Mmu cpu = s.hal().mmu(0);
        s.pmap().switchTo(cpu);
        assertNotEquals(Mmu.FAULT, cpu.translate(s.va(), Access.USER | Access.READ));
        long write = cpu.translate(s.va(), Access.USER | Access.WRITE);
        if (arch.hasMmu()) {
            assertEquals(Mmu.FAULT, write);
            assertTrue(cpu.lastFault().protectionViolation(), "the page was present: a protection fault");
            assertEquals(0, s.pmap().attributes(VirtAddr.of(s.va())) & Attr.WRITE);
        } else {
            assertNotEquals(Mmu.FAULT, write, "Phoenix without an MMU does not enforce protection");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void userAccessOutsideTheAddressSpaceFaults(Architecture arch) {
        UserSpace s = userSpace(arch);
        Mmu cpu = s.hal().mmu(0);
        s.pmap().switchTo(cpu);
        // With an MMU: a user address nothing was entered at. Without: a memory map the process
        // was not given (the MPU's verdict and isAllowed must agree).
        long elsewhere = arch.hasMmu() ? 0x5000_0000L : s.hal().maps().stream().map(m -> m.start())
                .filter(a -> !s.pmap().isAllowed(VirtAddr.of(a), Size.of(1))).findFirst().orElseThrow();
        assertEquals(Mmu.FAULT, cpu.translate(elsewhere, Access.USER | Access.READ));
        assertEquals(elsewhere, cpu.lastFault().address());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void destroyHandsBackEveryTableOnce(Architecture arch) {
        UserSpace s = userSpace(arch);
        int before = pageTables(s);
        enter(s, s.page(), s.va(), Attr.PRESENT | Attr.USER);
        if (arch.hasMmu()) {
            enter(s, s.page(), s.va() + (8L << 20), Attr.PRESENT | Attr.USER);
        }
        int taken = pageTables(s) - before;
        Pmap.DestroyCursor cursor = new Pmap.DestroyCursor();
        Set<Long> tables = new HashSet<>();
        for (PhysAddr t = s.pmap().destroy(cursor); !t.isNone(); t = s.pmap().destroy(cursor)) {
            assertTrue(tables.add(t.value()), "page table handed back twice: " + t);
            assertTrue(s.pages().frames().find(t.value()) >= 0, "a page table must be a discovered frame");
        }
        // Two pages 8 MiB apart need a table each at least (i686: two page tables; riscv64: a
        // level-1 table and two level-0 tables); every table the enters took comes back.
        assertTrue(arch.hasMmu() ? taken >= 2 : taken == 0, "tables taken: " + taken);
        assertEquals(taken, tables.size());
    }

    /**
     * {@code reclaim} (the heap's brk shrinking) hands back only tables that map nothing, each
     * once, and never one still holding a page; without an MMU there are none.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void reclaimHandsBackOnlyEmptyTables(Architecture arch) {
        UserSpace s = userSpace(arch);
        long far = s.va() + (8L << 20);
        int before = pageTables(s);
        enter(s, s.page(), s.va(), Attr.PRESENT | Attr.USER);
        if (arch.hasMmu()) {
            enter(s, s.page(), far, Attr.PRESENT | Attr.USER);
        }
        int taken = pageTables(s) - before;
        VirtAddr from = VirtAddr.of(s.va());
        VirtAddr to = VirtAddr.of(far + arch.pageSize());
        assertTrue(s.pmap().reclaim(from, to).isNone(), "every table still maps a page");
        s.pmap().remove(VirtAddr.of(far), VirtAddr.of(far + arch.pageSize()));
        Set<Long> tables = new HashSet<>();
        for (PhysAddr t = s.pmap().reclaim(from, to); !t.isNone(); t = s.pmap().reclaim(from, to)) {
            assertTrue(tables.add(t.value()), "page table handed back twice: " + t);
            assertEquals(0, s.pages().freeFrame(s.pages().frames().find(t.value())));
        }
        // i686 gives back far's page table; riscv64 far's level-0 table (the level-1 table still
        // holds the first page's); without an MMU nothing was taken and nothing comes back.
        assertEquals(arch.hasMmu() ? 1 : 0, tables.size());
        assertEquals(taken - tables.size(), pageTables(s) - before);
        assertFalse(s.pmap().resolve(VirtAddr.of(s.va())).isNone(), "the first page is still mapped");
    }

    /** Frames the page allocator handed out as page tables. */
    private static int pageTables(UserSpace s) {
        PageFrames frames = s.pages().frames();
        int n = 0;
        for (int f = 0; f < frames.count(); f++) {
            if (frames.flags(f) == (PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE)) {
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void discoveryWalksMemoryUpwardsAndEnds(Architecture arch) {
        Machine machine = Machine.bootDefault(arch);
        Hal hal = machine.hal();
        PageProbe probe = new PageProbe();
        long last = -1;
        int found = 0;
        int result;
        while ((result = hal.getPage(probe)) != Errno.ENOMEM) {
            if (result == Errno.EOK) {
                assertTrue(probe.pageAddr > last, "pages come in increasing address order");
                assertTrue(hal.memory().isRam(probe.pageAddr, arch.pageSize()), "a discovered page is RAM");
                last = probe.pageAddr;
                found++;
            }
        }
        assertEquals(machine.pages().frames().count(), found, "boot discovered the same pages");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void tlbCountsWhatItCaches(Architecture arch) {
        UserSpace s = userSpace(arch);
        enter(s, s.page(), s.va(), Attr.PRESENT | Attr.USER | Attr.WRITE);
        Mmu cpu = s.hal().mmu(0);
        s.pmap().switchTo(cpu);
        long misses = cpu.tlbMisses();
        long hits = cpu.tlbHits();
        cpu.translate(s.va(), Access.USER | Access.READ);
        cpu.translate(s.va() + 4, Access.USER | Access.READ);
        if (arch.hasMmu()) {
            assertEquals(misses + 1, cpu.tlbMisses(), "the first access walks the tables");
            assertEquals(hits + 1, cpu.tlbHits(), "the second is served by the TLB");
        } else {
            assertEquals(0, cpu.tlbMisses() + cpu.tlbHits(), "no TLB without an MMU");
        }
        assertFalse(cpu.describeWalk(s.pmap(), s.va()).isBlank());
    }

    /**
     * A memory type ({@code PGHD_NOT_CACHED}, {@code PGHD_DEV}) is entered as the target can: read
     * back as entered, or not at all where the entry has no such bits (Sv39 without Svpbmt, no MMU),
     * never as the other type; the page stays reachable either way.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void aMemoryTypeIsKeptOrAbsentNeverAnother(Architecture arch) {
        int types = Attr.NOT_CACHED | Attr.DEVICE;
        for (int type : new int[] {Attr.NOT_CACHED, Attr.DEVICE}) {
            UserSpace s = userSpace(arch);
            enter(s, s.page(), s.va(), Attr.PRESENT | Attr.USER | Attr.WRITE | type);
            int got = s.pmap().attributes(VirtAddr.of(s.va())) & types;
            assertTrue(got == type || got == 0, String.format("entered type 0x%x, read back 0x%x", type, got));
            Mmu cpu = s.hal().mmu(0);
            s.pmap().switchTo(cpu);
            assertEquals(s.page(), cpu.translate(s.va(), Access.USER | Access.READ));
        }
    }

    /**
     * A store under way through a translation when another thread removes the page: the removal's
     * shootdown must not return before the store completed, or the store could land in a frame
     * already handed to someone else (as on hardware, where the IPI is acknowledged between
     * instructions). Without an MMU there is no shootdown and nothing to wait for.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void aShootdownWaitsForAnAccessUnderWay(Architecture arch) throws InterruptedException {
        UserSpace s = userSpace(arch);
        enter(s, s.page(), s.va(), Attr.PRESENT | Attr.USER | Attr.WRITE);
        Mmu cpu = s.hal().mmu(0);
        s.pmap().switchTo(cpu);
        cpu.beginAccess();
        assertEquals(s.page(), cpu.translate(s.va(), Access.USER | Access.WRITE));
        Thread remover = new Thread(() -> s.pmap().remove(VirtAddr.of(s.va()), VirtAddr.of(s.va() + arch.pageSize())), "remover");
        remover.start();
        try {
            if (arch.hasMmu()) {
                remover.join(200);
                assertTrue(remover.isAlive(), "the shootdown returned while a store through the old translation was under way");
            }
            s.hal().memory().write32(s.page(), 0x145);
        } finally {
            cpu.endAccess();
        }
        remover.join(10_000);
        assertFalse(remover.isAlive(), "the shootdown returns once the access completed");
        if (arch.hasMmu()) {
            assertEquals(Mmu.FAULT, cpu.translate(s.va(), Access.USER | Access.READ));
        }
    }
}
