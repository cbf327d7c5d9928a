package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.object.SharedRegion;
import pvm.vm.object.VmObject;

/**
 * File mappings on the no-MMU target: shared ones are one region of the processes' memory at one
 * address, private ones a copy made at mmap; munmap and exit give everything back; bad calls change
 * nothing.
 */
class NommuFileMappingTest {

    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int SHARED = MemorySyscalls.MAP_SHARED_REQUEST;
    private static final int PRIVATE = MapFlags.PRIVATE;

    private final Machine machine = Machine.bootDefault(Architectures.named("nommu").get());
    private final Cpu cpu = machine.cpu(0);
    private final int page = machine.pageSize();

    /** The scenario language's pattern: byte i is (i * 31 + 7) & 0xff. */
    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private Either<VmError, VirtAddr> mmap(Process p, String file, long offset, long bytes, int flags) {
        return machine.mmap(p, VirtAddr.NULL, Size.of(bytes), RW, flags, file, offset);
    }

    private long map(Process p, String file, long offset, long bytes, int flags) {
        return mmap(p, file, offset, bytes, flags).getOrElseThrow(e -> new AssertionError(e.message())).value();
    }

    private String errno(Either<VmError, ?> r) {
        assertTrue(r.isLeft(), () -> "expected an error, got " + r);
        return r.getLeft().errno();
    }

    private long load8(Process p, long va) {
        return cpu.load(p, 8, va).getOrElseThrow(s -> new AssertionError(s.describe()));
    }

    private void store8(Process p, long va, int v) {
        cpu.store(p, 8, va, v).getOrElseThrow(s -> new AssertionError(s.describe()));
    }

    private byte[] loadAll(Process p, long va, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) load8(p, va + i);
        }
        return b;
    }

    private VmObject object(String name) {
        return machine.pager().objects().stream().filter(o -> o.name().contains(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no live object " + name));
    }

    @Test
    void aSharedMappingIsOneBlockOfTheProcessesMemoryAtOneAddress() {
        byte[] data = pattern(3 * page);
        machine.createFile("data", data.length, data).get();
        Process p = machine.spawn("p").get();
        Process q = machine.spawn("q").get();
        Accounting before = machine.accounting();

        long a = map(p, "data", 0, 3L * page, SHARED);
        long b = map(q, "data", 0, 3L * page, SHARED);
        assertEquals(a, b, "virtual is physical: the same bytes are at the same address");
        assertTrue(p.pmap().isAllowed(VirtAddr.of(a), Size.of(3L * page)), "inside the processes' MPU region");
        assertEquals(PageFrames.NONE, machine.pages().frames().find(a), "not one of the kernel's (DTCM) pages");
        assertEquals(0, object("data").residentPages(), "no page of the kernel's allocator holds its bytes");
        assertArrayEquals(data, loadAll(q, b, data.length));

        store8(q, b + page + 5, 0xab);
        assertEquals(0xab, load8(p, a + page + 5), "q's write is p's");
        assertEquals((byte) 0xab, machine.readFile("data", page + 5, 1).get()[0], "and the file's, as a reader sees it");

        VmObject o = object("data");
        assertEquals(1, o.refs(), "the region's entry holds the only reference");
        assertEquals(1, o.sharedRegions().size());
        SharedRegion r = o.sharedRegions().get(0);
        assertEquals(a, r.vaddr());
        assertEquals(2, machine.sharesOf(r).size());
        Checks.assertConsistent(machine);

        machine.munmap(p, VirtAddr.of(a), Size.of(3L * page)).get();
        assertEquals(0xab, load8(q, b + page + 5), "the region outlives its first sharer");
        machine.exit(q).get();
        assertEquals(0, machine.pager().objectCount(), "the last sharer frees the region and the object");
        assertTrue(machine.sharedRegions().isEmpty());
        assertArrayEquals(Arrays.copyOfRange(data, page, page + 8), machine.readFile("data", page, 8).get(),
                "nothing was written back to the file server");
        assertEquals("", machine.accounting().differencesFrom(before));
        Checks.assertConsistent(machine);
    }

    @Test
    void aPrivateMappingIsACopyMadeAtMmap() {
        byte[] data = pattern(2 * page + 100);
        machine.createFile("data", data.length, data).get();
        Process p = machine.spawn("p").get();
        Accounting before = machine.accounting();
        long free = machine.pages().freeBytes();

        long a = map(p, "data", 0, 4L * page, PRIVATE);
        assertEquals(0, machine.pager().objectCount(), "no reference to the object is kept");
        assertEquals(free, machine.pages().freeBytes(), "no object page was loaded for the copy");
        byte[] expected = Arrays.copyOf(data, 4 * page);
        assertArrayEquals(expected, loadAll(p, a, 4 * page), "the file, then zeros to the end of the mapping");

        store8(p, a + 3, 0x99);
        assertEquals(data[3], machine.readFile("data", 3, 1).get()[0], "the file is not written");
        Checks.assertConsistent(machine);
        machine.munmap(p, VirtAddr.of(a), Size.of(4L * page)).get();
        assertEquals("", machine.accounting().differencesFrom(before));
        Checks.assertConsistent(machine);
    }

    @Test
    void aPrivateCopyTakesTheSharedBytesOfItsMomentAndNoLaterOnes() {
        byte[] data = pattern(2 * page);
        machine.createFile("data", data.length, data).get();
        Process p = machine.spawn("p").get();
        Process q = machine.spawn("q").get();
        long a = map(p, "data", 0, 2L * page, SHARED);
        store8(p, a + page + 1, 0x41);
        long c = map(q, "data", page, page, PRIVATE);
        assertNotEquals(a + page, c);
        assertEquals(0x41, load8(q, c + 1), "the copy is of the bytes as the shared region holds them");
        store8(p, a + page + 2, 0x42);
        assertEquals(data[page + 2] & 0xff, load8(q, c + 2), "a copy: later shared writes are not seen");
        store8(q, c + 1, 0x43);
        assertEquals(0x41, load8(p, a + page + 1), "and its own writes stay its own");
        Checks.assertConsistent(machine);
        machine.exit(p).get();
        machine.exit(q).get();
        assertEquals(0, machine.pager().objectCount());
        Checks.assertConsistent(machine);
    }

    @Test
    void aMappingInsideARegionSharesItAndAnOverlappingOneIsASharingViolation() {
        byte[] data = pattern(8 * page);
        machine.createFile("data", data.length, data).get();
        Process p = machine.spawn("p").get();
        long a = map(p, "data", page, 3L * page, SHARED);
        long inside = map(p, "data", 2L * page, page, SHARED);
        assertEquals(a + page, inside, "inside the region: its bytes, at the matching address");
        assertEquals(1, machine.sharedRegions().size());

        Accounting before = machine.accounting();
        assertEquals("EINVAL", errno(mmap(p, "data", 0, 2L * page, SHARED)), "overlaps the region's start");
        assertEquals("EINVAL", errno(mmap(p, "data", 3L * page, 2L * page, SHARED)), "overlaps its end");
        assertEquals("EINVAL", errno(mmap(p, "data", 0, 8L * page, SHARED)), "holds it");
        assertEquals("", machine.accounting().differencesFrom(before), "a violation leaves nothing behind");

        long other = map(p, "data", 6L * page, 2L * page, SHARED);
        assertEquals(2, machine.sharedRegions().size(), "a range apart from it is a region of its own");
        store8(p, a + 5, 0x11);
        store8(p, other + 5, 0x22);
        byte[] seen = machine.readFile("data", 0, 8 * page).get();
        assertEquals(data[5], seen[5], "bytes in no region are the server's");
        assertEquals(0x11, seen[page + 5] & 0xff);
        assertEquals(0x22, seen[6 * page + 5] & 0xff);
        Checks.assertConsistent(machine);

        assertEquals("EINVAL", errno(machine.munmap(p, VirtAddr.of(a), Size.of(page))), "a part of a shared mapping");
        assertEquals("EINVAL", errno(machine.munmap(p, VirtAddr.of(a), Size.of(4L * page))), "more than one");
        machine.munmap(p, VirtAddr.of(inside), Size.of(page)).get();
        machine.munmap(p, VirtAddr.of(a), Size.of(3L * page)).get();
        assertEquals(1, machine.sharedRegions().size());
        machine.exit(p).get();
        assertEquals(0, machine.pager().objectCount());
        assertTrue(machine.sharedRegions().isEmpty());
        Checks.assertConsistent(machine);
    }

    @Test
    void onlyASharerGivesBackItsOwnMapping() {
        machine.createFile("data", 2L * page, pattern(2 * page)).get();
        Process p = machine.spawn("p").get();
        Process q = machine.spawn("q").get();
        long a = map(p, "data", 0, 2L * page, SHARED);
        assertEquals("EINVAL", errno(machine.munmap(q, VirtAddr.of(a), Size.of(2L * page))), "q does not map it");
        assertEquals("EINVAL", errno(machine.mprotect(q, VirtAddr.of(a), Size.of(page), Prot.READ)));
        assertTrue(machine.mprotect(p, VirtAddr.of(a), Size.of(page), Prot.READ).isRight(), "p's own: accepted, nothing changes");
        assertEquals("EINVAL", errno(machine.mmap(q, VirtAddr.of(a + page), Size.of(page), RW, MapFlags.ANONYMOUS | MapFlags.FIXED,
                null, 0)), "MAP_FIXED may not land on a region");
        assertEquals("EINVAL", errno(machine.mmap(q, VirtAddr.of(a), Size.of(2L * page), RW, SHARED | MapFlags.FIXED, "data", 0)),
                "nor place a shared mapping");
        assertEquals(1, machine.sharedRegions().size());
        Checks.assertConsistent(machine);
        machine.exit(q).get();
        assertEquals(1, machine.pager().objectCount(), "q's exit gives back nothing of p's");
        machine.exit(p).get();
        assertEquals(0, machine.pager().objectCount());
        Checks.assertConsistent(machine);
    }

    @Test
    void exitGivesBackEveryMappingAndAVforkedChildsAreItsParents() {
        machine.createFile("data", 4L * page, pattern(4 * page)).get();
        machine.createFile("more", 100, pattern(100)).get();
        Accounting before = machine.accounting();
        Process p = machine.spawn("p").get();
        long a = map(p, "data", 0, 4L * page, SHARED);
        map(p, "data", page, page, SHARED);
        map(p, "more", 0, page, SHARED);
        map(p, "more", 0, 2L * page, PRIVATE);
        Process child = machine.vfork(p, "child").get();
        long h = map(child, "data", 0, page, SHARED);
        assertEquals(a, h);
        machine.exit(child).get();
        assertEquals(2, machine.pager().objectCount(), "the child's mappings are its parent's");
        assertEquals(3, machine.sharesOf(object("data").sharedRegions().get(0)).size());
        Checks.assertConsistent(machine);
        machine.exit(p).get();
        assertEquals(0, machine.pager().objectCount());
        assertTrue(machine.sharedRegions().isEmpty());
        assertEquals("", machine.accounting().differencesFrom(before));
        Checks.assertConsistent(machine);
    }

    @Test
    void badFileMappingsAreRefusedAndChangeNothing() {
        machine.createFile("data", page + 100, pattern(page + 100)).get();
        Process p = machine.spawn("p").get();
        // One page of the processes' memory in use, so that a mapping of all of it finds no room.
        long first = machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, MapFlags.ANONYMOUS, null, 0).get().value();
        Accounting before = machine.accounting();
        for (int flags : new int[] {SHARED, PRIVATE}) {
            assertEquals("ENOENT", errno(mmap(p, "nothing", 0, page, flags)));
            assertEquals("EINVAL", errno(mmap(p, "data", 100, page, flags)));
            assertEquals("EINVAL", errno(mmap(p, "data", -page, page, flags)));
            assertEquals("EINVAL", errno(machine.mmap(p, VirtAddr.NULL, Size.of(page), RW, flags | MapFlags.ANONYMOUS, "data", 0)));
            assertEquals("ENOMEM", errno(mmap(p, "data", 0, 64L << 20, flags)), "more than the processes' memory");
            assertEquals("ENOMEM", errno(mmap(p, "data", 0, 8L << 20, flags)), "with an entry in it, the map has no room left");
        }
        assertEquals("", machine.accounting().differencesFrom(before));
        assertEquals(0, machine.pager().objectCount());
        assertTrue(machine.sharedRegions().isEmpty());
        assertEquals(1, p.map().entries().size());
        Checks.assertConsistent(machine);
        machine.munmap(p, VirtAddr.of(first), Size.of(page)).get();

        // Past the end of the file without an MMU: zeros, not SIGSEGV (nothing faults).
        long a = map(p, "data", 0, 3L * page, SHARED);
        assertEquals(0, load8(p, a + page + 100));
        assertEquals(0, load8(p, a + 2L * page + 7));
        Checks.assertConsistent(machine);
    }

    @Test
    void processesMappingAndUnmappingAtOnceLeaveConsistentRegions() throws Exception {
        machine.createFile("data", 8L * page, pattern(8 * page)).get();
        Accounting before = machine.accounting();
        int threads = 4;
        Process[] procs = new Process[threads];
        for (int t = 0; t < threads; t++) {
            procs[t] = machine.spawn("p" + t).get();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long base = Long.getLong("pvm.seed", System.nanoTime());
        System.out.println("NommuFileMappingTest: pvm.seed=" + base + " (thread t runs seed pvm.seed + t)");
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Process p = procs[t];
                long seed = base + t;
                done.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    List<long[]> mine = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        int op = rnd.nextInt(4);
                        long offs = (long) rnd.nextInt(6) * page;
                        long size = (1 + rnd.nextInt(2)) * (long) page;
                        if (op == 0) {
                            mmap(p, "data", offs, size, SHARED).forEach(v -> mine.add(new long[] {v.value(), size}));
                        } else if (op == 1) {
                            mmap(p, "data", offs, size, PRIVATE).forEach(v -> mine.add(new long[] {v.value(), size}));
                        } else if (op == 2 && !mine.isEmpty()) {
                            long[] m = mine.remove(rnd.nextInt(mine.size()));
                            assertTrue(machine.munmap(p, VirtAddr.of(m[0]), Size.of(m[1])).isRight());
                        } else if (!mine.isEmpty()) {
                            // A fixed mapping over one of its own mappings: refused on a region, else replaces it.
                            long[] m = mine.get(rnd.nextInt(mine.size()));
                            Either<VmError, VirtAddr> r = machine.mmap(p, VirtAddr.of(m[0]), Size.of(m[1]), RW,
                                    MapFlags.ANONYMOUS | MapFlags.FIXED, null, 0);
                            assertTrue(r.isRight() || r.getLeft().errno().equals("EINVAL"), () -> r.getLeft().message());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Checks.assertConsistent(machine);
        for (Process p : procs) {
            machine.exit(p).get();
        }
        assertEquals(0, machine.pager().objectCount());
        assertTrue(machine.sharedRegions().isEmpty());
        assertEquals("", machine.accounting().differencesFrom(before));
        Checks.assertConsistent(machine);
    }
}
