package pvm.vm.page;

import pvm.hal.pmap.Policy;

/**
 * How {@link BuddyPageAllocator} merges a freed block with its buddies.
 *
 * <p>Phoenix's {@code vm_pageFree} keeps two cursors, the left and the right half of the pair it
 * is about to merge. After a merge, when the merged block turns out to be the right half of the
 * next pair, it moves the left cursor to the new buddy but leaves the right cursor on the old right
 * half, deep inside the merged block. That pair never passes the checks, so merging stops: once a
 * block has merged, it can only go on merging with a buddy on its right. Freeing the four pages of
 * a 16 KiB block (whose buddies are free) in the order 2, 3, 0, 1 gives back one block that merges
 * on up; in the order 0, 1, 2, 3 it leaves two free 8 KiB buddies side by side, and every larger
 * block above them stays split. Over time free memory fragments where a buddy system would
 * coalesce it.
 */
public enum Coalescing {

    /**
     * Merges with the buddy on either side at every order until a buddy is not free: the free lists
     * always hold maximal blocks. The default; a documented difference from Phoenix.
     */
    COMPLETE,

    /** Exactly as {@code vm_pageFree}: merging stops once the merged block is a right-hand buddy. */
    PHOENIX;

    /** {@code --policy coalescing=complete|phoenix}. */
    public static final Policy<Coalescing> POLICY = new Policy<>("coalescing", Coalescing.class, COMPLETE, PHOENIX,
            "how a freed page block merges with its buddies: always (complete) or as vm_pageFree does (phoenix)");
}
