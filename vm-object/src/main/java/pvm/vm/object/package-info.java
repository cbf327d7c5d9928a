/**
 * Memory objects, amaps and anons, Phoenix-RTOS {@code vm/object.c} and {@code vm/amap.c}.
 *
 * <p>{@link pvm.vm.object.VmPager} implements the mapper's {@link pvm.vm.map.Pager}: reference
 * counting of {@link pvm.vm.object.Amap}s (arrays of anon slots shared by map entries) and
 * {@link pvm.vm.object.Anon}s (one page each, counted per entry that sees it), {@code amap_create}
 * for a private amap on the first write after a fork, and {@code amap_page}: a shared anon is copied
 * on write, an empty slot gets a zeroed page (or a copy of the object's page on a write). Pages are
 * zeroed and copied in simulated RAM through temporary mappings in the kernel map; every amap and
 * anon takes a kmalloc block of its C size on the target ({@link pvm.vm.object.ObjectSizes}).
 *
 * <p>Memory objects ({@link pvm.vm.object.VmObject}, {@code vm_object_t}) are kept by the object
 * store by {@link pvm.vm.object.Oid}, counted by the map entries that map them, and filled page by
 * page from a {@link pvm.vm.object.BackingStore} (Phoenix's file servers) on the first fault, with
 * every lock released during the read and the mapping re-checked after it ({@code vm_lockVerify}).
 * A mapping of an object without {@code MAP_NEEDSCOPY} and without an amap is shared: it maps the
 * object's pages. A private one ({@code MAP_NEEDSCOPY}) reads them too, and its first write copies
 * the page into an anon of its own amap. Contiguous objects hold one block of pages from the start;
 * {@link pvm.vm.map.MemObject#PHYSMEM} maps physical addresses. The checker
 * ({@code VmPager.verify}) matches every count against the map entries.
 *
 * <p>Without an MMU nothing faults, so file mappings follow Linux's no-MMU mmap: a private one is
 * a copy made at mmap ({@code VmPager.copyObject}), a shared one a {@link pvm.vm.object.SharedRegion}
 * of the processes' memory map holding the file's bytes, the same address for every sharer
 * ({@code VmPager.shareRegion}), counted per mapping by {@code SharedRegions}.
 */
package pvm.vm.object;
