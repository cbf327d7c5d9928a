/**
 * Memory objects, amaps and anons (Phoenix-RTOS vm/object.c, vm/amap.c): {@code VmPager}, the
 * mapper's {@code Pager}, with the object store (objects by oid, pages fetched from a
 * {@code BackingStore} on first use, contiguous and physical-memory objects) and copy-on-write
 * through amaps and anons, and the no-MMU shared regions of file mappings; all metadata is charged
 * to kmalloc.
 */
module pvm.vm.object {
    requires transitive pvm.vm.kmalloc;
    exports pvm.vm.object;
}
