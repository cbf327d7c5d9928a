package pvm.hal.pmap;

/**
 * What {@code _pmap_init} hands back: the kernel's address space and the kernel heap's first
 * bounds ({@code vm.bss}, {@code vm.top}), which page allocation then grows.
 */
public record PmapInit(Pmap kernel, VirtAddr heapStart, VirtAddr heapEnd) {
}
