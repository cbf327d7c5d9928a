package pvm.vm.page;

/**
 * What the page allocator asks of the layers above before it fails an allocation of an
 * application page: give some pages back. SerenityOS's {@code MemoryManager} purges the volatile
 * purgeable memory of every process when it runs out ({@code allocate_physical_page} walking its
 * purgeable objects); Phoenix's {@code vm_pageAlloc} simply fails. The kernel, which knows what is
 * purgeable, registers one with {@link PageAllocator#setReclaimer}; this interface is how that
 * call points down here (dependencies point down only).
 *
 * <p>It is called without the allocator's lock held, from whatever the allocating thread was doing
 * (a page fault holding its map's lock, say), so it must take only locks it can get at once and
 * leave alone whatever the calling thread has locked.
 */
@FunctionalInterface
public interface PageReclaimer {

    /** Frees what it can towards {@code bytes}; returns the bytes of pages it freed (0 when none). */
    long reclaim(long bytes);
}
