package pvm.vm.page;

/** Bare buddy allocators as the tests of this layer use them: ia32's letters and 16-byte {@code page_t}. */
final class Bare {

    private Bare() {
    }

    static BuddyPageAllocator ia32(long ramBytes, long reserveBytes, int pageSize) {
        return BuddyPageAllocator.bare(ramBytes, reserveBytes, pageSize, Markers::ia32, 16);
    }

    static BuddyPageAllocator ia32(long ramBytes, long reserveBytes, int pageSize, Coalescing coalescing) {
        return BuddyPageAllocator.bare(ramBytes, reserveBytes, pageSize, Markers::ia32, 16, coalescing);
    }
}
