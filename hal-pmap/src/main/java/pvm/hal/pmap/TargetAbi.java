package pvm.hal.pmap;

/**
 * The C ABI of a target as Phoenix-RTOS is compiled for it: the pointer size and the sizes of the
 * vm structures whose bytes the kernel pays for. The layers above charge the kernel heap and
 * kmalloc with these, so a machine's memory figures are the target's own, not the host's.
 *
 * <p>Each architecture counts them from the C declarations on its target (alignment and padding
 * as its ABI lays them out) and says how in its {@link Architecture#abi()}; docs/architectures.md
 * lists them side by side.
 *
 * @param pointerSize {@code sizeof(void *)}: also the size of an amap slot ({@code anon_t *}), an
 *     object's page slot ({@code page_t *}) and an entry of the no-MMU table of shared maps
 * @param pageT {@code sizeof(page_t)}: what {@code _page_init} takes from the kernel heap per page
 * @param mapEntryT {@code sizeof(map_entry_t)}: the entry pool's element
 * @param vmMapT {@code sizeof(vm_map_t)}: what {@code _map_mapsInit} takes per shared map
 * @param lockT {@code sizeof(lock_t)}
 * @param amapT {@code sizeof(amap_t)} without its slots
 * @param anonT {@code sizeof(anon_t)}
 * @param objectT {@code sizeof(vm_object_t)} without its page slots
 */
public record TargetAbi(int pointerSize, int pageT, int mapEntryT, int vmMapT, int lockT, int amapT, int anonT, int objectT) {

    public TargetAbi {
        if (pointerSize != 4 && pointerSize != 8) {
            throw new IllegalArgumentException("a pointer is 4 or 8 bytes, got " + pointerSize);
        }
        if (pageT <= 0 || mapEntryT <= 0 || vmMapT <= 0 || lockT <= 0 || amapT <= lockT || anonT <= lockT || objectT <= 0) {
            throw new IllegalArgumentException("struct sizes must be positive and hold their lock: " + this);
        }
    }
}
