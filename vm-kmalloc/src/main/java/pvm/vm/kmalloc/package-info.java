/**
 * The kernel's fine-grained allocator, Phoenix-RTOS {@code vm/kmalloc.c}.
 *
 * <p>{@link pvm.vm.kmalloc.Kmalloc} hands out blocks of 16 bytes to 8 MiB from
 * {@link pvm.vm.zone.VmZone}s, one list of zones per power of two ({@code sizes[24]}) and a list of
 * full ones. Each zone's {@code vm_zone_t} (48 bytes on the 32-bit targets) takes a block of the
 * 64-byte class, refilled with a new header zone whenever one header block is left. A free finds its
 * zone in O(1) through a table of the zones' pages, refuses bad pointers and double frees with
 * {@code EINVAL} (an allocation bitmap per zone), and releases a zone that empties as Phoenix does
 * ({@link pvm.vm.kmalloc.Kmalloc.Policy#PHOENIX}) or keeps one empty zone per class (the default,
 * {@link pvm.vm.kmalloc.Kmalloc.Policy#KEEP_ONE_EMPTY}). {@code kmalloc}/{@code kfree} allocate no
 * Java objects unless a zone is created.
 */
package pvm.vm.kmalloc;
