package pvm.vm.kmalloc;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import pvm.hal.pmap.Sizes;
import pvm.vm.zone.VmZone;

/**
 * kmalloc's invariant checker. Run with kmalloc's lock held: every zone's free list in RAM is sound
 * and is the exact complement of its allocation bitmap; each zone is on the list its fill says
 * ({@code sizes[idx]} or {@code used}), once; the counters ({@code allocsz}, {@code hdrblocks}, the
 * empty zones per class) equal a recount; every zone but the first has an allocated header block of
 * its own, marked as such, and no other block is marked; the address lookup knows exactly the zones' pages; no two zones overlap.
 */
final class KmallocInvariants {

    private KmallocInvariants() {
    }

    static List<String> check(Kmalloc k) {
        List<String> out = new ArrayList<>();
        ZoneSlots slots = k.slots();
        int hdridx = k.headerIndex();
        int shift = k.pageShift();
        long allocsz = 0;
        long hdrFree = 0;
        long indexedPages = 0;
        int[] emptyRecount = new int[Kmalloc.SIZES];
        int[] onLists = new int[slots.count()];
        Set<Long> headers = new HashSet<>();
        List<long[]> ranges = new ArrayList<>();

        walk(out, slots, k.sizesHeads(), onLists, false);
        walk(out, slots, new int[] {k.usedHead()}, onLists, true);

        for (int s = 0; s < slots.count(); s++) {
            VmZone z = slots.zone[s];
            if (z == null) {
                continue;
            }
            String name = String.format("zone 0x%08x", z.vaddr());
            if (z.isDestroyed()) {
                out.add("slot " + s + " holds a destroyed zone");
                continue;
            }
            for (String v : z.verify()) {
                out.add(v);
            }
            int idx = Sizes.lastBit(z.blocksz());
            if (idx < Sizes.orderFor(Kmalloc.MIN_SIZE) || idx >= Kmalloc.SIZES || Long.bitCount(z.blocksz()) != 1) {
                out.add(name + ": block size " + z.blocksz() + " is no kmalloc class");
                continue;
            }
            if (onLists[s] != 1) {
                out.add(String.format("%s is on %d lists, expected 1", name, onLists[s]));
            }
            if (slots.allocatedCount(s) != z.used()) {
                out.add(String.format("%s: %d blocks marked allocated, used says %d", name, slots.allocatedCount(s), z.used()));
            }
            BitSet free = z.freeBlocks();
            for (int b = 0; b < z.blocks(); b++) {
                if (free.get(b) == slots.isAllocated(s, b)) {
                    out.add(String.format("%s: block %d is %s in the bitmap and %s on the free list", name, b,
                            slots.isAllocated(s, b) ? "allocated" : "free", free.get(b) ? "free" : "absent"));
                    break;
                }
            }
            allocsz += (long) z.used() * z.blocksz();
            if (idx == hdridx) {
                hdrFree += z.blocks() - z.used();
            }
            if (z.used() == 0) {
                emptyRecount[idx]++;
            }
            if (s == k.firstzone()) {
                if (slots.hdr[s] != 0) {
                    out.add("the first zone has a header block");
                }
            } else {
                long h = slots.hdr[s];
                int hs = k.zoneOfLocked(h);
                if (hs == ZoneSlots.NONE || slots.zone[hs].blocksz() != 1L << hdridx || !slots.zone[hs].isBlock(h)
                        || !slots.isAllocated(hs, slots.zone[hs].blockIndex(h))) {
                    out.add(String.format("%s: its header 0x%08x is not an allocated header block", name, h));
                } else if (!slots.isHeader(hs, slots.zone[hs].blockIndex(h))) {
                    out.add(String.format("%s: its header 0x%08x is not marked as a header", name, h));
                } else if (!headers.add(h)) {
                    out.add(String.format("%s: header block 0x%08x is shared with another zone", name, h));
                }
            }
            long first = z.vaddr() >>> shift;
            long n = (z.mappedBytes() + (1L << shift) - 1) >>> shift;
            for (long p = 0; p < n; p++) {
                if (k.index().get(first + p) != s) {
                    out.add(String.format("%s: the lookup does not find page 0x%08x", name, (first + p) << shift));
                    break;
                }
            }
            indexedPages += n;
            ranges.add(new long[] {z.vaddr(), z.vaddr() + z.mappedBytes()});
        }
        int marks = 0;
        for (int s = 0; s < slots.count(); s++) {
            if (slots.zone[s] != null) {
                marks += slots.headerCount(s);
            }
        }
        if (marks != slots.live() - 1) {
            out.add(String.format("%d blocks are marked as zone headers, %d zones have one", marks, slots.live() - 1));
        }
        if (k.index().size() != indexedPages) {
            out.add(String.format("the lookup holds %d pages, the zones span %d", k.index().size(), indexedPages));
        }
        if (allocsz != k.allocszLocked()) {
            out.add(String.format("allocsz is %d, the zones hold %d", k.allocszLocked(), allocsz));
        }
        if (hdrFree != k.hdrblocksLocked()) {
            out.add(String.format("hdrblocks is %d, the header zones have %d free blocks", k.hdrblocksLocked(), hdrFree));
        }
        for (int i = 0; i < Kmalloc.SIZES; i++) {
            if (emptyRecount[i] != k.emptyCounts()[i]) {
                out.add(String.format("sizes[%d]: %d empty zones counted, %d recorded", i, emptyRecount[i], k.emptyCounts()[i]));
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i)[0] < ranges.get(i - 1)[1]) {
                out.add(String.format("zones at 0x%08x and 0x%08x overlap", ranges.get(i - 1)[0], ranges.get(i)[0]));
            }
        }
        return out;
    }

    /** Walks the circular lists at {@code heads}, counting each slot met and checking the links. */
    private static void walk(List<String> out, ZoneSlots slots, int[] heads, int[] onLists, boolean full) {
        for (int i = 0; i < heads.length; i++) {
            int head = heads[i];
            if (head == ZoneSlots.NONE) {
                continue;
            }
            String list = full ? "the used list" : "sizes[" + i + "]";
            int s = head;
            int steps = 0;
            do {
                if (s < 0 || s >= slots.count() || slots.zone[s] == null) {
                    out.add(list + " reaches a slot with no zone: " + s);
                    return;
                }
                VmZone z = slots.zone[s];
                onLists[s]++;
                if (slots.prev[slots.next[s]] != s) {
                    out.add(list + ": broken links at zone " + String.format("0x%08x", z.vaddr()));
                    return;
                }
                boolean isFull = z.used() == z.blocks();
                if (isFull != full) {
                    out.add(String.format("zone 0x%08x (%d/%d) is on %s", z.vaddr(), z.used(), z.blocks(), list));
                }
                if (!full && Sizes.lastBit(z.blocksz()) != i) {
                    out.add(String.format("zone 0x%08x of %d-byte blocks is on %s", z.vaddr(), z.blocksz(), list));
                }
                s = slots.next[s];
                if (++steps > slots.count()) {
                    out.add(list + " does not close");
                    return;
                }
            } while (s != head);
        }
    }
}
