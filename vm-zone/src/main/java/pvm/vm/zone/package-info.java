/**
 * The zone allocator, Phoenix-RTOS {@code vm/zone.c}.
 *
 * <p>{@link pvm.vm.zone.VmZone} is one {@code vm_zone_t}: a power-of-two block size, a block of
 * pages from the page allocator marked kernel heap, mapped into the kernel map at the first free
 * address, and a free list whose 32-bit next pointers live in the free blocks themselves, in
 * simulated RAM. Allocation takes the head, a free pushes the block back (LIFO); destroying a zone
 * with blocks in use is {@code EBUSY}. kmalloc builds on it.
 */
package pvm.vm.zone;
