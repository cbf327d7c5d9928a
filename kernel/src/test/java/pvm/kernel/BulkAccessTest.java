package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * The CPU's bulk accesses ({@link Cpu#fillRaw}, {@link Cpu#checkRaw}, {@link Cpu#compareRaw},
 * {@link Cpu#copyRaw}) against loops of one-byte loads and stores: the same bytes, the same
 * faults at the same byte, the same pages allocated.
 */
class BulkAccessTest {

    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int ANON = MapFlags.PRIVATE | MapFlags.ANONYMOUS;
    private static final int PAGES = 8;

    /**
     * A machine with {@code p} holding {@code PAGES} pages of anonymous memory at {@link #base}; on
     * a target with an MMU page 3 is read-only, page 6 unmapped, and {@code q} is a fork of
     * {@code p}, so ranges meet copy-on-write, demand-zero, protection and missing pages.
     */
    static final class World {
        final Machine machine;
        final Cpu cpu;
        final int page;
        final Process p;
        final Process q;
        final long base;

        World(String arch) {
            machine = Machine.bootDefault(Architectures.named(arch).get());
            cpu = machine.cpu(0);
            page = machine.pageSize();
            p = machine.spawn("p").get();
            base = machine.mmap(p, VirtAddr.NULL, Size.of((long) PAGES * page), RW, ANON, null, 0).get().value();
            for (int i = 0; i < 3 * page; i += 7) {
                assertTrue(cpu.storeRaw(p, 8, base + i, i * 13 + 1));
            }
            if (machine.architecture().hasMmu()) {
                machine.mprotect(p, VirtAddr.of(base + 3L * page), Size.of(page), Prot.READ).get();
                machine.munmap(p, VirtAddr.of(base + 6L * page), Size.of(page)).get();
                q = machine.fork(p, "q").get();
            } else {
                q = p;
            }
        }

        /** The reference: one byte at a time, as a user loop. */
        boolean fillBytes(Process x, long va, long n, int value) {
            for (long i = 0; i < n; i++) {
                if (!cpu.storeRaw(x, 8, va + i, value)) {
                    return false;
                }
            }
            return true;
        }

        long checkBytes(Process x, long va, long n, int value) {
            for (long i = 0; i < n; i++) {
                long b = cpu.loadRaw(x, 8, va + i);
                if (b < 0) {
                    return -1;
                }
                if (b != value) {
                    return i;
                }
            }
            return n;
        }

        boolean copyBytes(Process to, long dst, Process from, long src, long n) {
            for (long i = 0; i < n; i++) {
                long b = cpu.loadRaw(from, 8, src + i);
                if (b < 0 || !cpu.storeRaw(to, 8, dst + i, b)) {
                    return false;
                }
            }
            return true;
        }

        /** Every byte around the mapping as a user load sees it, -1 where it faults. */
        long[] image(Process x) {
            long[] bytes = new long[(PAGES + 2) * page];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = cpu.loadRaw(x, 8, base - page + i);
            }
            return bytes;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "nommu"})
    void randomRangesGiveWhatOneByteAtATimeGives(String arch) {
        long seed = Long.getLong("pvm.seed", System.nanoTime());
        System.out.println("BulkAccessTest: pvm.seed=" + seed);
        Random rnd = new Random(seed);
        World bulk = new World(arch);
        World bytes = new World(arch);
        int page = bulk.page;
        for (int step = 0; step < 300; step++) {
            String where = arch + " seed " + seed + " step " + step + " (replay with -Dpvm.seed=" + seed + ")";
            long a = bulk.base - page + rnd.nextInt((PAGES + 1) * page);
            long b = bulk.base - page + rnd.nextInt((PAGES + 1) * page);
            long n = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(3 * page);
            int value = rnd.nextInt(256);
            boolean toP = rnd.nextBoolean();
            String op;
            Object got;
            Object want;
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    op = "fill";
                    got = bulk.cpu.fillRaw(toP ? bulk.p : bulk.q, a, n, value);
                    want = bytes.fillBytes(toP ? bytes.p : bytes.q, a, n, value);
                }
                case 1 -> {
                    op = "check";
                    got = bulk.cpu.checkRaw(bulk.p, a, n, value);
                    want = bytes.checkBytes(bytes.p, a, n, value);
                }
                case 2 -> {
                    op = "copy within";
                    got = bulk.cpu.copyRaw(bulk.p, a, bulk.p, b, n);
                    want = bytes.copyBytes(bytes.p, a, bytes.p, b, n);
                }
                default -> {
                    op = "copy between";
                    got = bulk.cpu.copyRaw(toP ? bulk.p : bulk.q, a, toP ? bulk.q : bulk.p, b, n);
                    want = bytes.copyBytes(toP ? bytes.p : bytes.q, a, toP ? bytes.q : bytes.p, b, n);
                }
            }
            String what = String.format("%s: %s a=0x%x b=0x%x n=%d", where, op, a, b, n);
            assertEquals(want, got, what);
            if (want.equals(false) || want.equals(-1L)) {
                assertEquals(bytes.cpu.lastSegv(), bulk.cpu.lastSegv(), what);
            }
            assertEquals(bytes.cpu.faults(), bulk.cpu.faults(), what + ": faults taken");
            assertEquals(bytes.machine.pages().freeBytes(), bulk.machine.pages().freeBytes(), what + ": free memory");
        }
        assertEquals(java.util.Arrays.toString(bytes.image(bytes.p)), java.util.Arrays.toString(bulk.image(bulk.p)), "p, seed " + seed);
        assertEquals(java.util.Arrays.toString(bytes.image(bytes.q)), java.util.Arrays.toString(bulk.image(bulk.q)), "q, seed " + seed);
        Checks.assertConsistent(bulk.machine);
    }

    @Test
    void aFillIntoAReadOnlyPageStopsAtItsFirstByteWithTheBytesBeforeWritten() {
        World w = new World("i686");
        long start = w.base + 3L * w.page - 10;
        assertFalse(w.cpu.fillRaw(w.p, start, 20, 0xee));
        Segv segv = w.cpu.lastSegv();
        assertEquals(w.base + 3L * w.page, segv.address());
        assertEquals(Access.USER | Access.WRITE, segv.access());
        assertEquals(10, w.cpu.checkRaw(w.p, start, 20, 0xee), "the ten bytes before the read-only page are written");
        assertEquals(0L, w.cpu.loadRaw(w.p, 8, w.base + 3L * w.page), "the read-only page is untouched");
    }

    @Test
    void aCheckOrCopyIntoAnUnmappedPageFaultsThere() {
        World w = new World("i686");
        long hole = w.base + 6L * w.page;
        assertTrue(w.cpu.fillRaw(w.p, w.base + 4L * w.page, 2L * w.page, 0x11), "pages 4 and 5 demand-zero, then filled");
        assertEquals(-1, w.cpu.checkRaw(w.p, w.base + 4L * w.page, 3L * w.page, 0x11));
        assertEquals(hole, w.cpu.lastSegv().address());
        assertEquals(Access.USER | Access.READ, w.cpu.lastSegv().access());
        assertFalse(w.cpu.copyRaw(w.p, hole - 3, w.p, w.base, 8));
        assertEquals(hole, w.cpu.lastSegv().address());
        assertEquals(3, w.cpu.compareRaw(w.p, hole - 3, 3, MemorySegment.ofArray(new byte[] {1, 0, 0, 0})),
                "the three bytes before the hole were copied from the start of the mapping (1, 0, 0 ...)");
    }

    @Test
    void aCheckNamesTheFirstDifferenceEvenBeforeALaterFault() {
        World w = new World("i686");
        assertTrue(w.cpu.fillRaw(w.p, w.base + 5L * w.page, w.page, 0x22));
        assertTrue(w.cpu.storeRaw(w.p, 8, w.base + 5L * w.page + 100, 0x23));
        assertEquals(100, w.cpu.checkRaw(w.p, w.base + 5L * w.page, 2L * w.page, 0x22));
    }

    @Test
    void aCopyOntoItselfFromBelowRepeatsAsAForwardLoopDoes() {
        World w = new World("i686");
        long a = w.base + 4L * w.page;
        for (int i = 0; i < 3; i++) {
            assertTrue(w.cpu.storeRaw(w.p, 8, a + i, 0x41 + i));
        }
        assertTrue(w.cpu.copyRaw(w.p, a + 3, w.p, a, w.page + 100L));
        for (int i = 0; i < w.page + 103; i++) {
            assertEquals(0x41 + i % 3, w.cpu.loadRaw(w.p, 8, a + i), "byte " + i);
        }
    }

    @Test
    void aCopyIntoACopyOnWritePageGivesTheChildItsOwnPage() {
        World w = new World("i686");
        assertTrue(w.cpu.copyRaw(w.q, w.base + 1, w.q, w.base, 64));
        assertEquals(7 * 13 + 1, w.cpu.loadRaw(w.p, 8, w.base + 7), "the parent keeps its byte");
        assertEquals(1L, w.cpu.loadRaw(w.q, 8, w.base + 7), "the child's forward copy by one repeats its first byte");
        Checks.assertConsistent(w.machine);
    }

    @Test
    void withoutAnMmuTheRangeMovesAsIs() {
        World w = new World("nommu");
        assertTrue(w.cpu.fillRaw(w.p, w.base, (long) PAGES * w.page, 0x5a));
        assertTrue(w.cpu.copyRaw(w.p, w.base + 1, w.p, w.base + 2L * w.page, 10));
        assertEquals((long) PAGES * w.page, w.cpu.checkRaw(w.p, w.base, (long) PAGES * w.page, 0x5a));
    }
}
