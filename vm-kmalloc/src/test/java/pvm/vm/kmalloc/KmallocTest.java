package pvm.vm.kmalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.VmError;
import pvm.testkit.Booted;

class KmallocTest {

    private final Booted m = Booted.boot();

    private Kmalloc init(Kmalloc.Policy policy) {
        return Kmalloc.init(m.maps, m.pages, m.console::add, policy);
    }

    private static String hex(long v) {
        return String.format("%08x", v);
    }

    @Test
    void initPrintsTheFirstHeaderZoneAsPhoenix() {
        long free = m.pages.freeBytes();
        Kmalloc k = init(Kmalloc.Policy.PHOENIX);
        assertEquals("vm: Initializing kernel memory allocator: (64*48) 3072", m.console.getLast());
        assertEquals(6, k.headerIndex(), "sizeof(vm_zone_t) = 48 rounds up to 64");
        assertEquals(64, k.hdrblocks());
        assertEquals(1, k.zoneCount());
        assertEquals(0, k.allocatedBytes(), "the first zone is not counted, as in Phoenix");
        assertEquals(free - 4096, m.pages.freeBytes());
        assertEquals(List.of(), k.verify());
    }

    @Test
    void requestsAreRoundedToPowersOfTwoFromSixteenBytes() {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        long[][] cases = {{0, 16}, {1, 16}, {16, 16}, {17, 32}, {48, 64}, {100, 128}, {4096, 4096}, {4097, 8192}, {1L << 23, 1L << 23}};
        for (long[] c : cases) {
            long b = k.kmalloc(c[0]);
            assertNotEquals(0, b, "kmalloc(" + c[0] + ")");
            assertEquals(c[1], k.blockSize(b), "kmalloc(" + c[0] + ")");
        }
        assertEquals(0, k.kmalloc((1L << 23) + 1), "above sizes[23]");
        assertEquals(0, k.kmalloc(-1));
        assertEquals(List.of(), k.verify());
    }

    @Test
    void statisticsCountBlocksAndZoneHeaders() {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        long a = k.kmalloc(100);
        assertEquals(128 + 64, k.allocatedBytes(), "the block and the header of its new zone");
        assertEquals(63, k.hdrblocks());
        long b = k.kmalloc(120);
        assertEquals(2 * 128 + 64, k.allocatedBytes(), "same zone, no new header");
        k.kmalloc(10);
        assertEquals(2 * 128 + 16 + 2 * 64, k.allocatedBytes());
        assertTrue(k.kfree(a).isRight());
        assertTrue(k.kfree(b).isRight());
        assertEquals(16 + 2 * 64, k.allocatedBytes(), "the emptied zone is kept, so is its header");
        assertEquals(List.of(), k.verify());
    }

    @Test
    void dumpListsZonesWithFreeBlocksAsPhoenixPrintsThem() {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        List<String> dump = k.dump();
        assertEquals(24, dump.size());
        long first = k.zones().getFirst().vaddr();
        assertEquals("sizes[6]=" + hex(first) + "(0/64) ", dump.get(6));
        for (int i = 0; i < 24; i++) {
            if (i != 6) {
                assertEquals("sizes[" + i + "]=", dump.get(i));
            }
        }
        long b = k.kmalloc(3000);
        ZoneInfo z = k.zones().stream().filter(zi -> zi.blocksz() == 4096).findFirst().orElseThrow();
        assertEquals("sizes[6]=" + hex(first) + "(1/64) ", k.dump().get(6));
        assertEquals("sizes[12]=", k.dump().get(12), "a full zone is on the used list, which the dump does not show");
        k.kfree(b);
        assertEquals("sizes[12]=" + hex(z.vaddr()) + "(0/1) ", k.dump().get(12));
        long c = k.kmalloc(64);
        assertEquals("sizes[6]=" + hex(first) + "(2/64) ", k.dump().get(6));
        assertNotEquals(0, c);
    }

    @Test
    void aZoneListShowsEveryZoneInListOrder() {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            blocks.add(k.kmalloc(2048));
        }
        // Zones of 2 blocks: the first filled (used list), the second has one of two.
        List<ZoneInfo> z2k = k.zones().stream().filter(zi -> zi.blocksz() == 2048).toList();
        assertEquals(2, z2k.size());
        k.kfree(blocks.getFirst());
        // The first zone goes back to the tail of sizes[11], behind the second.
        assertEquals("sizes[11]=" + hex(z2k.get(1).vaddr()) + "(1/2) " + hex(z2k.get(0).vaddr()) + "(1/2) ", k.dump().get(11));
    }

    @Test
    void theHeaderClassRefillsWhenOneHeaderBlockIsLeft() {
        Kmalloc k = init(Kmalloc.Policy.PHOENIX);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            blocks.add(k.kmalloc(64));
        }
        assertEquals(1, k.hdrblocks());
        assertEquals(1, k.zoneCount());
        long b = k.kmalloc(64);
        assertEquals(2, k.zoneCount(), "the last header block went to a new header zone first");
        assertEquals(63, k.hdrblocks(), "64 new blocks, one taken by this request");
        ZoneInfo second = k.zones().stream().filter(zi -> !zi.first()).findFirst().orElseThrow();
        ZoneInfo first = k.zones().stream().filter(ZoneInfo::first).findFirst().orElseThrow();
        assertEquals(first.vaddr() + 63 * 64, second.header(), "its header is the first zone's last block");
        assertTrue(second.vaddr() <= b && b < second.vaddr() + 4096);
        assertEquals(65 * 64, k.allocatedBytes());
        assertEquals(List.of(), k.verify());

        for (long x : blocks) {
            assertTrue(k.kfree(x).isRight());
        }
        assertTrue(k.kfree(b).isRight());
        assertEquals(1, k.zoneCount(), "the second header zone emptied and was released, its header freed");
        assertEquals(0, k.allocatedBytes());
        assertEquals(64, k.hdrblocks());
        assertEquals(List.of(), k.verify());
    }

    @Test
    void phoenixReleasesAZoneAsSoonAsItEmpties() {
        Kmalloc k = init(Kmalloc.Policy.PHOENIX);
        long free = m.pages.freeBytes();
        int entries = m.maps.kernelMap().entryCount();
        for (int round = 0; round < 3; round++) {
            long b = k.kmalloc(200);
            assertEquals(2, k.zoneCount());
            assertEquals(free - 4096, m.pages.freeBytes(), "every round maps a new zone");
            assertTrue(k.kfree(b).isRight());
            assertEquals(1, k.zoneCount());
            assertEquals(free, m.pages.freeBytes());
            assertEquals(entries, m.maps.kernelMap().entryCount());
            assertEquals(0, k.allocatedBytes());
        }
        assertEquals(List.of(), k.verify());
        assertEquals(List.of(), m.maps.verify());
    }

    @Test
    void keepOneEmptyKeepsAZoneInReservePerClass() {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        long free = m.pages.freeBytes();
        long b = k.kmalloc(200);
        assertTrue(k.kfree(b).isRight());
        assertEquals(2, k.zoneCount());
        assertEquals(free - 4096, m.pages.freeBytes());
        for (int round = 0; round < 3; round++) {
            assertEquals(b, k.kmalloc(200), "the kept zone serves again, its blocks in LIFO order");
            assertTrue(k.kfree(b).isRight());
            assertEquals(free - 4096, m.pages.freeBytes(), "no page traffic");
        }
        // Two zones' worth, then everything back: one zone goes, one stays.
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            blocks.add(k.kmalloc(256));
        }
        assertEquals(3, k.zoneCount());
        for (long x : blocks) {
            assertTrue(k.kfree(x).isRight());
        }
        assertEquals(2, k.zoneCount());
        assertEquals(64, k.allocatedBytes(), "the kept zone's header");
        assertEquals(free - 4096, m.pages.freeBytes());
        assertEquals(List.of(), k.verify());
    }

    @Test
    void theReserveIsEverythingThatIsLeftWhenAllIsFreed() {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        long free = m.pages.freeBytes();
        long allocated = k.allocatedBytes();
        // Enough blocks of the header class for several header zones, then zones of two other
        // classes, whose headers land in a header zone that is not the first.
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            blocks.add(k.kmalloc(64));
        }
        for (int i = 0; i < 100; i++) {
            blocks.add(k.kmalloc(128));
        }
        blocks.add(k.kmalloc(16384));
        for (long b : blocks) {
            assertTrue(k.kfree(b).isRight());
        }
        Kmalloc.Reserve r = k.reserve();
        assertEquals(free, m.pages.freeBytes() + r.zoneBytes(), "every page not free is the reserve's");
        assertEquals(allocated, k.allocatedBytes() - r.headerBytes(), "every block allocated is a reserve zone's header");
        assertEquals(k.zoneCount() - 1, r.zones(), "every zone but the first is in reserve");
        assertEquals(List.of(), k.verify());
    }

    @Test
    void badFreesAreRefusedAndChangeNothing() {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        long a = k.kmalloc(32);
        long b = k.kmalloc(32);
        long allocated = k.allocatedBytes();
        List<String> dump = k.dump();

        assertBad(k, 0x1234, "not inside any kmalloc zone");
        assertBad(k, 0xd000_0000L, "not inside any kmalloc zone");
        assertBad(k, a + 4, "block boundary");
        assertBad(k, b + 32, "not an allocated block");
        ZoneInfo hdrOwner = k.zones().stream().filter(zi -> !zi.first()).findFirst().orElseThrow();
        assertBad(k, hdrOwner.header(), "header of a kmalloc zone");
        assertTrue(k.kfree(a).isRight());
        assertBad(k, a, "not an allocated block");
        assertEquals(allocated - 32, k.allocatedBytes());
        assertTrue(k.kfree(0).isRight(), "free(NULL) does nothing");
        assertEquals(dump.get(5).replace("(2/", "(1/"), k.dump().get(5));
        assertEquals(List.of(), k.verify());
        assertEquals(-22, k.free(a), "the int form says EINVAL too");
    }

    private static void assertBad(Kmalloc k, long p, String why) {
        long allocated = k.allocatedBytes();
        List<String> dump = k.dump();
        Either<VmError, Void> r = k.kfree(p);
        assertInstanceOf(VmError.EINVAL.class, r.getLeft(), String.format("kfree(0x%x)", p));
        assertTrue(r.getLeft().message().contains(why), r.getLeft().message());
        assertEquals(allocated, k.allocatedBytes());
        assertEquals(dump, k.dump());
        assertEquals(List.of(), k.verify());
    }

    @Test
    void blocksLiveInSimulatedRam() {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        long a = k.kmalloc(64);
        long b = k.kmalloc(64);
        long pa = k.physAddr(a);
        assertEquals(m.maps.kernelMap().pmap().resolve(pvm.hal.pmap.VirtAddr.of(a)).value(), pa);
        m.hal.memory().write64(pa, 0x1122334455667788L);
        m.hal.memory().write64(k.physAddr(b), -1);
        assertEquals(0x1122334455667788L, m.hal.memory().read64(k.physAddr(a)));
        assertEquals(-1, k.physAddr(a + 64 * 10), "a free block has no owner's address");
        assertEquals(-1, k.physAddr(0x1000));
        k.kfree(b);
        assertEquals(List.of(), k.verify(), "the free list pointer overwrote the block's first word");
    }

    @Test
    void outOfPagesIsNullWithNothingChanged() {
        Kmalloc k = init(Kmalloc.Policy.PHOENIX);
        long live = k.kmalloc(40);
        List<Integer> hoard = m.exhaustPages();
        long allocated = k.allocatedBytes();
        int hdr = k.hdrblocks();
        List<String> dump = k.dump();
        assertEquals(0, k.kmalloc(5000), "a new 8 KiB zone needs pages");
        assertEquals(allocated, k.allocatedBytes());
        assertEquals(hdr, k.hdrblocks(), "the header block taken for the zone went back");
        assertEquals(dump, k.dump());
        assertEquals(List.of(), k.verify());
        assertNotEquals(0, k.kmalloc(40), "a class with room still serves");
        m.release(hoard);
        assertNotEquals(0, k.kmalloc(5000));
        assertTrue(k.kfree(live).isRight());
        assertEquals(List.of(), k.verify());
    }

    @Test
    void aFailedHeaderRefillFailsTheRequestAndIsRetried() {
        Kmalloc k = init(Kmalloc.Policy.PHOENIX);
        for (int i = 0; i < 63; i++) {
            k.kmalloc(64);
        }
        assertEquals(1, k.hdrblocks());
        List<Integer> hoard = m.exhaustPages();
        assertEquals(0, k.kmalloc(16));
        assertEquals(1, k.hdrblocks());
        assertEquals(1, k.zoneCount());
        assertEquals(List.of(), k.verify());
        m.release(hoard);
        assertNotEquals(0, k.kmalloc(16));
        assertEquals(3, k.zoneCount(), "a header zone, then a 16-byte zone");
        assertEquals(63, k.hdrblocks());
        assertEquals(List.of(), k.verify());
    }

    @Test
    void threadsShareOneKmalloc() throws InterruptedException {
        Kmalloc k = init(Kmalloc.Policy.KEEP_ONE_EMPTY);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            final int seed = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    java.util.Random rnd = new java.util.Random(seed);
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < 3000; i++) {
                        if (mine.isEmpty() || rnd.nextBoolean()) {
                            long b = k.kmalloc(1 + rnd.nextInt(2000));
                            if (b != 0) {
                                mine.add(b);
                            }
                        } else {
                            assertTrue(k.kfree(mine.remove(rnd.nextInt(mine.size()))).isRight());
                        }
                    }
                    for (long b : mine) {
                        assertTrue(k.kfree(b).isRight());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of(), k.verify());
        assertEquals(64L * (k.zoneCount() - 1), k.allocatedBytes(), "only the kept zones' headers remain");
    }
}
