/**
 * The zone allocator (Phoenix-RTOS vm/zone.c): {@code VmZone}, fixed-size blocks in pages mapped
 * into the kernel map, its free list threaded through the free blocks in simulated memory.
 */
module pvm.vm.zone {
    requires transitive pvm.vm.map;
    exports pvm.vm.zone;
}
