package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Policies;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** File mappings through the system calls on a real i686 machine: shared, private, fork, release, errors. */
class FileMappingTest {

    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int SHARED = MemorySyscalls.MAP_SHARED_REQUEST;
    private static final int PRIVATE = MapFlags.PRIVATE;

    private static Architecture i686() {
        return Architectures.named("i686").get();
    }

    private final Machine machine = Machine.bootDefault(i686());
    private final Cpu cpu = machine.cpu(0);
    private final int page = machine.pageSize();

    /** The scenario language's pattern: byte i is (i * 31 + 7) & 0xff. */
    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private long mapFile(Machine m, Process p, String file, long offset, long pages, int flags) {
        return m.mmap(p, VirtAddr.NULL, Size.of(pages * m.pageSize()), RW, flags, file, offset)
                .getOrElseThrow(e -> new AssertionError(e.message())).value();
    }

    private long load8(Process p, long va) {
        return cpu.load(p, 8, va).getOrElseThrow(s -> new AssertionError(s.describe()));
    }

    private void store8(Process p, long va, int v) {
        cpu.store(p, 8, va, v).getOrElseThrow(s -> new AssertionError(s.describe()));
    }

    private byte fileByte(String name, long offset) {
        return machine.readFile(name, offset, 1).get()[0];
    }

    @Test
    void aSharedMappingIsOneSetOfPagesForEveryProcess() {
        byte[] data = pattern(3 * page);
        machine.createFile("data", data.length, data).get();
        Process p = machine.spawn("p").get();
        Process q = machine.spawn("q").get();
        long a = mapFile(machine, p, "data", 0, 3, SHARED);
        long b = mapFile(machine, q, "data", page, 2, SHARED);
        assertEquals(data[page + 5] & 0xff, load8(p, a + page + 5));
        store8(q, b + 5, 0xab);
        assertEquals(0xab, load8(p, a + page + 5), "q's write is seen by p");
        assertEquals((byte) 0xab, fileByte("data", page + 5), "and in the object's page");
        assertEquals(1, machine.pager().objectCount());
        assertEquals(2, machine.pager().objects().stream().filter(o -> o.name().contains("data")).findFirst().get().refs());
        Checks.assertConsistent(machine);

        machine.munmap(p, VirtAddr.of(a), Size.of(3L * page)).get();
        machine.exit(q).get();
        assertEquals(0, machine.pager().objectCount(), "the last reference frees the object");
        assertEquals(data[page + 5], fileByte("data", page + 5), "nothing was written back to the file server");
        Checks.assertConsistent(machine);
    }

    @Test
    void aPrivateMappingCopiesOnWriteAndLeavesTheFileAlone() {
        byte[] data = pattern(2 * page);
        machine.createFile("data", data.length, data).get();
        Process p = machine.spawn("p").get();
        Process q = machine.spawn("q").get();
        long a = mapFile(machine, p, "data", 0, 2, PRIVATE);
        long b = mapFile(machine, q, "data", 0, 2, SHARED);
        assertEquals(data[10] & 0xff, load8(p, a + 10));
        long free = machine.pages().freeBytes();
        store8(p, a + 10, 0x01);
        assertTrue(machine.pages().freeBytes() < free, "the write took a page for the copy");
        assertEquals(0x01, load8(p, a + 10));
        assertEquals(data[11] & 0xff, load8(p, a + 11), "the copy has the rest of the page");
        assertEquals(data[10] & 0xff, load8(q, b + 10), "the shared mapping does not see it");
        assertEquals(data[10], fileByte("data", 10), "nor does the file");
        Checks.assertConsistent(machine);
        machine.exit(p).get();
        machine.exit(q).get();
        assertEquals(0, machine.pager().objectCount());
        Checks.assertConsistent(machine);
    }

    @Test
    void aForkKeepsASharedMappingShared() {
        machine.createFile("data", 2L * page, pattern(2 * page)).get();
        Process parent = machine.spawn("parent").get();
        long a = mapFile(machine, parent, "data", 0, 2, SHARED);
        store8(parent, a, 0x11);
        Process child = machine.fork(parent, "child").get();
        assertEquals(0x11, load8(child, a));
        store8(child, a + page, 0x22);
        assertEquals(0x22, load8(parent, a + page), "the child's write is the parent's");
        store8(parent, a, 0x33);
        assertEquals(0x33, load8(child, a), "and the parent's the child's");
        assertEquals(2, machine.pager().objects().stream().filter(o -> o.name().contains("data")).findFirst().get().refs());
        Checks.assertConsistent(machine);
        machine.exit(child).get();
        machine.exit(parent).get();
        assertEquals(0, machine.pager().objectCount());
        Checks.assertConsistent(machine);
    }

    @Test
    void aForkGivesAPrivateMappingItsOwnCopies() {
        byte[] data = pattern(2 * page);
        machine.createFile("data", data.length, data).get();
        Process parent = machine.spawn("parent").get();
        long a = mapFile(machine, parent, "data", 0, 2, PRIVATE);
        store8(parent, a, 0x11); // page 0 is the parent's own now; page 1 is still the file's
        Process child = machine.fork(parent, "child").get();
        assertEquals(0x11, load8(child, a), "the child inherits the parent's copy");
        assertEquals(data[page] & 0xff, load8(child, a + page));
        store8(child, a, 0x22);
        store8(child, a + page, 0x23);
        assertEquals(0x11, load8(parent, a));
        assertEquals(data[page] & 0xff, load8(parent, a + page));
        store8(parent, a + page, 0x24);
        assertEquals(0x23, load8(child, a + page));
        assertEquals(data[0], fileByte("data", 0));
        assertEquals(data[page], fileByte("data", page));
        Checks.assertConsistent(machine);
        machine.exit(parent).get();
        assertEquals(0x22, load8(child, a));
        machine.exit(child).get();
        assertEquals(0, machine.pager().objectCount());
        Checks.assertConsistent(machine);
    }

    @Test
    void munmapAndExitGiveEverythingBack() {
        machine.createFile("data", 4L * page, pattern(4 * page)).get();
        Process p = machine.spawn("p").get();
        // A page table for the low addresses first: page tables stay until the process exits.
        long warm = machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, MapFlags.ANONYMOUS, null, 0).get().value();
        store8(p, warm, 1);
        machine.munmap(p, VirtAddr.of(warm), Size.of(page)).get();
        Accounting before = machine.accounting();
        long kmalloc = machine.kmalloc().allocatedBytes();
        long a = mapFile(machine, p, "data", 0, 4, PRIVATE);
        long b = mapFile(machine, p, "data", 0, 4, SHARED);
        for (int i = 0; i < 4; i++) {
            load8(p, a + (long) i * page);
            store8(p, b + (long) i * page, i);
        }
        store8(p, a, 9);
        assertTrue(machine.kmalloc().allocatedBytes() > kmalloc, "the object's metadata is in kmalloc");
        machine.munmap(p, VirtAddr.of(a), Size.of(4L * page)).get();
        assertEquals(1, machine.pager().objectCount(), "the shared mapping still holds it");
        machine.munmap(p, VirtAddr.of(b), Size.of(4L * page)).get();
        assertEquals(0, machine.pager().objectCount());
        assertEquals("", machine.accounting().differencesFrom(before));
        assertEquals(kmalloc, machine.kmalloc().allocatedBytes(), "kmalloc is back where it was");

        mapFile(machine, p, "data", 0, 4, SHARED);
        load8(p, mapFile(machine, p, "data", page, 1, PRIVATE));
        machine.exit(p).get();
        assertEquals(0, machine.pager().objectCount(), "exit puts every object");
        Checks.assertConsistent(machine);
    }

    @Test
    void badFileMappingsAreRefusedAndChangeNothing() {
        machine.createFile("data", page + 100, pattern(page + 100)).get();
        Process p = machine.spawn("p").get();
        Accounting before = machine.accounting();
        assertEquals("ENOENT", machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, SHARED, "nothing", 0).getLeft().errno());
        assertEquals("EINVAL", machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, SHARED, "data", 100).getLeft().errno());
        assertEquals("EINVAL", machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, SHARED, "data", -4096).getLeft().errno());
        assertEquals("EINVAL", machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, MapFlags.ANONYMOUS, "data", 0).getLeft().errno());
        assertEquals("EINVAL", machine.createFile("data", 1, null).getLeft().errno(), "the name is taken");
        assertEquals("EINVAL", machine.createFile("short", 1, new byte[2]).getLeft().errno());
        assertEquals("", machine.accounting().differencesFrom(before));
        assertEquals(0, machine.pager().objectCount());

        // The mapping may reach past the end of the file; touching a page there is SIGSEGV.
        long a = mapFile(machine, p, "data", 0, 3, SHARED);
        assertEquals(0, load8(p, a + page + 100), "the tail of the last page reads 0");
        Segv segv = cpu.load(p, 8, a + 2L * page).getLeft();
        assertTrue(segv.describe().contains("EINVAL"), segv.describe());
        Checks.assertConsistent(machine);
    }

    @Test
    void anEagerProcessCopiesAPrivateWritableMappingAtOnce() {
        Machine eager = Machine.boot(i686(), new MachineConfig(i686().defaultRam(), 1, Policies.DEFAULT.with(Paging.POLICY, Paging.EAGER)), line -> { })
                .getOrElseThrow(e -> new AssertionError(e.message()));
        byte[] data = pattern(2 * eager.pageSize());
        eager.createFile("data", data.length, data).get();
        Process p = eager.spawn("p").get();
        long a = mapFile(eager, p, "data", 0, 2, PRIVATE);
        long b = mapFile(eager, p, "data", 0, 2, SHARED);
        Cpu c = eager.cpu(0);
        assertNotEquals(p.pmap().resolve(VirtAddr.of(a)), p.pmap().resolve(VirtAddr.of(b)), "the private pages are copies already");
        assertEquals(data[7] & 0xff, c.load(p, 8, a + 7).get());
        c.store(p, 8, b + 7, 0x5e).get();
        assertEquals(data[7] & 0xff, c.load(p, 8, a + 7).get(), "copied at mmap: later shared writes are not seen");
        Checks.assertConsistent(eager);
        eager.exit(p).get();
        assertEquals(0, eager.pager().objectCount());
        Checks.assertConsistent(eager);
    }

    @Test
    void aContiguousMappingIsOnePhysicalBlock() {
        Process p = machine.spawn("p").get();
        long a = machine.mmap(p, VirtAddr.NULL, Size.of(3L * page), RW, MapFlags.ANONYMOUS | MapFlags.CONTIGUOUS, null, 0).get().value();
        for (int i = 0; i < 3; i++) {
            store8(p, a + (long) i * page, i);
        }
        long first = p.pmap().resolve(VirtAddr.of(a)).value();
        for (int i = 1; i < 3; i++) {
            assertEquals(first + (long) i * page, p.pmap().resolve(VirtAddr.of(a + (long) i * page)).value());
        }
        assertEquals(1, machine.pager().objectCount());
        Checks.assertConsistent(machine);
        machine.munmap(p, VirtAddr.of(a), Size.of(3L * page)).get();
        assertEquals(0, machine.pager().objectCount());
        Checks.assertConsistent(machine);
    }

    @Test
    void deviceAndUncachedPhysicalMappingsGetPcdAndPwt() {
        Machine eager = Machine.boot(i686(), new MachineConfig(i686().defaultRam(), 1, Policies.DEFAULT.with(Paging.POLICY, Paging.EAGER)), line -> { })
                .getOrElseThrow(e -> new AssertionError(e.message()));
        Process p = eager.spawn("p").get();
        long device = 0xfec0_0000L; // the I/O APIC: no RAM there, no page_t
        int phys = MapFlags.ANONYMOUS | MapFlags.PHYSMEM;
        long d = eager.mmap(p, VirtAddr.NULL, Size.of(4096), RW, phys | MapFlags.DEVICE, null, device).get().value();
        long u = eager.mmap(p, VirtAddr.NULL, Size.of(4096), RW, phys | MapFlags.UNCACHED, null, device).get().value();
        long n = eager.mmap(p, VirtAddr.NULL, Size.of(4096), RW, phys, null, device).get().value();
        assertEquals(device, p.pmap().resolve(VirtAddr.of(d)).value());
        int attr = p.pmap().attributes(VirtAddr.of(d));
        assertEquals(pvm.hal.pmap.Attr.DEVICE, attr & (pvm.hal.pmap.Attr.DEVICE | pvm.hal.pmap.Attr.NOT_CACHED), "PCD|PWT");
        assertEquals(pvm.hal.pmap.Attr.NOT_CACHED, p.pmap().attributes(VirtAddr.of(u)) & (pvm.hal.pmap.Attr.DEVICE | pvm.hal.pmap.Attr.NOT_CACHED),
                "PCD alone");
        assertEquals(0, p.pmap().attributes(VirtAddr.of(n)) & (pvm.hal.pmap.Attr.DEVICE | pvm.hal.pmap.Attr.NOT_CACHED), "cached");
        String walk = String.join("\n", eager.showWalk(p, d));
        assertTrue(walk.contains("PCD") && walk.contains("PWT"), walk);
        String cached = String.join("\n", eager.showWalk(p, n));
        assertTrue(!cached.contains("PCD") && !cached.contains("PWT"), cached);
        Checks.assertConsistent(eager);
    }

    @Test
    void aHostDirectoryServesItsFiles(@TempDir Path dir) throws IOException {
        byte[] bytes = new byte[2 * page + page / 2];
        new Random(42).nextBytes(bytes);
        Files.write(dir.resolve("blob.bin"), bytes);
        Files.createDirectory(dir.resolve("sub"));
        assertEquals("ENOENT", machine.attachHostDirectory(dir.resolve("missing")).getLeft().errno());
        machine.attachHostDirectory(dir).get();
        assertEquals("EBUSY", machine.attachHostDirectory(dir).getLeft().errno());
        assertTrue(machine.fileNames().contains("blob.bin"));
        assertTrue(!machine.fileNames().contains("sub"));

        Process p = machine.spawn("p").get();
        long a = mapFile(machine, p, "blob.bin", 0, 3, SHARED);
        long b = mapFile(machine, p, "blob.bin", 2L * page, 1, PRIVATE);
        for (int i = 0; i < bytes.length; i += 97) {
            assertEquals(bytes[i] & 0xff, load8(p, a + i), "byte " + i);
        }
        assertEquals(0, load8(p, a + bytes.length), "past the end of the file: zeros");
        assertEquals(bytes[2 * page + 1] & 0xff, load8(p, b + 1));
        store8(p, b + 1, bytes[2 * page + 1] ^ 0xff);
        store8(p, a, bytes[0] ^ 0xff);
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("blob.bin")), "host files are never written");
        assertEquals("ENOENT", machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, SHARED, "../etc", 0).getLeft().errno());
        assertEquals("ENOENT", machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, SHARED, "sub", 0).getLeft().errno());
        Checks.assertConsistent(machine);
        machine.exit(p).get();
        assertEquals(0, machine.pager().objectCount());
        Checks.assertConsistent(machine);
    }
}
