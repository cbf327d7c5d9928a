/**
 * Address spaces (Phoenix-RTOS {@code vm/map.c}).
 *
 * <p>{@link pvm.vm.map.VmMaps} is the mapper of one machine ({@code map_common}, {@code _map_init},
 * {@code vm_mapCreate/Copy/Destroy}); {@link pvm.vm.map.VmMap} is one address space
 * ({@code vm_map_t}) with mmap, munmap, mprotect and the fault path ({@code vm_mapForce});
 * {@link pvm.vm.map.MapEntry} is one mapping, kept in a {@link pvm.vm.map.MapEntryTree} whose
 * {@code lmaxgap/rmaxgap} make the free-range search O(log n); entries come from the fixed
 * {@link pvm.vm.map.MapEntryPool}. The layer above implements {@link pvm.vm.map.Pager} (amaps,
 * anons, objects) and hands out {@link pvm.vm.map.MemObject} and {@link pvm.vm.map.AnonMap}
 * handles; process owners may implement {@link pvm.vm.map.MapOwner} to be lazy. {@link pvm.vm.map.MapModel}
 * is the paged or flat memory model the machine was booted with.
 *
 * <p>Public methods take a map's lock and return Vavr {@code Either}; package-private
 * {@code *Locked} methods do the work with it held and return ints (0, an address, or a negative
 * {@link pvm.hal.pmap.Errno}).
 */
package pvm.vm.map;
