package pvm.vm.kmalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.VmError;
import pvm.testkit.Booted;

class KmallocCallsTest {

    private final Booted m = Booted.boot();
    private final Kmalloc k = Kmalloc.init(m.maps, m.pages, m.console::add, Kmalloc.Policy.KEEP_ONE_EMPTY);
    private final KmallocCalls calls = new KmallocCalls(k);

    /** Everything kmalloc says about itself, to compare before and after a refused call. */
    private List<Object> state() {
        return List.of(k.allocatedBytes(), k.hdrblocks(), k.dump(), k.zones(), m.pages.freeBytes());
    }

    private void fill(long block, long n, int value) {
        m.hal.memory().fill(k.physAddr(block), n, value);
    }

    private void assertBytes(long block, long n, int value) {
        for (long i = 0; i < n; i++) {
            assertEquals(value, m.hal.memory().read8(k.physAddr(block) + i), "byte " + i + " of 0x" + Long.toHexString(block));
        }
    }

    @Test
    void kzallocZeroesTheWholeBlockEvenWhereAFreeListWordWas() {
        long a = calls.kmalloc(100).get();
        fill(a, 128, 0xee);
        assertTrue(k.kfree(a).isRight());
        long z = calls.kzalloc(100).get();
        assertEquals(a, z, "the block just freed comes back (LIFO)");
        assertBytes(z, 128, 0);
        assertEquals(List.of(), k.verify());
    }

    @Test
    void kcallocIsAZeroedArrayAndAnOverflowIsRefused() {
        long a = calls.kcalloc(10, 24).get();
        assertEquals(256, k.blockSize(a), "240 bytes round up to 256");
        assertBytes(a, 256, 0);
        List<Object> before = state();
        // 0x10000 * 0x10001 wraps to 0x10000 in a 32-bit size_t: the bug kcalloc prevents.
        assertInstanceOf(VmError.EINVAL.class, calls.kcalloc(0x10000, 0x10001).getLeft());
        assertInstanceOf(VmError.EINVAL.class, calls.kcalloc(-1, 16).getLeft());
        assertInstanceOf(VmError.EINVAL.class, calls.kcalloc(1 << 20, 16).getLeft(), "16 MiB is above the largest class");
        assertEquals(before, state());
    }

    @Test
    void kreallocStaysInPlaceWhileTheSizeFitsTheClass() {
        long a = calls.kmalloc(40).get();
        fill(a, 64, 0x5a);
        assertEquals(a, calls.krealloc(a, 64).get(), "64 bytes still fit the 64-byte block");
        assertEquals(a, calls.krealloc(a, 1).get(), "a shrink stays too");
        assertBytes(a, 64, 0x5a);
        assertEquals(64, k.blockSize(a));
    }

    @Test
    void kreallocMovesTheContentsToALargerBlockAndFreesTheOld() {
        long a = calls.kmalloc(64).get();
        fill(a, 64, 0x77);
        long allocated = k.allocatedBytes();
        long b = calls.krealloc(a, 65).get();
        assertNotEquals(a, b);
        assertEquals(128, k.blockSize(b));
        assertBytes(b, 64, 0x77);
        assertEquals(0, k.blockSize(a), "the old block is free");
        assertEquals(allocated - 64 + 128 + 64, k.allocatedBytes(), "the 128-byte block and its new zone's header");
        assertEquals(List.of(), k.verify());
    }

    @Test
    void kreallocOfNullAllocatesAndToZeroFrees() {
        long a = calls.krealloc(0, 30).get();
        assertEquals(32, k.blockSize(a));
        assertEquals(0L, calls.krealloc(a, 0).get());
        assertEquals(0, k.blockSize(a));
        assertEquals(List.of(), k.verify());
    }

    @Test
    void aBadKreallocIsEinvalAndChangesNothing() {
        long a = calls.kmalloc(64).get();
        fill(a, 64, 0x11);
        long free = calls.kmalloc(64).get();
        assertTrue(k.kfree(free).isRight());
        calls.kmalloc(100).get(); // a zone of its own, whose header is a block of the first zone
        List<Object> before = state();
        long header = k.zones().stream().filter(z -> z.header() != 0).findFirst().orElseThrow().header();
        for (long p : new long[] {0x1000, a + 8, free, header}) {
            assertInstanceOf(VmError.EINVAL.class, calls.krealloc(p, 200).getLeft(), "krealloc(0x" + Long.toHexString(p) + ")");
        }
        assertTrue(calls.krealloc(a, -1).getLeft().message().contains("negative"));
        assertInstanceOf(VmError.EINVAL.class, calls.krealloc(a, 16L << 20).getLeft());
        assertEquals(before, state());
        assertBytes(a, 64, 0x11);
    }

    @Test
    void aKreallocThatFindsNoMemoryLeavesTheOldBlock() {
        long a = calls.kmalloc(64).get();
        fill(a, 64, 0x22);
        List<Integer> hoard = m.exhaustPages();
        List<Object> before = state();
        assertInstanceOf(VmError.ENOMEM.class, calls.krealloc(a, 5000).getLeft());
        assertEquals(before, state());
        assertBytes(a, 64, 0x22);
        assertInstanceOf(VmError.ENOMEM.class, calls.kzalloc(5000).getLeft());
        m.release(hoard);
        assertEquals(List.of(), k.verify());
    }

    @Test
    void theSelfTestCoversEveryClassAndLeavesTheAccountingAsItWas() {
        long live = calls.kmalloc(100).get();
        long free = m.pages.freeBytes() + k.reserve().zoneBytes();
        long allocated = k.allocatedBytes() - k.reserve().headerBytes();
        HeapSelfTest.Result r = new HeapSelfTest(k).run();
        assertEquals(List.of(), r.failures());
        assertEquals(4, r.tested().getFirst(), "from 16 bytes");
        assertEquals(r.tested().size() + r.skipped().size(), Kmalloc.SIZES - 4, "every class tested or skipped");
        assertTrue(r.tested().size() >= 18, "a 16 MiB machine has room up to 2 MiB at least: " + r.summary());
        assertEquals(free, m.pages.freeBytes() + k.reserve().zoneBytes());
        assertEquals(allocated, k.allocatedBytes() - k.reserve().headerBytes());
        assertEquals(128, k.blockSize(live), "a live block is left alone");
    }

    @Test
    void theSelfTestPassesUnderPhoenixsZoneReleaseToo() {
        Booted fresh = Booted.boot();
        Kmalloc phoenix = Kmalloc.init(fresh.maps, fresh.pages, fresh.console::add, Kmalloc.Policy.PHOENIX);
        long free = fresh.pages.freeBytes();
        HeapSelfTest.Result r = new HeapSelfTest(phoenix).run();
        assertTrue(r.passed(), r.summary());
        assertEquals(0, phoenix.allocatedBytes());
        assertEquals(1, phoenix.zoneCount(), "every zone the test made was released as it emptied");
        assertEquals(free, fresh.pages.freeBytes(), "and its pages given back");
    }

    @Test
    void theSelfTestSkipsTheClassesThereIsNoMemoryFor() {
        List<Integer> hoard = m.exhaustPages();
        HeapSelfTest.Result r = new HeapSelfTest(k).run();
        m.release(hoard);
        assertTrue(r.passed(), r.summary());
        assertTrue(r.tested().contains(6), "the first header zone still serves 64 bytes: " + r.summary());
        assertTrue(r.skipped().contains(4) && r.skipped().contains(23), r.summary());
    }
}
