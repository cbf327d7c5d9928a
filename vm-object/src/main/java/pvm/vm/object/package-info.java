/**
 * Memory objects, amaps and anons, Phoenix-RTOS {@code vm/object.c} and {@code vm/amap.c}.
 *
 * <p>{@link pvm.vm.object.VmPager} implements the mapper's {@link pvm.vm.map.Pager}: reference
 * counting of {@link pvm.vm.object.Amap}s (arrays of anon slots shared by map entries) and
 * {@link pvm.vm.object.Anon}s (one page each, counted per entry that sees it), {@code amap_create}
 * for a private amap on the first write after a fork, and {@code amap_page}: a shared anon is copied
 * on write, an empty slot gets a zeroed page (or a copy of the object's page on a write). Pages are
 * zeroed and copied in simulated RAM through temporary mappings in the kernel map; every amap and
 * anon takes a kmalloc block of its C size on the target ({@link pvm.vm.object.ObjectSizes}). Objects
 * are anonymous memory ({@code null}), {@link pvm.vm.map.MemObject#PHYSMEM} and the kernel object for
 * now; {@link pvm.vm.object.VmObject} has the shape the object store will fill. The checker
 * ({@code VmPager.verify}) matches every count against the map entries.
 */
package pvm.vm.object;
