/**
 * Memory objects, amaps and anons (Phoenix-RTOS vm/object.c, vm/amap.c): {@code VmPager}, the
 * mapper's {@code Pager}, with copy-on-write through amaps and anons whose metadata is charged to
 * kmalloc; anonymous memory, physical memory and the kernel object. The object store (objects read
 * from a backing store) arrives with the memory-objects issue.
 */
module pvm.vm.object {
    requires transitive pvm.vm.kmalloc;
    exports pvm.vm.object;
}
