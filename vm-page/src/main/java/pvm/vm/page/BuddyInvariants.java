package pvm.vm.page;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;

/**
 * The buddy allocator's invariant checker (rule 10 of the design): it walks the free lists and the
 * page-frame table and says, in words, every way they disagree. It allocates freely; tests run it
 * after every operation, the allocator never does.
 *
 * <p>What must hold: every free list is circular with symmetric links; every listed block is free
 * in all its frames, of its list's order, aligned to its size, physically contiguous, with every
 * frame but the first marked {@link FrameIdx#INSIDE}; every free frame belongs to exactly one listed
 * block; every allocated frame is either one the allocator does not own ({@link FrameIdx#UNOWNED})
 * or part of an allocated block laid out like a free one; the allocated count is the sum over those;
 * the boot count is the sum over unowned frames of the boot owner; free plus allocated is the total.
 * With {@link Coalescing#COMPLETE} no two free buddies of one order may remain unmerged.
 */
final class BuddyInvariants {

    private static final int MAX_REPORTS = 50;

    private BuddyInvariants() {
    }

    static List<String> check(BuddyPageAllocator pages, PageFrames frames, Coalescing coalescing) {
        List<String> out = new ArrayList<>();
        int n = frames.count();
        int pageSize = frames.pageSize();
        int pageShift = frames.pageShift();
        // which listed block covers each free frame: its head, or NONE
        int[] coveredBy = new int[n];
        java.util.Arrays.fill(coveredBy, PageFrames.NONE);

        if (pages.totalLocked() != (long) n * pageSize) {
            report(out, "total %d bytes but %d frames of %d bytes", pages.totalLocked(), n, pageSize);
        }

        for (int order = 0; order < BuddyPageAllocator.SIZE_VM_SIZES; order++) {
            int head = pages.head(order);
            if (head == PageFrames.NONE) {
                continue;
            }
            if (head < 0 || head >= n) {
                report(out, "order %d: head %d is no frame", order, head);
                continue;
            }
            if (order < pageShift) {
                report(out, "order %d: a list below the page size (%d) is not empty", order, pageShift);
            }
            int f = head;
            int steps = 0;
            do {
                if (steps++ > n) {
                    report(out, "order %d: the list does not close into a circle", order);
                    break;
                }
                int next = frames.next(f);
                if (next < 0 || next >= n) {
                    report(out, "order %d: frame %d links to no frame (%d)", order, f, next);
                    break;
                }
                if (frames.prev(next) != f) {
                    report(out, "order %d: frame %d links to %d, which links back to %d", order, f, next, frames.prev(next));
                }
                checkFreeBlock(out, frames, order, f, coveredBy);
                f = next;
            } while (f != head);
        }

        long allocated = 0;
        long boot = 0;
        int i = 0;
        while (i < n) {
            int idx = frames.idx(i);
            if (frames.isFree(i)) {
                if (coveredBy[i] == PageFrames.NONE) {
                    report(out, "free frame %d (0x%08x) is on no free list", i, frames.addr(i));
                }
                i++;
                continue;
            }
            if (idx == FrameIdx.UNOWNED) {
                allocated += pageSize;
                if (PageFlags.owner(frames.flags(i)) == PageFlags.OWNER_BOOT) {
                    boot += pageSize;
                }
                i++;
                continue;
            }
            if (idx < pageShift || idx >= BuddyPageAllocator.SIZE_VM_SIZES) {
                report(out, "allocated frame %d (0x%08x) heads no block: idx %d", i, frames.addr(i), idx);
                i++;
                continue;
            }
            int len = frames.framesIn(idx);
            if (i + len > n) {
                report(out, "allocated block at frame %d of order %d runs past the table", i, idx);
                break;
            }
            checkAligned(out, frames, "allocated", idx, i);
            for (int j = i + 1; j < i + len; j++) {
                if (frames.isFree(j)) {
                    report(out, "allocated block at frame %d of order %d has free frame %d", i, idx, j);
                }
                if (frames.idx(j) != FrameIdx.INSIDE) {
                    report(out, "allocated block at frame %d of order %d: frame %d has idx %d, not INSIDE", i, idx, j, frames.idx(j));
                }
                if (frames.addr(j) != frames.addr(j - 1) + pageSize) {
                    report(out, "allocated block at frame %d of order %d spans a hole before frame %d", i, idx, j);
                }
            }
            allocated += (long) len * pageSize;
            i += len;
        }
        if (allocated != pages.allocatedLocked()) {
            report(out, "allocated count is %d bytes but the allocated blocks hold %d", pages.allocatedLocked(), allocated);
        }
        if (boot != pages.bootLocked()) {
            report(out, "boot count is %d bytes but boot-owned frames hold %d", pages.bootLocked(), boot);
        }
        if (pages.allocatedLocked() < 0 || pages.allocatedLocked() > pages.totalLocked()) {
            report(out, "allocated %d bytes out of a total of %d", pages.allocatedLocked(), pages.totalLocked());
        }

        if (coalescing == Coalescing.COMPLETE) {
            checkMerged(out, pages, frames);
        }
        return out.size() > MAX_REPORTS ? out.subList(0, MAX_REPORTS) : out;
    }

    private static void checkFreeBlock(List<String> out, PageFrames frames, int order, int f, int[] coveredBy) {
        int n = frames.count();
        if (frames.idx(f) != order) {
            report(out, "order %d: frame %d (0x%08x) has idx %d", order, f, frames.addr(f), frames.idx(f));
        }
        checkAligned(out, frames, "free", order, f);
        int len = frames.framesIn(order);
        if (f + (long) len > n) {
            report(out, "order %d: block at frame %d runs past the table", order, f);
            return;
        }
        for (int j = f; j < f + len; j++) {
            if (coveredBy[j] != PageFrames.NONE) {
                report(out, "frame %d is in two free blocks (heads %d and %d)", j, coveredBy[j], f);
            }
            coveredBy[j] = f;
            if (!frames.isFree(j)) {
                report(out, "order %d: block at frame %d has allocated frame %d", order, f, j);
            }
            if (j > f) {
                if (frames.idx(j) != FrameIdx.INSIDE) {
                    report(out, "order %d: block at frame %d: frame %d has idx %d, not INSIDE", order, f, j, frames.idx(j));
                }
                if (frames.addr(j) != frames.addr(j - 1) + frames.pageSize()) {
                    report(out, "order %d: block at frame %d spans a hole before frame %d", order, f, j);
                }
            }
        }
    }

    private static void checkAligned(List<String> out, PageFrames frames, String what, int order, int f) {
        if ((frames.addr(f) & ((1L << order) - 1)) != 0) {
            report(out, "%s block at 0x%08x is not aligned to its size 2^%d", what, frames.addr(f), order);
        }
    }

    /** No free block may have a free buddy of its own order next to it. */
    private static void checkMerged(List<String> out, BuddyPageAllocator pages, PageFrames frames) {
        int n = frames.count();
        for (int order = 0; order < BuddyPageAllocator.SIZE_VM_SIZES - 1; order++) {
            int head = pages.head(order);
            if (head < 0 || head >= n) {
                continue;
            }
            int f = head;
            int steps = 0;
            do {
                // each pair is looked at from its left block only, so it is reported once
                boolean left = (frames.addr(f) & (1L << order)) == 0;
                long b = f + (long) frames.framesIn(order);
                if (left && b < n) {
                    int buddy = (int) b;
                    long want = frames.addr(f) + (1L << order);
                    if (frames.addr(buddy) == want && frames.isFree(buddy) && frames.idx(buddy) == order) {
                        report(out, "free buddies of order %d at 0x%08x and 0x%08x were not merged", order, frames.addr(f), want);
                    }
                }
                f = frames.next(f);
            } while (f != head && f >= 0 && f < n && ++steps <= n);
        }
    }

    private static void report(List<String> out, String format, Object... args) {
        if (out.size() <= MAX_REPORTS) {
            out.add(String.format(format, args));
        }
    }
}
