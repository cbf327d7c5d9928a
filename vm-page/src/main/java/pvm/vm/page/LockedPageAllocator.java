package pvm.vm.page;

import io.vavr.control.Either;
import io.vavr.control.Option;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
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

    @Override
    public final int allocFrame(long size, int flags) {
        lock.lock();
        try {
            return allocLocked(size, flags);
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
