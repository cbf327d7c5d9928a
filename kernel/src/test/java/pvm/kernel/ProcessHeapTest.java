package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** brk and sbrk ({@link ProcessHeap}) on both targets with an MMU, and their refusal without one. */
class ProcessHeapTest {

    private static final long BASE = 0x1000_0000L;

    private static Machine boot(String arch) {
        return Machine.bootDefault(Architectures.named(arch).get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void theBreakStartsAtTheHeapBaseAndSbrkAnswersTheOldBreak(String arch) {
        Machine m = boot(arch);
        Process p = m.spawn("p").get();
        int page = m.pageSize();
        assertEquals(BASE, m.sbrk(p, 0).get());
        assertEquals(BASE, m.sbrk(p, 10).get());
        assertEquals(BASE + 10, m.sbrk(p, 2L * page).get());
        assertEquals(BASE + 10 + 2L * page, m.sbrk(p, 0).get());
        assertEquals(BASE + page, m.brk(p, BASE + page).get());
        assertEquals(BASE + page, m.sbrk(p, 0).get());
        Checks.assertConsistent(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void growingMakesDemandZeroMemory(String arch) {
        Machine m = boot(arch);
        Process p = m.spawn("p").get();
        long free = m.pages().freeBytes();
        long h = m.sbrk(p, 4L * m.pageSize()).get();
        assertEquals(free, m.pages().freeBytes(), "growing allocates no page until one is touched");
        assertEquals(0L, m.cpu(0).load(p, 32, h + 3L * m.pageSize()).get());
        assertTrue(m.cpu(0).store(p, 32, h, 0x1234).isRight());
        assertEquals(1, p.map().entryCount(), "the heap is one ordinary anonymous entry");
        Checks.assertConsistent(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void shrinkingFreesThePagesAndThePageTablesTheyNeeded(String arch) {
        Machine m = boot(arch);
        Process p = m.spawn("p").get();
        Accounting before = m.accounting();
        long h = m.sbrk(p, 8L * m.pageSize()).get();
        assertTrue(m.cpu(0).fillRaw(p, h, 8L * m.pageSize(), 0x5a));
        assertTrue(m.pages().freeBytes() < before.freeBytes() - 8L * m.pageSize(), "the pages and their page tables are allocated");
        m.sbrk(p, -8L * m.pageSize()).get();
        Checks.assertUnchanged(m, before);
        assertTrue(p.pmap().resolve(VirtAddr.of(h)).isNone());
        m.sbrk(p, m.pageSize()).get();
        assertEquals(0L, m.cpu(0).load(p, 8, h).get(), "a page given back and taken again is zero");
        Checks.assertConsistent(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void aPageTableStillMappingSomethingStays(String arch) {
        Machine m = boot(arch);
        Process p = m.spawn("p").get();
        long neighbour = BASE + (1L << 20);
        m.mmap(p, VirtAddr.of(neighbour), Size.of(m.pageSize()), Prot.READ | Prot.WRITE,
                MapFlags.PRIVATE | MapFlags.ANONYMOUS | MapFlags.FIXED, null, 0).get();
        assertTrue(m.cpu(0).store(p, 32, neighbour, 0xcafe).isRight());
        long h = m.sbrk(p, 2L * m.pageSize()).get();
        assertTrue(m.cpu(0).store(p, 32, h, 1).isRight());
        m.brk(p, BASE).get();
        assertEquals(0xcafeL, m.cpu(0).load(p, 32, neighbour).get());
        assertFalse(p.pmap().resolve(VirtAddr.of(neighbour)).isNone(), "the neighbour's table was kept");
        Checks.assertConsistent(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void runningIntoAMappingIsEnomemAndChangesNothing(String arch) {
        Machine m = boot(arch);
        Process p = m.spawn("p").get();
        int page = m.pageSize();
        m.sbrk(p, 2L * page).get();
        m.mmap(p, VirtAddr.of(BASE + 4L * page), Size.of(page), Prot.READ, MapFlags.PRIVATE | MapFlags.ANONYMOUS | MapFlags.FIXED,
                null, 0).get();
        Accounting before = m.accounting();
        int entries = p.map().entryCount();
        assertEquals("ENOMEM", m.sbrk(p, 3L * page).getLeft().errno());
        assertEquals("ENOMEM", m.brk(p, BASE + 4L * page + 1).getLeft().errno());
        Checks.assertUnchanged(m, before);
        assertEquals(entries, p.map().entryCount());
        assertEquals(BASE + 2L * page, m.sbrk(p, 0).get(), "the break did not move");
        assertEquals(BASE + 4L * page, m.brk(p, BASE + 4L * page).get(), "up to the mapping is fine");
        Checks.assertConsistent(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void belowTheBaseIsEinvalAndPastUserSpaceEnomem(String arch) {
        Machine m = boot(arch);
        Process p = m.spawn("p").get();
        m.sbrk(p, m.pageSize()).get();
        Accounting before = m.accounting();
        assertEquals("EINVAL", m.sbrk(p, -2L * m.pageSize()).getLeft().errno());
        assertEquals("EINVAL", m.brk(p, BASE - 1).getLeft().errno());
        assertEquals("ENOMEM", m.brk(p, p.map().stop().value() + 1).getLeft().errno());
        assertEquals("ENOMEM", m.sbrk(p, Long.MAX_VALUE).getLeft().errno());
        Checks.assertUnchanged(m, before);
        assertEquals(BASE + m.pageSize(), m.sbrk(p, 0).get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void forkCopiesTheHeapCopyOnWriteAndExitFreesIt(String arch) {
        Machine m = boot(arch);
        Accounting start = m.accounting();
        Process p = m.spawn("p").get();
        long h = m.sbrk(p, 2L * m.pageSize()).get();
        assertTrue(m.cpu(0).store(p, 32, h, 0x42).isRight());
        Process c = m.fork(p, "c").get();
        assertEquals(h + 2L * m.pageSize(), m.sbrk(c, 0).get(), "the child's break is the parent's");
        assertEquals(0x42L, m.cpu(0).load(c, 32, h).get());
        assertTrue(m.cpu(0).store(c, 32, h, 0x43).isRight());
        assertEquals(0x42L, m.cpu(0).load(p, 32, h).get());
        m.sbrk(c, m.pageSize()).get();
        assertEquals(h + 2L * m.pageSize(), m.sbrk(p, 0).get(), "the child's sbrk moves only its own break");
        Checks.exitAndCheck(m, start, c, p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void aVforkedChildMovesItsParentsBreak(String arch) {
        Machine m = boot(arch);
        Process p = m.spawn("p").get();
        Process c = m.vfork(p, "c").get();
        long h = m.sbrk(c, m.pageSize()).get();
        assertTrue(m.cpu(0).store(c, 8, h, 7).isRight());
        m.exit(c).get();
        assertEquals(h + m.pageSize(), m.sbrk(p, 0).get());
        assertEquals(7L, m.cpu(0).load(p, 8, h).get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void eagerPagingPopulatesTheHeapAndStillGivesItAllBack(String arch) {
        Machine m = Machine.boot(Architectures.named(arch).get(),
                new pvm.hal.pmap.MachineConfig(Architectures.named(arch).get().defaultRam(), 1), KernelOptions.DEFAULT
                        .withPolicies(new PolicyChoice(false, java.util.List.of("paging=eager"))), line -> { }).get();
        Process p = m.spawn("p").get();
        Accounting before = m.accounting();
        long free = m.pages().freeBytes();
        m.sbrk(p, 3L * m.pageSize()).get();
        assertTrue(m.pages().freeBytes() < free, "Phoenix's eager mmap populates the heap at once");
        m.sbrk(p, -3L * m.pageSize()).get();
        Checks.assertUnchanged(m, before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void roomGivenAtSpawnBoundsTheBreak(String arch) {
        Machine m = boot(arch);
        int page = m.pageSize();
        Process p = m.spawn("p", OptionalLong.empty(), OptionalLong.of(2L * page)).get();
        assertEquals(0, p.map().entryCount(), "with an MMU the room is only a bound: nothing is mapped");
        assertEquals(BASE, m.sbrk(p, 2L * page).get());
        assertEquals("ENOMEM", m.sbrk(p, 1).getLeft().errno());
        assertEquals("EINVAL", m.spawn("q", OptionalLong.empty(), OptionalLong.of(0)).getLeft().errno());
        assertEquals("ENOMEM", m.spawn("q", OptionalLong.empty(), OptionalLong.of(Long.MAX_VALUE)).getLeft().errno());
    }

    @org.junit.jupiter.api.Test
    void withoutAnMmuABreakNeedsRoomSetAsideAtSpawn() {
        Machine m = boot("nommu");
        Accounting start = m.accounting();
        Process p = m.spawn("p").get();
        Accounting before = m.accounting();
        assertEquals("ENOMEM", m.sbrk(p, 0).getLeft().errno());
        assertEquals("ENOMEM", m.brk(p, BASE).getLeft().errno());
        assertTrue(m.sbrk(p, 1).getLeft().message().contains("spawn P heap SIZE"));
        Checks.assertUnchanged(m, before);
        m.exit(p).get();

        int page = m.pageSize();
        Process q = m.spawn("q", OptionalLong.empty(), OptionalLong.of(4L * page)).get();
        long h = m.sbrk(q, 0).get();
        assertEquals(1, q.map().entries(q).size(), "the room is one anonymous entry of the process");
        assertEquals(h, q.map().entries(q).get(0).vaddr().value());
        Accounting reserved = m.accounting();
        assertTrue(m.cpu(0).fillRaw(q, h, 4L * page, 0x5a));
        m.sbrk(q, 4L * page).get();
        assertTrue(m.cpu(0).checkRaw(q, h, 4L * page, 0) == 4L * page, "memory the break reaches reads as zeros");
        assertTrue(m.cpu(0).fillRaw(q, h, 4L * page, 0x5a));
        assertEquals("ENOMEM", m.sbrk(q, 1).getLeft().errno());
        m.sbrk(q, -3L * page - 1).get();
        assertEquals(reserved, m.accounting(), "shrinking keeps the room (nothing to give back without an MMU)");
        m.brk(q, h + 4L * page).get();
        assertEquals(0x5aL, m.cpu(0).load(q, 8, h + page - 1).get(), "the page the break kept still holds its bytes");
        assertEquals(0L, m.cpu(0).load(q, 8, h + page).get(), "pages the break reaches again read as zeros");
        assertEquals("EINVAL", m.brk(q, h - 1).getLeft().errno());
        m.exit(q).get();
        Checks.assertUnchanged(m, start);
        Checks.assertConsistent(m);
    }
}
