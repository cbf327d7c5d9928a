package pvm.hal.pmap;

/**
 * What {@code _pmap_init} hands back: the kernel's address space and the kernel heap's first
 * bounds ({@code vm.bss}, {@code vm.top}), which page allocation then grows.
 *
 * <p>{@code bssStart} is the image's {@code __bss_start}. No-MMU Phoenix's {@code _page_init} counts
 * everything from there to the end of its page_t array as allocated memory (bss, syspage, boot
 * stack); targets whose allocator does not count it give the heap's start.
 */
public record PmapInit(Pmap kernel, VirtAddr heapStart, VirtAddr heapEnd, VirtAddr bssStart) {

    public PmapInit {
        if (Long.compareUnsigned(bssStart.value(), heapStart.value()) > 0) {
            throw new IllegalArgumentException("__bss_start must not lie above the heap: " + bssStart + " > " + heapStart);
        }
    }

    /** A target whose page allocator counts no image memory: {@code bssStart} is the heap's start. */
    public PmapInit(Pmap kernel, VirtAddr heapStart, VirtAddr heapEnd) {
        this(kernel, heapStart, heapEnd, heapStart);
    }
}
