package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Sizes;

/**
 * The allocator's fast paths (the {@code sizes[]} scan as a bit search, the split written as its end
 * state, the merge reading only the buddy) against {@link Reference}, a plain transcription of
 * {@code _page_alloc} and {@code vm_pageFree} that does every list operation Phoenix does. Seeded
 * random allocations and frees, on memory with holes and with both merge rules; after every step
 * the two must agree on the result and on every byte of the page-frame table and every list head.
 */
class BuddyFastPathTest {

    private static final int PAGE = 4096;
    private static final int STEPS = 3000;
    private static final int APP = PageFlags.OWNER_APP;
    private static final int[] FLAGS = {
        APP, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE,
        PageFlags.OWNER_KERNEL | PageFlags.KERNEL_STACK,
    };

    /** The straightforward algorithm, on its own page-frame table. */
    static final class Reference {
        final PageFrames frames;
        final int[] sizes = new int[BuddyPageAllocator.SIZE_VM_SIZES];
        final Coalescing coalescing;
        final int pageShift;
        long allocsz;

        Reference(PageFrames frames, Coalescing coalescing) {
            this.frames = frames;
            this.coalescing = coalescing;
            this.pageShift = frames.pageShift();
            java.util.Arrays.fill(sizes, PageFrames.NONE);
        }

        int alloc(long size, int flags) {
            if (size <= 0 || (flags & ~0xff) != 0 || (flags & PageFlags.FREE) != 0) {
                return PageFrames.NONE;
            }
            int start = Sizes.orderFor(Math.max(size, frames.pageSize()));
            int stop = start;
            while (stop < sizes.length && sizes[stop] == PageFrames.NONE) {
                stop++;
            }
            if (stop >= sizes.length) {
                return PageFrames.NONE;
            }
            int lh = sizes[stop];
            while (stop > start) {
                FreeLists.remove(frames, sizes, stop, lh);
                stop--;
                int half = frames.idx(lh) - 1;
                frames.setIdx(lh, half);
                int rh = lh + frames.framesIn(half);
                frames.setIdx(rh, half);
                FreeLists.add(frames, sizes, stop, lh);
                FreeLists.add(frames, sizes, stop, rh);
            }
            FreeLists.remove(frames, sizes, stop, lh);
            int n = frames.framesIn(frames.idx(lh));
            for (int i = lh; i < lh + n; i++) {
                frames.setFlags(i, (frames.flags(i) & ~PageFlags.FREE) | flags);
            }
            allocsz += (long) n * frames.pageSize();
            return lh;
        }

        int free(int p) {
            if (p < 0 || p >= frames.count()) {
                return Errno.EPAGE_BAD_FRAME;
            }
            if (frames.isFree(p)) {
                return Errno.EPAGE_DOUBLE_FREE;
            }
            int idx = frames.idx(p);
            if (idx == FrameIdx.UNOWNED) {
                return Errno.EPAGE_NOT_ALLOCATED;
            }
            if (idx == FrameIdx.INSIDE) {
                return Errno.EPAGE_NOT_HEAD;
            }
            int n = frames.framesIn(idx);
            for (int i = p; i < p + n; i++) {
                frames.setFlags(i, frames.flags(i) | PageFlags.FREE);
            }
            allocsz -= (long) n * frames.pageSize();
            int count = frames.count();
            long lh = p;
            long rh = p;
            if ((frames.addr(p) & ((1L << (idx + 1)) - 1)) != 0) {
                lh = p - framesOf(idx);
            } else {
                rh = p + framesOf(idx);
            }
            while (lh >= 0 && rh < count
                    && frames.isFree((int) lh) && frames.isFree((int) rh)
                    && frames.idx((int) lh) == frames.idx((int) rh) && frames.idx((int) lh) >= 0
                    && frames.addr((int) lh) + (1L << frames.idx((int) lh)) == frames.addr((int) rh)
                    && idx + 1 < sizes.length) {
                FreeLists.remove(frames, sizes, idx, p == lh ? (int) rh : (int) lh);
                frames.setIdx((int) rh, FrameIdx.INSIDE);
                frames.setIdx((int) lh, frames.idx((int) lh) + 1);
                idx++;
                p = (int) lh;
                if ((frames.addr(p) & ((1L << (idx + 1)) - 1)) != 0) {
                    lh = p - framesOf(idx);
                    if (coalescing == Coalescing.COMPLETE) {
                        rh = p;
                    }
                } else {
                    rh = p + framesOf(idx);
                }
            }
            FreeLists.add(frames, sizes, idx, p);
            return Errno.EOK;
        }

        private long framesOf(int order) {
            return order <= pageShift ? 1 : 1L << (order - pageShift);
        }
    }

    /** Pages of a memory map with holes: {start, end} pairs, in bytes. */
    private static final long[][] BANKS = {
        {0, 640L << 10},
        {1L << 20, 5L << 20},
        {(5L << 20) + 3 * PAGE, 9L << 20},
        {12L << 20, 16L << 20},
    };

    private static PageFrames layout() {
        int n = 0;
        for (long[] b : BANKS) {
            n += (int) ((b[1] - b[0]) / PAGE);
        }
        PageFrames frames = new PageFrames(n, PAGE);
        for (long[] b : BANKS) {
            for (long a = b[0]; a < b[1]; a += PAGE) {
                // A few frames the loader took, to leave unowned pages among free ones.
                boolean taken = a < (64L << 10) || (a >= (2L << 20) && a < (2L << 20) + 5 * PAGE);
                frames.add(a, taken ? PageFlags.OWNER_BOOT : PageFlags.FREE);
            }
        }
        return frames;
    }

    private static BuddyPageAllocator fast(Coalescing coalescing) {
        PageFrames frames = layout();
        BuddyPageAllocator pages = new BuddyPageAllocator(frames, Markers::ia32, 16, false, coalescing);
        pages.lock.lock();
        try {
            for (int f = 0; f < frames.count(); f++) {
                pages.discoveredLocked(f);
            }
            pages.initSizesLocked();
        } finally {
            pages.lock.unlock();
        }
        return pages;
    }

    private static Reference reference(BuddyPageAllocator fast, Coalescing coalescing) {
        PageFrames src = fast.frames();
        PageFrames frames = new PageFrames(src.count(), PAGE);
        for (int f = 0; f < src.count(); f++) {
            frames.add(src.addr(f), src.flags(f));
            frames.setIdx(f, src.idx(f));
            frames.setNext(f, src.next(f));
            frames.setPrev(f, src.prev(f));
        }
        Reference ref = new Reference(frames, coalescing);
        for (int order = 0; order < ref.sizes.length; order++) {
            ref.sizes[order] = fast.head(order);
        }
        ref.allocsz = fast.allocatedBytes();
        return ref;
    }

    private static void assertSame(String at, Reference ref, BuddyPageAllocator fast) {
        PageFrames a = ref.frames;
        PageFrames b = fast.frames();
        for (int order = 0; order < ref.sizes.length; order++) {
            assertEquals(ref.sizes[order], fast.head(order), at + "head of order " + order);
        }
        for (int f = 0; f < a.count(); f++) {
            if (a.flags(f) != b.flags(f) || a.idx(f) != b.idx(f) || a.next(f) != b.next(f) || a.prev(f) != b.prev(f)) {
                assertEquals(String.format("flags %x idx %d next %d prev %d", a.flags(f), a.idx(f), a.next(f), a.prev(f)),
                        String.format("flags %x idx %d next %d prev %d", b.flags(f), b.idx(f), b.next(f), b.prev(f)),
                        at + "frame " + f);
            }
        }
        assertEquals(ref.allocsz, fast.allocatedBytes(), at + "allocated bytes");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 77, 0x5eed, 20261121})
    void completeCoalescingMatchesTheTranscription(long seed) {
        run(seed, Coalescing.COMPLETE);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 77, 0x5eed, 20261121})
    void phoenixCoalescingMatchesTheTranscription(long seed) {
        run(seed, Coalescing.PHOENIX);
    }

    private static void run(long seed, Coalescing coalescing) {
        BuddyPageAllocator fast = fast(coalescing);
        Reference ref = reference(fast, coalescing);
        assertSame("seed " + seed + " after init: ", ref, fast);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> live = new ArrayList<>();
        int count = fast.frames().count();
        for (int step = 0; step < STEPS; step++) {
            String at = "seed " + seed + " step " + step + ": ";
            int op = random.nextInt(10);
            if (op < 5) {
                long size = random.nextInt(4) == 0 ? random.nextLong(1, 2L << 20) : (long) PAGE << random.nextInt(8);
                // Owners and uses vary, so a block's pages keep bits of earlier owners (flags are ORed in).
                int flags = random.nextInt(20) == 0 ? PageFlags.FREE : FLAGS[random.nextInt(FLAGS.length)];
                int f = fast.allocFrame(size, flags);
                assertEquals(ref.alloc(size, flags), f, at + "alloc " + size);
                if (f != PageFrames.NONE) {
                    live.add(f);
                }
            } else if (op < 9 && !live.isEmpty()) {
                int f = live.remove(random.nextInt(live.size()));
                assertEquals(ref.free(f), fast.freeFrame(f), at + "free " + f);
            } else {
                // A refused free: a frame in the middle of a block, an unowned or free one, none.
                int f = random.nextInt(-2, count + 2);
                if (f != PageFrames.NONE) {
                    assertEquals(ref.free(f), fast.freeFrame(f), at + "stray free " + f);
                    live.remove((Integer) f);
                }
            }
            assertSame(at, ref, fast);
        }
        assertEquals(List.of(), fast.verify(), "seed " + seed);
    }
}
