/** Memory maps (Phoenix-RTOS vm/map.c). Arrives with the address-spaces issue. */
module pvm.vm.map {
    requires transitive pvm.vm.page;

    exports pvm.vm.map;
}
