/**
 * Address spaces (Phoenix-RTOS {@code vm/map.c}): {@code VmMap} with its entries in a red-black tree
 * augmented with {@code lmaxgap/rmaxgap}, mmap, munmap, mprotect, fork copy, the fault path, and the
 * {@code Pager} interface through which a fault asks the layer above for a page. Arrives with the
 * address-spaces issue.
 */
package pvm.vm.map;
