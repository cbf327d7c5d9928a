package pvm.vm.page;

import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.List;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/**
 * Physical page allocation as the layers above see it: Phoenix's {@code vm_pageAlloc},
 * {@code vm_pageFree}, {@code page_map}, {@code vm_pageGetStats}, {@code vm_pageinfo} and
 * {@code _page_showPages}. Two implementations, chosen per target as Phoenix chooses a source file:
 * {@link BuddyPageAllocator} ({@code vm/page.c}) and {@link QueuePageAllocator}
 * ({@code vm/page-nommu.c}).
 *
 * <p>The {@code int} methods are the hot path (no allocation, a frame index or a code); the Vavr
 * methods are the same operations at the API edge. Every method takes the allocator's one lock
 * (Phoenix's {@code pages_info.lock}).
 */
public interface PageAllocator {

    /**
     * {@code vm_pageAlloc}: the frame index of the first frame of a block of at least {@code size}
     * bytes, or {@link PageFrames#NONE}. Every page of the block is marked allocated with
     * {@code flags} ({@link pvm.hal.pmap.PageFlags} values). A size of zero or less, a size no block
     * can have, or flags that are not one flag byte without the free bit, give {@link PageFrames#NONE}.
     */
    int allocFrame(long size, int flags);

    /**
     * {@code vm_pageFree}: returns the block headed by {@code frame}. {@link PageFrames#NONE} is
     * ignored, as Phoenix ignores {@code NULL}.
     *
     * @return {@link Errno#EOK}, or one of the {@code Errno.EPAGE_*} refusals; on an error nothing changed
     */
    int freeFrame(int frame);

    /** {@link #allocFrame} at the API edge: none when there is no block (or the size is zero). */
    Option<Frame> alloc(Size size, int flags);

    /** {@link #freeFrame} at the API edge: the bytes the block held, or why nothing was freed. */
    Either<VmError, Size> free(Frame frame);

    /** The page-frame table this allocator owns. */
    PageFrames frames();

    int pageSize();

    long totalBytes();

    long allocatedBytes();

    /** Bytes of pages the loader had taken ({@code PAGE_OWNER_BOOT}) when the allocator started. */
    long bootBytes();

    /** {@code vm_pageGetStats}. */
    long freeBytes();

    /** {@code vm_pageinfo}. */
    PageInfo info();

    /** {@code _page_showPages}: the page map as the console prints it, each line starting {@code vm: }. */
    List<String> showPages();

    /** One line per free list that is not empty, in increasing order. */
    List<String> freeLists();

    /** Every free block, by address within each order: what {@link BuddyInfo} tabulates. */
    List<FreeBlock> freeBlocks();

    /**
     * {@code page_map}: maps the page at {@code pa} at {@code va} in {@code pmap}, allocating a page
     * table ({@code PAGE_OWNER_KERNEL | PAGE_KERNEL_PTABLE}) when the HAL asks for one.
     */
    Either<VmError, Void> map(Pmap pmap, VirtAddr va, PhysAddr pa, int attr);

    /**
     * The machine's allocation-failure injector: this allocator and every allocator above it
     * consult it before they allocate (off unless a test or {@code inject} arms it).
     */
    AllocationFailures failures();

    /** The invariant checker: every broken invariant in words; empty when the allocator is consistent. */
    List<String> verify();

    // ---- beyond Phoenix: commitments and reclaim (PageReservations) ----------------------------

    /**
     * Sets {@code bytes} of free memory aside for later allocations (SerenityOS's
     * {@code commit_physical_pages}): from now on {@link #allocFrame} hands out a block only while
     * the free memory left over covers every reservation. False, nothing reserved, when the free
     * memory not yet reserved is short of {@code bytes}.
     */
    boolean reserve(long bytes);

    /** Gives {@code bytes} of a reservation back (to be allocated, or no longer needed). */
    void unreserve(long bytes);

    /** Bytes reserved now; 0 unless something committed memory. */
    long reservedBytes();

    /**
     * Registers what is asked to free pages before an allocation of an application page fails
     * ({@link pvm.hal.pmap.PageFlags#OWNER_APP}); kernel allocations never wait on it. Null removes it.
     */
    void setReclaimer(PageReclaimer reclaimer);
}
