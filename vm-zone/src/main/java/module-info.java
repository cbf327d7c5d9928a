/** The zone allocator (Phoenix-RTOS vm/zone.c): fixed-size blocks in pages mapped into the kernel map, the free list threaded through the blocks in simulated memory. Arrives with the address-spaces issue. Until then it exports nothing. */
module pvm.vm.zone {
    requires transitive pvm.vm.map;
}
