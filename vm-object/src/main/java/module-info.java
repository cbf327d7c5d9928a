/** Memory objects, amaps and anons (Phoenix-RTOS vm/object.c, vm/amap.c): copy-on-write and sharing; implements the mapper's Pager. Amaps arrive with the address-spaces issue, objects with the memory-objects issue. Until then it exports nothing. */
module pvm.vm.object {
    requires transitive pvm.vm.kmalloc;
}
