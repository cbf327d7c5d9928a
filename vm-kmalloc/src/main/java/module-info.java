/**
 * The fine-grained kernel allocator (Phoenix-RTOS vm/kmalloc.c): {@code Kmalloc}, zone lists per
 * power of two from 16 bytes, the header zones, the zone lookup on free, zone release (Phoenix's
 * policy or one empty zone kept per class), the dump and the checker.
 */
module pvm.vm.kmalloc {
    requires transitive pvm.vm.zone;
    exports pvm.vm.kmalloc;
}
