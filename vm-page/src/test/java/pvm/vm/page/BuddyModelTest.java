package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Sizes;

/**
 * Seeded model-based test: random allocations and frees on a small bare machine, checked after
 * every step against a reference model (the live blocks and a bitmap of used pages) and the
 * allocator's own invariant checker. A failure names its seed and step.
 */
class BuddyModelTest {

    private static final long RAM = 8L << 20;
    private static final long RESERVE = 300L << 10;
    private static final int PAGE = 4096;
    private static final int STEPS = 4000;

    /** The reference: live blocks by address, their frames, and which pages are in use. */
    private static final class Model {
        final TreeMap<Long, Long> live = new TreeMap<>();
        final Map<Long, Integer> frameOf = new TreeMap<>();
        final BitSet used = new BitSet((int) (RAM / PAGE));
        long liveBytes;

        Model() {
            used.set(0, (int) (RESERVE / PAGE));
        }

        boolean allFree(long addr, long size) {
            int from = (int) (addr / PAGE);
            int to = (int) ((addr + size) / PAGE);
            return used.nextSetBit(from) < 0 || used.nextSetBit(from) >= to;
        }

        /** Whether some block of {@code size}, aligned to it, lies wholly in free pages. */
        boolean anyAlignedFree(long size) {
            for (long a = 0; a + size <= RAM; a += size) {
                if (allFree(a, size)) {
                    return true;
                }
            }
            return false;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 0x5eed, 20260630, 987654321})
    void completeCoalescingMatchesTheModel(long seed) {
        run(seed, Coalescing.COMPLETE);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 1234})
    void phoenixCoalescingKeepsTheListsConsistent(long seed) {
        run(seed, Coalescing.PHOENIX);
    }

    private static void run(long seed, Coalescing coalescing) {
        BuddyPageAllocator pages = Bare.ia32(RAM, RESERVE, PAGE, coalescing);
        PageFrames frames = pages.frames();
        Model model = new Model();
        SplittableRandom rnd = new SplittableRandom(seed);
        int refusals = 0;
        for (int step = 0; step < STEPS; step++) {
            String at = "seed " + seed + " (" + coalescing + "), step " + step + ": ";
            boolean doAlloc = model.live.isEmpty() || rnd.nextInt(100) < 55;
            if (doAlloc) {
                long size = randomSize(rnd);
                long block = 1L << Sizes.orderFor(Math.max(size, PAGE));
                int f = pages.allocFrame(size, PageFlags.OWNER_APP);
                if (f == PageFrames.NONE) {
                    refusals++;
                    if (coalescing == Coalescing.COMPLETE && model.anyAlignedFree(block)) {
                        fail(at + "alloc " + size + " refused although an aligned free block of " + block + " exists");
                    }
                } else {
                    long addr = frames.addr(f);
                    assertEquals(0, addr % block, at + "block at 0x" + Long.toHexString(addr) + " not aligned to " + block);
                    assertTrue(addr + block <= RAM, at + "block past the end of RAM");
                    assertTrue(model.allFree(addr, block), at + "block at 0x" + Long.toHexString(addr) + " overlaps a live block or the reserve");
                    assertEquals(Sizes.lastBit(block), frames.idx(f), at + "idx of the head");
                    model.used.set((int) (addr / PAGE), (int) ((addr + block) / PAGE));
                    model.live.put(addr, block);
                    model.frameOf.put(addr, f);
                    model.liveBytes += block;
                }
            } else {
                List<Long> addrs = new ArrayList<>(model.live.keySet());
                long addr = addrs.get(rnd.nextInt(addrs.size()));
                long block = model.live.remove(addr);
                int f = model.frameOf.remove(addr);
                assertEquals(Errno.EOK, pages.freeFrame(f), at + "free of 0x" + Long.toHexString(addr));
                model.used.clear((int) (addr / PAGE), (int) ((addr + block) / PAGE));
                model.liveBytes -= block;
                if (rnd.nextInt(10) == 0) {
                    assertEquals(Errno.EPAGE_DOUBLE_FREE, pages.freeFrame(f), at + "second free");
                }
            }
            assertEquals(List.of(), pages.verify(), at + "invariants");
            assertEquals(RESERVE + model.liveBytes, pages.allocatedBytes(), at + "allocated bytes");
            assertEquals(RAM - RESERVE - model.liveBytes, pages.freeBytes(), at + "free bytes");
        }
        assertTrue(refusals > 0, "seed " + seed + ": the run never ran out of memory; make it harder");
        for (int f : model.frameOf.values()) {
            assertEquals(Errno.EOK, pages.freeFrame(f), "seed " + seed + ": final free");
        }
        assertEquals(List.of(), pages.verify(), "seed " + seed + ": after freeing everything");
        if (coalescing == Coalescing.COMPLETE) {
            assertEquals(Bare.ia32(RAM, RESERVE, PAGE).freeLists(), pages.freeLists(),
                    "seed " + seed + ": everything freed coalesces back to the initial blocks");
        }
    }

    /** Mostly pages and small blocks, sometimes odd sizes, now and then something too big. */
    private static long randomSize(SplittableRandom rnd) {
        int kind = rnd.nextInt(100);
        if (kind < 50) {
            return PAGE;
        }
        if (kind < 80) {
            return 1L + rnd.nextInt(PAGE * 8);
        }
        if (kind < 97) {
            return (long) PAGE << rnd.nextInt(1, 9);
        }
        return RAM << rnd.nextInt(2);
    }
}
