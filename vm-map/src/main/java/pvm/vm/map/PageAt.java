package pvm.vm.map;

/**
 * Where the page a fault asks for lies, as {@code _map_force} hands it to {@code amap_page}: its
 * virtual address, its offset in the entry's amap and its offset in the entry's object
 * ({@link MapEntry#OFFS_MAX} for none). A record, so the three cannot be swapped at a call.
 *
 * @param vaddr the page's virtual address
 * @param aoffs its offset in the amap, in bytes
 * @param offs its offset in the object, in bytes, or {@link MapEntry#OFFS_MAX}
 */
public record PageAt(long vaddr, long aoffs, long offs) {
}
