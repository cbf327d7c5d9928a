/**
 * Memory maps (Phoenix-RTOS {@code vm/map.c}): address spaces with their entries in a gap-augmented
 * red-black tree, mmap, munmap, mprotect, fork copy, destroy, the fault path, and the
 * {@link pvm.vm.map.Pager} interface through which this layer asks the object layer for pages.
 */
module pvm.vm.map {
    requires transitive pvm.vm.page;

    exports pvm.vm.map;
}
