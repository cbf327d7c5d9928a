package pvm.vm.page;

import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;

/**
 * The queue allocator's invariant checker: the queue ends (no cycle) after as many entries as it
 * counts; every queued frame is free and every free frame queued once; every other frame is either
 * unowned or handed out with an idx the accounting can use; the allocated count is what the frames
 * say (the image bytes counted at boot, one page per unowned frame, {@code 1 << idx} per handed-out
 * one, Phoenix's quirk) and free plus allocated is unchanged since boot.
 */
final class QueueInvariants {

    private QueueInvariants() {
    }

    static List<String> check(QueuePageAllocator pages, PageFrames frames) {
        List<String> out = new ArrayList<>();
        int n = frames.count();
        int pageSize = frames.pageSize();
        boolean[] queued = new boolean[n];
        int length = 0;
        for (int f = pages.headLocked(); f != PageFrames.NONE; f = frames.next(f)) {
            if (f < 0 || f >= n) {
                out.add("the queue links to no frame (" + f + ")");
                break;
            }
            if (queued[f]) {
                out.add(String.format("frame %d is queued twice (the queue has a cycle)", f));
                break;
            }
            queued[f] = true;
            length++;
            if (!frames.isFree(f)) {
                out.add(String.format("queued frame %d (0x%08x) is not free", f, frames.addr(f)));
            }
        }
        if (length != pages.queuedLocked()) {
            out.add(String.format("the queue holds %d frames but counts %d", length, pages.queuedLocked()));
        }
        long allocated = pages.imageLocked();
        long boot = 0;
        for (int f = 0; f < n; f++) {
            if (frames.isFree(f)) {
                if (!queued[f]) {
                    out.add(String.format("free frame %d (0x%08x) is not queued", f, frames.addr(f)));
                }
                continue;
            }
            int idx = frames.idx(f);
            if (idx == FrameIdx.UNOWNED) {
                allocated += pageSize;
                if (PageFlags.owner(frames.flags(f)) == PageFlags.OWNER_BOOT) {
                    boot += pageSize;
                }
            } else if (idx < 0 || idx > QueuePageAllocator.MAX_IDX) {
                out.add(String.format("allocated frame %d has idx %d", f, idx));
            } else {
                allocated += 1L << idx;
            }
        }
        if (allocated != pages.allocatedLocked()) {
            out.add(String.format("allocated count is %d bytes but the frames account for %d", pages.allocatedLocked(), allocated));
        }
        if (boot != pages.bootLocked()) {
            out.add(String.format("boot count is %d bytes but boot-owned frames hold %d", pages.bootLocked(), boot));
        }
        long total = (long) n * pageSize + pages.imageLocked();
        if (pages.freeBytesLocked() + pages.allocatedLocked() != total) {
            out.add(String.format("free %d + allocated %d is not the %d bytes discovered", pages.freeBytesLocked(), pages.allocatedLocked(), total));
        }
        return out;
    }
}
