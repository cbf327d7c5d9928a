package pvm.vm.page;

import io.vavr.control.Either;
import java.util.List;
import java.util.function.Consumer;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.PmapInit;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/**
 * The page allocator of Phoenix's {@code vm/page-nommu.c}, for targets without an MMU: one singly
 * linked queue of free pages threaded through the frames' {@code next} links. An allocation takes
 * the head, a free pushes onto the head, so the page freed last is the next handed out. There are
 * no blocks: every allocation gets exactly one page, whatever size it asked for.
 *
 * <p>The accounting is Phoenix's, quirks included: an allocation of {@code size} moves
 * {@code 1 << idx} bytes (idx = log2 of size rounded up, not rounded to a page) from free to
 * allocated, although one page is handed out, and a free moves them back. Ask for 1 MiB and the
 * free figure drops by 1 MiB for one 512-byte page; ask for 16 bytes and it drops by 16. The figures
 * stop describing memory (free can even go below zero, where Phoenix's unsigned count wraps); their
 * sum stays constant. The lead lists this in docs/differences.md as kept on purpose.
 *
 * <p>Unlike Phoenix, allocation marks the page with the caller's flags and free sets the free bit:
 * Phoenix ignores the flags here, but the flags are what lets a double free be refused.
 */
public final class QueuePageAllocator extends LockedPageAllocator {

    /** The largest {@code idx} whose {@code 1 << idx} is still a positive {@code long}. */
    static final int MAX_IDX = 62;

    private final int pageDescriptorSize;

    private int freeq = PageFrames.NONE;
    private int queued;
    /** Bytes from {@code __bss_start} to the page_t array, which Phoenix counts allocated; no frame holds them. */
    private long imagesz;
    private long allocsz;
    private long freesz;
    private long bootsz;

    QueuePageAllocator(PageFrames frames, int pageDescriptorSize) {
        super(frames);
        this.pageDescriptorSize = pageDescriptorSize;
    }

    /**
     * {@code _page_init} of {@code vm/page-nommu.c}: discovers the pages the kernel may hand out and
     * queues them in address order, after taking the first ones for the page_t array.
     */
    public static QueuePageAllocator boot(Hal hal, PmapInit init, KernelHeap heap, Consumer<String> console) {
        return PageInit.queue(hal, init, heap, console);
    }

    /**
     * Builds the queue from the discovered frames: the first {@code arrayPages} free frames hold the
     * page_t array (kernel heap), frames not free when discovered stay with their owner, the rest are
     * queued in address order. {@code imageBytes}, the memory from {@code __bss_start} up to the
     * array, is counted allocated as {@code _page_init} counts it.
     */
    void initLocked(long arrayPages, long imageBytes) {
        assert lock.isHeldByCurrentThread() : "initLocked without the lock";
        imagesz = imageBytes;
        allocsz = imageBytes;
        int count = frames.count();
        long taken = 0;
        int tail = PageFrames.NONE;
        for (int f = 0; f < count; f++) {
            frames.setNext(f, PageFrames.NONE);
            frames.setPrev(f, PageFrames.NONE);
            if (!frames.isFree(f)) {
                frames.setIdx(f, FrameIdx.UNOWNED);
                allocsz += pageSize;
                if (PageFlags.owner(frames.flags(f)) == PageFlags.OWNER_BOOT) {
                    bootsz += pageSize;
                }
            } else if (taken < arrayPages) {
                frames.setIdx(f, FrameIdx.UNOWNED);
                frames.setFlags(f, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP);
                allocsz += pageSize;
                taken++;
            } else {
                frames.setIdx(f, 0);
                if (tail == PageFrames.NONE) {
                    freeq = f;
                } else {
                    frames.setNext(tail, f);
                }
                tail = f;
                queued++;
                freesz += pageSize;
            }
        }
    }

    /** {@code _page_alloc} of {@code vm/page-nommu.c}. */
    @Override
    int allocLocked(long size, int flags) {
        assert lock.isHeldByCurrentThread() : "allocLocked without the lock";
        if (size <= 0 || (flags & ~0xff) != 0 || (flags & PageFlags.FREE) != 0) {
            return PageFrames.NONE;
        }
        int idx = Sizes.orderFor(size);
        if (idx > MAX_IDX) {
            return PageFrames.NONE;
        }
        int lh = freeq;
        if (lh == PageFrames.NONE) {
            return PageFrames.NONE;
        }
        freeq = frames.next(lh);
        frames.setNext(lh, PageFrames.NONE);
        frames.setIdx(lh, idx);
        frames.setFlags(lh, (frames.flags(lh) & ~PageFlags.FREE) | flags);
        queued--;
        // Phoenix's quirk, kept: the counts move by the requested block, not by the one page.
        freesz -= 1L << idx;
        allocsz += 1L << idx;
        return lh;
    }

    /** {@code vm_pageFree} of {@code vm/page-nommu.c}, with the checks Phoenix does not make. */
    @Override
    int freeLocked(int p) {
        assert lock.isHeldByCurrentThread() : "freeLocked without the lock";
        int code = check(p);
        if (code != Errno.EOK) {
            return code;
        }
        int idx = frames.idx(p);
        frames.setNext(p, freeq);
        freeq = p;
        queued++;
        frames.setFlags(p, frames.flags(p) | PageFlags.FREE);
        freesz += 1L << idx;
        allocsz -= 1L << idx;
        return Errno.EOK;
    }

    /** Frees give back {@code 1 << idx} bytes to the accounting, not the one page (Phoenix's quirk). */
    @Override
    long blockBytes(int p) {
        return 1L << frames.idx(p);
    }

    @Override
    int check(int p) {
        if (p < 0 || p >= frames.count()) {
            return Errno.EPAGE_BAD_FRAME;
        }
        if (frames.isFree(p)) {
            return Errno.EPAGE_DOUBLE_FREE;
        }
        if (frames.idx(p) == FrameIdx.UNOWNED) {
            return Errno.EPAGE_NOT_ALLOCATED;
        }
        return Errno.EOK;
    }

    /**
     * {@code page_map} of {@code vm/page-nommu.c}: one attempt without a page table, one with. Phoenix
     * ignores the second answer; here a second refusal is {@code ENOMEM} (the offered page was used
     * for a table, as the HAL asks only for missing ones).
     */
    boolean mapLocked(Pmap pmap, VirtAddr va, PhysAddr pa, int attr) {
        assert lock.isHeldByCurrentThread() : "mapLocked without the lock";
        if (pmap.enter(pa, va, attr, Frame.NONE) == Pmap.EnterResult.OK) {
            return true;
        }
        int ap = allocLocked(pageSize, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_PTABLE);
        if (ap == PageFrames.NONE) {
            return false;
        }
        return pmap.enter(pa, va, attr, new Frame(ap)) == Pmap.EnterResult.OK;
    }

    int headLocked() {
        assert lock.isHeldByCurrentThread() : "headLocked without the lock";
        return freeq;
    }

    int queuedLocked() {
        assert lock.isHeldByCurrentThread() : "queuedLocked without the lock";
        return queued;
    }

    /** The image bytes counted allocated at boot (see {@link #initLocked}); no frame holds them. */
    long imageLocked() {
        assert lock.isHeldByCurrentThread() : "imageLocked without the lock";
        return imagesz;
    }

    /** Free plus allocated: what discovery found, as the quirk keeps their sum constant. */
    @Override
    long totalLocked() {
        assert lock.isHeldByCurrentThread() : "totalLocked without the lock";
        return freesz + allocsz;
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

    /**
     * {@code vm_pageGetStats}: Phoenix's {@code freesz}, which the quirk above can take below zero
     * ({@link #freeBytes()} gives the same figure, as total less allocated).
     */
    long freeBytesLocked() {
        assert lock.isHeldByCurrentThread() : "freeBytesLocked without the lock";
        return freesz;
    }

    // ---- the API -------------------------------------------------------------------------------

    @Override
    public PageInfo info() {
        lock.lock();
        try {
            return new PageInfo(allocsz, freesz, bootsz, pageDescriptorSize, List.of());
        } finally {
            lock.unlock();
        }
    }

    /** {@code _page_showPages} of {@code vm/page-nommu.c} prints nothing. */
    @Override
    public List<String> showPages() {
        return List.of();
    }

    @Override
    public List<String> freeLists() {
        lock.lock();
        try {
            return List.of("queue: " + queued + " free");
        } finally {
            lock.unlock();
        }
    }

    /** The queued pages, each a block of one page, in queue order. */
    @Override
    public List<FreeBlock> freeBlocks() {
        lock.lock();
        try {
            List<FreeBlock> out = new java.util.ArrayList<>();
            int order = frames.pageShift();
            for (int f = freeq, n = 0; f != PageFrames.NONE && n < frames.count(); f = frames.next(f), n++) {
                out.add(new FreeBlock(frames.addr(f), order));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Either<VmError, Void> map(Pmap pmap, VirtAddr va, PhysAddr pa, int attr) {
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
            return QueueInvariants.check(this, frames);
        } finally {
            lock.unlock();
        }
    }
}
