package pvm.vm.page;

/**
 * What the {@code idx} byte of a frame holds besides a block order.
 *
 * <p>Phoenix keeps the order only in the first frame of a block and leaves stale values in the
 * others; it cannot tell a block's head from its middle, nor a page it handed out from one the
 * loader had taken, so freeing either corrupts its lists. Here the byte always says which: the head
 * of a block (free or allocated) holds the order (log2 of the block size in bytes), every other
 * frame of the block holds {@link #INSIDE}, and a frame the allocator does not own holds
 * {@link #UNOWNED}. No order is negative, so the two marks cost no extra memory per frame, and
 * {@code vm_pageFree} only ever reads the idx of block heads, so the allocation order is unchanged.
 */
final class FrameIdx {

    /** A frame of a block that is not the block's first frame. */
    static final int INSIDE = -1;

    /**
     * A frame the allocator never handed out: not free when discovered (loader, kernel image,
     * BIOS), or holding the page_t array itself. Phoenix sets 0 here; 0 is a valid order for the
     * queue allocator, which does not round sizes up to a page.
     */
    static final int UNOWNED = -2;

    private FrameIdx() {
    }
}
