/**
 * Physical page allocation (Phoenix-RTOS {@code vm/page.c} and {@code vm/page-nommu.c}): the buddy
 * allocator for targets with an MMU, the queue allocator for those without, the page map.
 */
module pvm.vm.page {
    requires transitive pvm.hal.pmap;

    exports pvm.vm.page;
}
