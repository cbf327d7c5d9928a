package pvm.vm.page;

import io.vavr.control.Either;
import io.vavr.control.Option;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VmError;

/**
 * What the buddy and the queue allocator share: Phoenix's one lock around the page allocator
 * ({@code pages_info.lock} in page.c, {@code pages.lock} in page-nommu.c) and the public calls
 * that take it and hand the work to the allocator's {@code *Locked} methods.
 */
abstract sealed class LockedPageAllocator implements PageAllocator permits BuddyPageAllocator, QueuePageAllocator {

    /** Public methods take it; {@code *Locked} methods expect it held. */
    final KernelLock lock = new KernelLock();
    final PageFrames frames;
    final int pageSize;
    /** Bytes set aside by {@link #reserve} (commitments); 0 unless a policy commits memory. */
    private long reserved;
    private volatile PageReclaimer reclaimer;
    /** The machine's one injector: {@code *Locked} allocations consult it first. */
    final AllocationFailures failures = new AllocationFailures();

    LockedPageAllocator(PageFrames frames) {
        this.frames = frames;
        this.pageSize = frames.pageSize();
    }

    /** {@code _page_alloc}: the head of a block of at least {@code size} bytes, or {@link PageFrames#NONE}. */
    abstract int allocLocked(long size, int flags);

    /** {@code vm_pageFree} after the lock: {@link Errno#EOK} or why the frame cannot be freed. */
    abstract int freeLocked(int frame);

    /** Why {@code frame} cannot be freed, or {@link Errno#EOK}; changes nothing. */
    abstract int check(int frame);

    /** The bytes the accounting gives back when the block headed by {@code frame} is freed. */
    abstract long blockBytes(int frame);

    /** Bytes of memory the allocator manages ({@code totalsz}). */
    abstract long totalLocked();

    /** Bytes handed out ({@code allocsz}). */
    abstract long allocatedLocked();

    /** Bytes the boot owns ({@code bootsz}). */
    abstract long bootLocked();

    /**
     * {@code vm_pageAlloc}; beyond Phoenix, a block is handed out only while the free memory left
     * covers every reservation, and before an application page is refused the reclaimer (if any)
     * is asked to free some, once, outside the lock.
     */
    @Override
    public final int allocFrame(long size, int flags) {
        int f = allocUnreserved(size, flags);
        PageReclaimer r = reclaimer;
        if (f == PageFrames.NONE && r != null && size > 0 && (PageFlags.owner(flags) & PageFlags.OWNER_APP) != 0
                && r.reclaim(size) > 0) {
            f = allocUnreserved(size, flags);
        }
        return f;
    }

    private int allocUnreserved(long size, int flags) {
        lock.lock();
        try {
            return allocUnreservedLocked(size, flags);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #allocLocked} that leaves the reserved pages alone: every allocation goes through it
     * (page tables and the kernel heap's growth too), so a reservation always finds its pages.
     */
    final int allocUnreservedLocked(long size, int flags) {
        assert lock.isHeldByCurrentThread() : "allocUnreservedLocked without the lock";
        if (reserved == 0) {
            return allocLocked(size, flags);
        }
        if (totalLocked() - allocatedLocked() - reserved < size) {
            return PageFrames.NONE;
        }
        // A block may be larger than asked for (the buddy's power of two): it must fit too.
        int f = allocLocked(size, flags);
        if (f != PageFrames.NONE && totalLocked() - allocatedLocked() < reserved) {
            freeLocked(f);
            return PageFrames.NONE;
        }
        return f;
    }

    @Override
    public final boolean reserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative reservation " + bytes);
        }
        lock.lock();
        try {
            if (totalLocked() - allocatedLocked() - reserved < bytes) {
                return false;
            }
            reserved += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void unreserve(long bytes) {
        lock.lock();
        try {
            if (bytes < 0 || bytes > reserved) {
                throw new IllegalStateException("unreserving " + bytes + " bytes of " + reserved + " reserved");
            }
            reserved -= bytes;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final long reservedBytes() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void setReclaimer(PageReclaimer reclaimer) {
        this.reclaimer = reclaimer;
    }

    /** The reservation's invariant: it never exceeds the free memory. */
    final void verifyReserved(java.util.List<String> errors) {
        lock.lock();
        try {
            long free = totalLocked() - allocatedLocked();
            // Without a reservation there is nothing to check (the queue allocator's free figure may even go below zero).
            if (reserved != 0 && (reserved < 0 || reserved > free)) {
                errors.add(String.format("%d bytes reserved, but %d are free", reserved, free));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final int freeFrame(int frame) {
        if (frame == PageFrames.NONE) {
            return Errno.EOK;
        }
        lock.lock();
        try {
            return freeLocked(frame);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final Option<Frame> alloc(Size size, int flags) {
        int f = allocFrame(size.bytes(), flags);
        return f == PageFrames.NONE ? Option.none() : Option.some(new Frame(f));
    }

    @Override
    public final Either<VmError, Size> free(Frame frame) {
        if (frame.isNone()) {
            return Either.right(Size.ZERO);
        }
        lock.lock();
        try {
            int f = frame.index();
            int code = check(f);
            if (code != Errno.EOK) {
                return Either.left(FreeErrors.of(code, f, frames));
            }
            long bytes = blockBytes(f);
            freeLocked(f);
            return Either.right(Size.of(bytes));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final long totalBytes() {
        lock.lock();
        try {
            return totalLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final long allocatedBytes() {
        lock.lock();
        try {
            return allocatedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final long bootBytes() {
        lock.lock();
        try {
            return bootLocked();
        } finally {
            lock.unlock();
        }
    }

    /** {@code vm_pageGetStats}: total less allocated (on the queue allocator, Phoenix's {@code freesz}). */
    @Override
    public final long freeBytes() {
        lock.lock();
        try {
            return totalLocked() - allocatedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final AllocationFailures failures() {
        return failures;
    }

    @Override
    public final PageFrames frames() {
        return frames;
    }

    @Override
    public final int pageSize() {
        return pageSize;
    }
}
