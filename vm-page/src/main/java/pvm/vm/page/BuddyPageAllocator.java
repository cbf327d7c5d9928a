package pvm.vm.page;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/**
 * The buddy page allocator of Phoenix's {@code vm/page.c}.
 *
 * <p>Free memory is kept as blocks of a power-of-two size, each aligned to its size, on one circular
 * list per order ({@code sizes[idx]}, idx being log2 of the size in bytes), threaded through the
 * page-frame table. An allocation takes the head of the smallest non-empty list that fits and halves
 * it down to the wanted order, putting both halves on the list below each time (left first); a free
 * merges the block with its free buddy of the same order while it can.
 *
 * <p>One lock guards all of it ({@code pages_info.lock}): public methods take it, the
 * package-private {@code *Locked} methods expect it held.
 */
public final class BuddyPageAllocator extends LockedPageAllocator {

    /**
     * Number of free lists ({@code SIZE_VM_SIZES}). Phoenix sizes the array by the target's pointer
     * width, 32 on its 32-bit targets; 64 here lets bare machines of 4 GiB and more have blocks of
     * 4 GiB without overflowing the array. The allocation order is the same for every block below
     * 4 GiB.
     */
    static final int SIZE_VM_SIZES = 64;

    private final int pageShift;
    private final int[] sizes = new int[SIZE_VM_SIZES];
    /** Bit {@code k} set when {@code sizes[k]} is not empty: the {@code sizes[]} scan as one bit search. */
    private long nonEmpty;
    private final PageMarker marker;
    private final int pageDescriptorSize;
    private final boolean hasPmap;
    private final Coalescing coalescing;

    private long totalsz;
    private long allocsz;
    private long bootsz;

    BuddyPageAllocator(PageFrames frames, PageMarker marker, int pageDescriptorSize, boolean hasPmap, Coalescing coalescing) {
        super(frames);
        this.pageShift = frames.pageShift();
        this.marker = marker;
        this.pageDescriptorSize = pageDescriptorSize;
        this.hasPmap = hasPmap;
        this.coalescing = coalescing;
        java.util.Arrays.fill(sizes, PageFrames.NONE);
    }

    /**
     * {@code _page_init}: discovers physical memory through {@code hal}, grows the kernel heap for the
     * page_t array, builds the free lists, prepares the kernel's page tables for later address
     * spaces, prints the statistics and the page map, and maps the NULL page.
     *
     * @throws IllegalStateException when memory runs out during boot (Phoenix prints and gives up)
     */
    public static BuddyPageAllocator boot(Hal hal, Pmap kernel, KernelHeap heap, Consumer<String> console) {
        return boot(hal, kernel, heap, console, Coalescing.COMPLETE);
    }

    /** {@link #boot(Hal, Pmap, KernelHeap, Consumer)} with a chosen merge rule. */
    public static BuddyPageAllocator boot(Hal hal, Pmap kernel, KernelHeap heap, Consumer<String> console, Coalescing coalescing) {
        return PageInit.buddy(hal, kernel, heap, console, coalescing);
    }

    /**
     * An allocator with no machine behind it: frames for {@code [0, ramBytes)}, the first
     * {@code reserveBytes} (rounded up to pages) taken by the kernel, the rest free, laid out by
     * {@code _page_initSizes}. It has no address spaces ({@link #map} fails); its page map shows the
     * letters of {@code marker} and its statistics a {@code page_t} of {@code pageDescriptorSize}
     * bytes, a target's ({@link pvm.hal.pmap.Architecture#marker}, {@link pvm.hal.pmap.TargetAbi#pageT}).
     *
     * @throws IllegalArgumentException for a page size that is not a power of two, a RAM size that is
     *     not a positive number of pages, or a reserve outside {@code [0, ramBytes]}
     */
    public static BuddyPageAllocator bare(long ramBytes, long reserveBytes, int pageSize, PageMarker marker, int pageDescriptorSize) {
        return bare(ramBytes, reserveBytes, pageSize, marker, pageDescriptorSize, Coalescing.COMPLETE);
    }

    /** {@link #bare(long, long, int, PageMarker, int)} with a chosen merge rule. */
    public static BuddyPageAllocator bare(long ramBytes, long reserveBytes, int pageSize, PageMarker marker, int pageDescriptorSize,
            Coalescing coalescing) {
        return PageInit.bare(ramBytes, reserveBytes, pageSize, marker, pageDescriptorSize, coalescing);
    }

    public Coalescing coalescing() {
        return coalescing;
    }

    // ---- the work, lock held -------------------------------------------------------------------

    /** One page {@code pmap_getPage} found during {@code _page_init}: counted, and listed when free. */
    void discoveredLocked(int f) {
        assert lock.isHeldByCurrentThread() : "discoveredLocked without the lock";
        totalsz += pageSize;
        if (frames.isFree(f)) {
            frames.setIdx(f, pageShift);
            listAdd(pageShift, f);
        } else {
            frames.setIdx(f, FrameIdx.UNOWNED);
            allocsz += pageSize;
            if (PageFlags.owner(frames.flags(f)) == PageFlags.OWNER_BOOT) {
                bootsz += pageSize;
            }
        }
    }

    /**
     * {@code _page_alloc}: the smallest non-empty list at or above the wanted order gives its head,
     * which is halved down to that order.
     *
     * <p>Phoenix scans {@code sizes[]} upwards for the first non-empty list; {@link #nonEmpty} holds
     * one bit per list so the scan is one bit search. Each halving in Phoenix removes the block from
     * its list, puts the left and then the right half on the list below and takes the left half off
     * again. Every list passed on the way down was empty (that is why the scan went past it), so each
     * ends up holding the right half alone; that end state is written directly, without the list
     * operations in between.
     */
    @Override
    int allocLocked(long size, int flags) {
        assert lock.isHeldByCurrentThread() : "allocLocked without the lock";
        if (size <= 0 || (flags & ~0xff) != 0 || (flags & PageFlags.FREE) != 0) {
            return PageFrames.NONE;
        }
        int start = Sizes.orderFor(Math.max(size, pageSize));
        long fits = nonEmpty & (-1L << start);
        if (fits == 0) {
            return PageFrames.NONE;
        }
        int stop = Long.numberOfTrailingZeros(fits);
        int lh = sizes[stop];
        listRemove(stop, lh);
        PageFrames fr = frames;
        if (stop > start) {
            int order = fr.idx(lh);
            while (stop > start) {
                stop--;
                order--;
                int rh = lh + fr.framesIn(order);
                fr.setIdx(rh, order);
                fr.setNext(rh, rh);
                fr.setPrev(rh, rh);
                sizes[stop] = rh;
                nonEmpty |= 1L << stop;
            }
            fr.setIdx(lh, order);
        }
        int n = fr.framesIn(fr.idx(lh));
        // Phoenix ORs the new flags into the old ones: a page's earlier owner bits survive a free
        // and show in its marker (a page table page reused for an app reads as U on ia32).
        fr.markAllocated(lh, n, flags);
        allocsz += (long) n * pageSize;
        return lh;
    }

    /**
     * {@code vm_pageFree} after the lock: checks the frame, then frees and merges. The merging is a
     * method of its own so that this, the common part, stays small enough for the JIT to inline into
     * the caller.
     */
    @Override
    int freeLocked(int p) {
        assert lock.isHeldByCurrentThread() : "freeLocked without the lock";
        int code = check(p);
        if (code != Errno.EOK) {
            return code;
        }
        PageFrames fr = frames;
        int idx = fr.idx(p);
        int n = fr.framesIn(idx);
        fr.markFree(p, n);
        allocsz -= (long) n * pageSize;
        mergeLocked(p, idx);
        return Errno.EOK;
    }

    /**
     * The merging half of {@code vm_pageFree}: while the block's buddy of the same order is free
     * (and really its buddy: contiguous, not across a hole), takes the buddy off its list and
     * doubles the block; then lists the block.
     *
     * <p>Phoenix keeps two cursors, {@code lh} and {@code rh}, and checks both halves of the pair:
     * free, of one order, that order not negative, contiguous. One of the two is always the block
     * being freed, which is free and of order {@code idx}, so only the buddy is read here. The one
     * exception is {@link Coalescing#PHOENIX}: once a merged block is a right half, Phoenix's
     * {@code rh} is left on the old right half, now inside the block and of no order, so its checks
     * fail and merging ends; that is the {@code merged && right} stop below.
     */
    private void mergeLocked(int p, int idx) {
        assert lock.isHeldByCurrentThread() : "mergeLocked without the lock";
        PageFrames fr = frames;
        int count = fr.count();
        boolean phoenix = coalescing == Coalescing.PHOENIX;
        boolean merged = false;
        long addr = fr.addr(p);
        // Phoenix bounds idx by SIZE_VM_SIZES before merging, which lets a merge reach one past the
        // array; bounding idx + 1 keeps the merged order a valid list.
        while (idx >= 0 && idx + 1 < SIZE_VM_SIZES) {
            boolean right = (addr & ((1L << (idx + 1)) - 1)) != 0;
            if (right && merged && phoenix) {
                break;
            }
            long step = framesOf(idx);
            long b = right ? p - step : p + step;
            if (b < 0 || b >= count) {
                break;
            }
            int buddy = (int) b;
            if (!fr.isFree(buddy) || fr.idx(buddy) != idx) {
                break;
            }
            long buddyAddr = fr.addr(buddy);
            if (right ? buddyAddr + (1L << idx) != addr : addr + (1L << idx) != buddyAddr) {
                break;
            }
            listRemove(idx, buddy);
            int lh = right ? buddy : p;
            int rh = right ? p : buddy;
            fr.setIdx(rh, FrameIdx.INSIDE);
            idx++;
            fr.setIdx(lh, idx);
            p = lh;
            if (right) {
                addr = buddyAddr;
            }
            merged = true;
        }
        listAdd(idx, p);
    }

    /** {@code LIST_ADD(&sizes[order], t)}, keeping {@link #nonEmpty} in step. */
    private void listAdd(int order, int t) {
        FreeLists.add(frames, sizes, order, t);
        nonEmpty |= 1L << order;
    }

    /** {@code LIST_REMOVE(&sizes[order], t)}, keeping {@link #nonEmpty} in step. */
    private void listRemove(int order, int t) {
        FreeLists.remove(frames, sizes, order, t);
        if (sizes[order] == PageFrames.NONE) {
            nonEmpty &= ~(1L << order);
        }
    }

    @Override
    int check(int p) {
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
        return Errno.EOK;
    }

    private long framesOf(int order) {
        return order <= pageShift ? 1 : 1L << (order - pageShift);
    }

    @Override
    long blockBytes(int p) {
        return framesOf(frames.idx(p)) * pageSize;
    }

    /**
     * {@code _page_initSizes}: replaces the one-page blocks listed during discovery by the largest
     * blocks the free pages allow. A block starts at the first free page not yet placed; its address
     * bounds its order (a block is aligned to its size; {@code hal_cpuGetFirstBit} gives 0 for
     * address 0, which then bounds nothing), and so does the run of free pages that follows;
     * the order is log2 of that run, rounded down.
     *
     * <p>Phoenix counts a run by the free flag alone. A run here also ends where the next frame is
     * not the next page (a hole in physical memory): Phoenix would otherwise build a block across the
     * hole whose end is not RAM, on a memory map where free pages touch both sides of a hole.
     */
    void initSizesLocked() {
        assert lock.isHeldByCurrentThread() : "initSizesLocked without the lock";
        sizes[pageShift] = PageFrames.NONE;
        nonEmpty &= ~(1L << pageShift);
        int n = frames.count();
        int i = 0;
        while (i < n) {
            if (!frames.isFree(i)) {
                i++;
                continue;
            }
            int idx = Sizes.firstBit(frames.addr(i));
            if (idx >= SIZE_VM_SIZES) {
                idx = SIZE_VM_SIZES - 1;
            }
            long most = idx < pageShift ? Long.MAX_VALUE : 1L << (idx - pageShift);
            long k = 0;
            while (k < most - 1 && i + k < n - 1) {
                int next = (int) (i + k + 1);
                if (!frames.isFree(next) || frames.addr(next) != frames.addr(next - 1) + pageSize) {
                    break;
                }
                k++;
            }
            idx = Sizes.lastBit((k + 1) * pageSize);
            frames.setIdx(i, idx);
            listAdd(idx, i);
            int len = frames.framesIn(idx);
            for (int j = i + 1; j < i + len; j++) {
                frames.setIdx(j, FrameIdx.INSIDE);
                frames.setNext(j, PageFrames.NONE);
                frames.setPrev(j, PageFrames.NONE);
            }
            i += len;
        }
    }

    /**
     * {@code _page_map}: enters the mapping, offering a fresh page-table page each time the HAL
     * asks for one. A page offered and asked for again was used for one level of tables (the HAL
     * asks only for missing tables), so it is not freed; when no page is left, nothing allocated
     * here is unused.
     */
    boolean mapLocked(Pmap pmap, VirtAddr va, PhysAddr pa, int attr) {
        assert lock.isHeldByCurrentThread() : "mapLocked without the lock";
        int ap = PageFrames.NONE;
        while (pmap.enter(pa, va, attr, frame(ap)) != Pmap.EnterResult.OK) {
            ap = allocLocked(pageSize, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
            if (ap == PageFrames.NONE) {
                return false;
            }
        }
        return true;
    }

    /** {@code _page_sbrk}: one more page of kernel heap, mapped at {@code heap.top}. */
    boolean sbrkLocked(Pmap kernel, KernelHeap heap) {
        assert lock.isHeldByCurrentThread() : "sbrkLocked without the lock";
        int np = allocLocked(pageSize, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP);
        if (np == PageFrames.NONE) {
            return false;
        }
        if (!mapLocked(kernel, VirtAddr.of(heap.top()), PhysAddr.of(frames.addr(np)), Attr.READ | Attr.WRITE | Attr.PRESENT)) {
            return false;
        }
        heap.setTop(heap.top() + pageSize);
        return true;
    }

    static Frame frame(int f) {
        return f == PageFrames.NONE ? Frame.NONE : new Frame(f);
    }

    int head(int order) {
        return sizes[order];
    }

    @Override
    long totalLocked() {
        assert lock.isHeldByCurrentThread() : "totalLocked without the lock";
        return totalsz;
    }

    @Override
    long allocatedLocked() {
        assert lock.isHeldByCurrentThread() : "allocatedLocked without the lock";
        return allocsz;
    }

    @Override
    long bootLocked() {
        assert lock.isHeldByCurrentThread() : "bootLocked without the lock";
        return bootsz;
    }

    // ---- the API -------------------------------------------------------------------------------

    @Override
    public PageInfo info() {
        lock.lock();
        try {
            return new PageInfo(allocsz, totalsz - allocsz, bootsz, pageDescriptorSize, PageMapPrinter.runs(frames, marker));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> showPages() {
        lock.lock();
        try {
            return showPagesLocked();
        } finally {
            lock.unlock();
        }
    }

    List<String> showPagesLocked() {
        assert lock.isHeldByCurrentThread() : "showPagesLocked without the lock";
        return PageMapPrinter.lines(frames, marker);
    }

    @Override
    public List<String> freeLists() {
        lock.lock();
        try {
            List<String> out = new ArrayList<>();
            for (int order = 0; order < SIZE_VM_SIZES; order++) {
                if (sizes[order] != PageFrames.NONE) {
                    out.add("order " + order + ": " + FreeLists.length(frames, sizes[order], frames.count()) + " free");
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<FreeBlock> freeBlocks() {
        lock.lock();
        try {
            List<FreeBlock> out = new ArrayList<>();
            for (int order = 0; order < SIZE_VM_SIZES; order++) {
                int head = sizes[order];
                if (head == PageFrames.NONE) {
                    continue;
                }
                // The lists are circular; the limit stops a corrupt one (the checker reports it).
                int f = head;
                int n = 0;
                do {
                    out.add(new FreeBlock(frames.addr(f), order));
                    f = frames.next(f);
                } while (f != head && f >= 0 && f < frames.count() && ++n < frames.count());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Either<VmError, Void> map(Pmap pmap, VirtAddr va, PhysAddr pa, int attr) {
        if (!hasPmap) {
            return Either.left(VmError.einval("a bare page allocator has no address spaces to map into"));
        }
        lock.lock();
        try {
            return mapLocked(pmap, va, pa, attr)
                    ? Either.right(null)
                    : Either.left(VmError.enomem(String.format("no page left for a page table to map 0x%08x", va.value())));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> verify() {
        lock.lock();
        try {
            return BuddyInvariants.check(this, frames, coalescing);
        } finally {
            lock.unlock();
        }
    }

    int pageDescriptorSize() {
        return pageDescriptorSize;
    }
}
