/** Memory maps (Phoenix-RTOS vm/map.c). Arrives with the address-spaces issue. Until then it exports nothing. */
module pvm.vm.map {
    requires transitive pvm.vm.page;
}
