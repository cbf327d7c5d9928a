package pvm.vm.kmalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Sizes;
import pvm.testkit.Booted;

/**
 * A seeded, model-based test: random allocations of 1..4096 bytes (and now and then more), frees
 * and {@code krealloc}s of random live blocks, checked against a model of the live blocks. Each block gets a pattern
 * written into simulated RAM that must be intact when it is freed, live blocks never overlap, sizes
 * and statistics follow the model, and kmalloc's checker holds after every step.
 */
class KmallocModelTest {

    private static final int STEPS = 2500;

    @ParameterizedTest
    @EnumSource(Kmalloc.Policy.class)
    void randomAllocationsAndFreesKeepBlocksApartAndIntact(Kmalloc.Policy policy) {
        long seed = Long.getLong("pvm.seed", System.nanoTime());
        System.out.println("KmallocModelTest: pvm.seed=" + seed);
        Random rnd = new Random(seed);
        Booted m = Booted.boot();
        Kmalloc k = Kmalloc.init(m.maps, m.pages, m.console::add, policy);
        KmallocCalls calls = new KmallocCalls(k);
        PhysicalMemory ram = m.hal.memory();
        long pagesAtStart = m.pages.freeBytes();
        TreeMap<Long, long[]> live = new TreeMap<>(); // addr -> {block size, requested size, tag}
        long userBytes = 0;

        for (int step = 0; step < STEPS; step++) {
            String where = policy + " seed " + seed + " step " + step;
            if (!live.isEmpty() && rnd.nextInt(100) < 15) {
                // krealloc: in place while the new size fits the block, else moved with its contents.
                List<Long> keys = new ArrayList<>(live.keySet());
                long b = keys.get(rnd.nextInt(keys.size()));
                long[] info = live.remove(b);
                long size = 1 + rnd.nextInt(8192);
                long moved = calls.krealloc(b, size).get();
                long block = Math.max(16, 1L << Sizes.orderFor(size));
                if (size <= info[0]) {
                    assertEquals(b, moved, where + ": krealloc(" + size + ") of a " + info[0] + "-byte block stays");
                    block = info[0];
                } else {
                    assertEquals(block, k.blockSize(moved), where);
                }
                check(ram, k, moved, Math.min(info[1], size) & ~7, info[2], where + " after krealloc");
                long tag = rnd.nextLong();
                fill(ram, k, moved, size, tag);
                live.put(moved, new long[] {block, size, tag});
                userBytes += block - info[0];
            } else if (live.isEmpty() || rnd.nextInt(100) < 55) {
                long size = rnd.nextInt(50) == 0 ? 4097 + rnd.nextInt(30000) : 1 + rnd.nextInt(4096);
                long b = k.kmalloc(size);
                assertNotEquals(0, b, where + ": kmalloc(" + size + ")");
                long block = Math.max(16, 1L << Sizes.orderFor(size));
                assertEquals(block, k.blockSize(b), where);
                Map.Entry<Long, long[]> below = live.floorEntry(b);
                Map.Entry<Long, long[]> above = live.ceilingEntry(b);
                assertTrue(below == null || below.getKey() + below.getValue()[0] <= b, where + ": overlaps the block below");
                assertTrue(above == null || b + block <= above.getKey(), where + ": overlaps the block above");
                long tag = rnd.nextLong();
                fill(ram, k, b, size, tag);
                live.put(b, new long[] {block, size, tag});
                userBytes += block;
            } else {
                List<Long> keys = new ArrayList<>(live.keySet());
                long b = keys.get(rnd.nextInt(keys.size()));
                long[] info = live.remove(b);
                check(ram, k, b, info[1], info[2], where);
                assertTrue(k.kfree(b).isRight(), where);
                userBytes -= info[0];
            }
            assertEquals(userBytes + 64L * (k.zoneCount() - 1), k.allocatedBytes(), where + ": blocks plus one header per zone");
            assertEquals(List.of(), k.verify(), where);
        }
        for (Map.Entry<Long, long[]> e : live.entrySet()) {
            check(ram, k, e.getKey(), e.getValue()[1], e.getValue()[2], policy + " seed " + seed + " at the end");
            assertTrue(k.kfree(e.getKey()).isRight());
        }
        assertEquals(List.of(), k.verify());
        assertEquals(64L * (k.zoneCount() - 1), k.allocatedBytes());
        if (policy == Kmalloc.Policy.PHOENIX) {
            assertEquals(1, k.zoneCount(), "seed " + seed + ": every zone but the first is released");
            assertEquals(pagesAtStart, m.pages.freeBytes(), "seed " + seed);
        } else {
            for (int i = 0; i < Kmalloc.SIZES; i++) {
                final int idx = i;
                long empty = k.zones().stream().filter(z -> Sizes.lastBit(z.blocksz()) == idx && z.used() == 0).count();
                assertTrue(empty <= 1 || (idx == k.headerIndex() && empty <= 2), "seed " + seed + ": class " + i + " keeps " + empty);
            }
        }
        assertEquals(List.of(), m.pages.verify());
        assertEquals(List.of(), m.maps.verify());
    }

    /** Writes a pattern derived from {@code tag} over the requested bytes (in 8-byte words, then bytes). */
    private static void fill(PhysicalMemory ram, Kmalloc k, long b, long size, long tag) {
        long pa = k.physAddr(b);
        long x = tag;
        long i = 0;
        for (; i + 8 <= size; i += 8) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            ram.write64(pa + i, x);
        }
        for (; i < size; i++) {
            ram.write8(pa + i, (int) (tag >>> (i & 7) * 8));
        }
    }

    private static void check(PhysicalMemory ram, Kmalloc k, long b, long size, long tag, String where) {
        long pa = k.physAddr(b);
        long x = tag;
        long i = 0;
        for (; i + 8 <= size; i += 8) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            assertEquals(x, ram.read64(pa + i), where + ": word " + i / 8 + " of the block at 0x" + Long.toHexString(b));
        }
        for (; i < size; i++) {
            assertEquals((int) (tag >>> (i & 7) * 8) & 0xff, ram.read8(pa + i), where + ": byte " + i);
        }
    }
}
