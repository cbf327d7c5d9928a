/** The fine-grained kernel allocator (Phoenix-RTOS vm/kmalloc.c): zone lists per power of two from 16 bytes, zone lookup on free, zone creation and release. Arrives with the address-spaces issue. Until then it exports nothing. */
module pvm.vm.kmalloc {
    requires transitive pvm.vm.zone;
}
