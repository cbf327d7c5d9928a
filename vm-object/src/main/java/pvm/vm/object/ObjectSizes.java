package pvm.vm.object;

import pvm.hal.pmap.TargetAbi;

/**
 * The sizes of amap.c's and object.c's structures on the target, which decide what amaps, anons and
 * objects cost in kmalloc. They come from the architecture ({@link TargetAbi}, where each target
 * counts them from the C declarations):
 *
 * <ul>
 *   <li>{@code amap_t}: a {@code lock_t}, {@code size_t size}, {@code int refs}, then the flexible
 *       array of {@code anon_t *} (one pointer each).</li>
 *   <li>{@code anon_t}: the lock, {@code int refs}, {@code page_t *page}.</li>
 *   <li>{@code vm_object_t} ({@code vm/object.h}): an {@code rbnode_t}, the {@code oid_t},
 *       {@code int refs}, {@code size_t size}, then the flexible array of {@code page_t *}.</li>
 * </ul>
 *
 * @param lockSize {@code sizeof(lock_t)}
 * @param amapSize {@code sizeof(amap_t)} without slots
 * @param anonSize {@code sizeof(anon_t)}
 * @param objectSize {@code sizeof(vm_object_t)} without page slots
 * @param slotSize {@code sizeof(void *)}: an amap's slot, an object's page slot
 */
public record ObjectSizes(int lockSize, int amapSize, int anonSize, int objectSize, int slotSize) {

    /** The least kmalloc request of an amap: its slot array comes in chunks filling 512 bytes. */
    public static final int AMAP_CHUNK = 512;

    /** The sizes on the target whose ABI is {@code abi}. */
    public static ObjectSizes of(TargetAbi abi) {
        return new ObjectSizes(abi.lockT(), abi.amapT(), abi.anonT(), abi.objectT(), abi.pointerSize());
    }

    /** The fewest slots an amap gets: {@code (512 - sizeof(amap_t)) / sizeof(anon_t *)} (106 on ia32). */
    public int minSlots() {
        return (AMAP_CHUNK - amapSize) / slotSize;
    }

    /** The kmalloc request of an amap of {@code slots} slots: {@code sizeof(amap_t) + slots * sizeof(anon_t *)}. */
    public long amapBytes(int slots) {
        return amapSize + (long) slots * slotSize;
    }

    /** The kmalloc request of an object of {@code pages} page slots: {@code sizeof(vm_object_t) + pages * sizeof(page_t *)}. */
    public long objectBytes(long pages) {
        return objectSize + pages * slotSize;
    }

    /**
     * The kmalloc request of a no-MMU shared region ({@link SharedRegion}), a structure of pvm's
     * after Linux's {@code struct vm_region}: list links (2 pointers), object, map, address and size
     * (4), the 64-bit {@code off_t} offset (8), the share count and the list of shares (2): 40 bytes
     * with 4-byte pointers.
     */
    public int regionSize() {
        return 8 * slotSize + 8;
    }

    /**
     * The kmalloc request of one process's share of a region: list link, region, process, address
     * and size (5 pointers): 20 bytes with 4-byte pointers.
     */
    public int shareSize() {
        return 5 * slotSize;
    }
}
