package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** The kernel's surface on a real i686 machine: boot order, processes, system calls, CPUs. */
class MachineTest {

    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int ANON = MapFlags.PRIVATE | MapFlags.ANONYMOUS;

    private static Architecture i686() {
        return Architectures.named("i686").get();
    }

    private final Machine machine = Machine.bootDefault(i686());
    private final Cpu cpu = machine.cpu(0);

    private long mmap(Process p, long pages) {
        return machine.mmap(p, VirtAddr.NULL, Size.of(pages * machine.pageSize()), RW, ANON, null, 0).get().value();
    }

    @Test
    void bootPrintsTheLayersInPhoenixOrder() {
        List<String> log = machine.bootLog();
        int page = indexOf(log, "vm: Initializing page allocator");
        int map = indexOf(log, "vm: Initializing memory mapper");
        int kmalloc = indexOf(log, "vm: Initializing kernel memory allocator");
        int objects = indexOf(log, "vm: Initializing memory objects");
        assertTrue(page < map && map < kmalloc && kmalloc < objects, () -> String.join("\n", log));
        Checks.assertConsistent(machine);
    }

    private static int indexOf(List<String> log, String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no boot line starts with '" + prefix + "' in\n" + String.join("\n", log));
    }

    @Test
    void demandZeroPagesAreAllocatedOnFirstTouchAndFreedByMunmap() {
        Process p = machine.spawn("p").get();
        long free = machine.pages().freeBytes();
        long a = mmap(p, 4);
        assertEquals(free, machine.pages().freeBytes(), "mmap of a lazy process allocates no page");
        assertEquals(0L, cpu.load(p, 32, a + 4).get());
        assertTrue(cpu.store(p, 32, a + 4, 0xdeadbeefL).isRight());
        assertEquals(0xdeadbeefL, cpu.load(p, 32, a + 4).get());
        assertTrue(machine.pages().freeBytes() < free, "the touched page came from the page allocator");
        assertTrue(machine.munmap(p, VirtAddr.of(a), Size.of(4L * machine.pageSize())).isRight());
        machine.exit(p).get();
        Checks.assertConsistent(machine);
    }

    @Test
    void forkSharesPagesUntilOneSideWrites() {
        Process parent = machine.spawn("parent").get();
        long a = mmap(parent, 2);
        long page = machine.pageSize();
        cpu.store(parent, 8, a, 0x42).get();
        cpu.store(parent, 8, a + page, 0x52).get();
        Process child = machine.fork(parent, "child").get();
        // The child's first access needs a page table of its own; after that, reads copy nothing.
        assertEquals(0x42L, cpu.load(child, 8, a).get());
        long free = machine.pages().freeBytes();
        assertEquals(0x52L, cpu.load(child, 8, a + page).get());
        assertEquals(free, machine.pages().freeBytes(), "reading after fork copies nothing");
        cpu.store(child, 8, a + page, 0x53).get();
        assertEquals(free - page, machine.pages().freeBytes(), "the first write after fork copies the page");
        assertEquals(0x52L, cpu.load(parent, 8, a + page).get());
        assertEquals(0x53L, cpu.load(child, 8, a + page).get());
        cpu.store(parent, 8, a, 0x41).get();
        assertEquals(0x42L, cpu.load(child, 8, a).get(), "the parent's write after fork is its own");
        machine.exit(child).get();
        machine.exit(parent).get();
        Checks.assertConsistent(machine);
    }

    @Test
    void exitGivesEverythingBack() {
        Accounting before = machine.accounting();
        Process parent = machine.spawn("parent").get();
        long a = mmap(parent, 64);
        for (long va = a; va < a + 64L * machine.pageSize(); va += machine.pageSize()) {
            cpu.store(parent, 32, va, va).get();
        }
        Process child = machine.fork(parent, "child").get();
        cpu.store(child, 32, a, 1).get();
        machine.exit(child).get();
        machine.exit(parent).get();
        assertEquals("", machine.accounting().differencesFrom(before));
        Checks.assertConsistent(machine);
    }

    @Test
    void unresolvedFaultsAreSegvWithTheirCause() {
        Process p = machine.spawn("p").get();
        long a = mmap(p, 1);
        machine.mprotect(p, VirtAddr.of(a), Size.of(machine.pageSize()), Prot.READ).get();
        Segv segv = cpu.store(p, 8, a, 1).getLeft();
        assertEquals(a, segv.address());
        assertTrue(segv.describe().contains("map entry"), segv.describe());
        Segv nothing = cpu.load(p, 8, 0x5000_0000L).getLeft();
        assertTrue(nothing.describe().contains("no map entry"), nothing.describe());
        assertEquals("error code 0x4", nothing.fault().syndrome().registers(), "user read of a not-present page");
        Checks.assertConsistent(machine);
    }

    @Test
    void failedCallsChangeNothing() {
        Process p = machine.spawn("p").get();
        Accounting before = machine.accounting();
        assertEquals("EINVAL", machine.mmap(p, VirtAddr.NULL, Size.ZERO, RW, ANON, null, 0).getLeft().errno());
        assertEquals("ENOMEM", machine.mmap(p, VirtAddr.NULL, Size.of(4L << 30), RW, ANON, null, 0).getLeft().errno());
        assertEquals("EINVAL", machine.munmap(p, VirtAddr.of(0x1001), Size.of(4096)).getLeft().errno());
        assertEquals("ENOMEM", machine.mprotect(p, VirtAddr.of(0x1000), Size.of(4096), Prot.READ).getLeft().errno());
        assertEquals("", machine.accounting().differencesFrom(before));
        Checks.assertConsistent(machine);
    }

    @Test
    void vforkedChildBorrowsTheParentsMap() {
        Process parent = machine.spawn("parent").get();
        long a = mmap(parent, 1);
        Process child = machine.vfork(parent, "child").get();
        assertTrue(parent.isWaiting());
        assertEquals("EBUSY", machine.mmap(parent, VirtAddr.NULL, Size.of(4096), RW, ANON, null, 0).getLeft().errno());
        cpu.store(child, 8, a, 7).get();
        machine.exit(child).get();
        assertEquals(7L, cpu.load(parent, 8, a).get());
        Checks.assertConsistent(machine);
    }

    @Test
    void forkIsNotAvailableWithoutAnMmu() {
        Machine nommu = Machine.bootDefault(Architectures.named("nommu").get());
        Process p = nommu.spawn("p").get();
        assertEquals("ENOSYS", nommu.fork(p, "q").getLeft().errno());
        Checks.assertConsistent(nommu);
    }
}
