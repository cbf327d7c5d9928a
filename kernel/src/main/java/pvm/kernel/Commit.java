package pvm.kernel;

import pvm.hal.pmap.Policy;

/**
 * Whether an mmap of private writable anonymous memory commits its size against the free pages.
 *
 * <p>Phoenix commits nothing: mmap only makes an entry, and a fault that finds no page later ends
 * the process. SerenityOS ({@code AllocationStrategy::Reserve}, the default of its anonymous
 * regions) sets the pages aside at mmap ({@code commit_physical_pages}), so running out is
 * {@code ENOMEM} from mmap and a committed page never fails at its fault. The mmap flags
 * {@link #MAP_POPULATE} ({@code AllocationStrategy::AllocateNow}, Linux's {@code MAP_POPULATE})
 * and {@link #MAP_NORESERVE} ({@code AllocationStrategy::None}) choose otherwise per mapping.
 */
public enum Commit {

    /** Nothing is committed; a fault may run out of pages (Phoenix's, and pvm's default). */
    NONE,

    /** A private writable anonymous mmap commits its size; ENOMEM at mmap when the pages are not there. */
    STRICT;

    /** {@code --policy commit=none|strict}. Without an MMU every page is allocated at mmap, so it is not offered there. */
    public static final Policy<Commit> POLICY = new Policy<>("commit", Commit.class, NONE, NONE,
            "whether private writable anonymous mmap commits its pages (strict, SerenityOS's) or not (none, Phoenix's)");

    /**
     * The scenario language's {@code populate}: every page allocated and mapped at mmap. A request
     * bit of the kernel's, as {@code MemorySyscalls.MAP_SHARED_REQUEST} is (Phoenix has no such flag).
     */
    public static final int MAP_POPULATE = 0x200;

    /** The scenario language's {@code noreserve}: nothing committed, even under {@link #STRICT}. */
    public static final int MAP_NORESERVE = 0x400;
}
