package pvm.vm.object;

/**
 * The sizes of amap.c's structures on a simulated target, which decide what amaps and anons cost in
 * kmalloc. Counted from the C declarations, with 4-byte pointers on both targets:
 *
 * <ul>
 *   <li>{@code lock_t} ({@code proc/lock.h}): a {@code spinlock_t}, then owner, queue, prev, next,
 *       name, attr, depth and epoch (8 x 4 = 32). The ia32 {@code spinlock_t} is name (4), four
 *       {@code cycles_t} (4 x 8, 4-aligned in an i386 struct), next, prev and the lock word (12) =
 *       48, so {@code lock_t} is 80; the arm {@code spinlock_t} is the lock byte (padded to 4), name,
 *       next, prev = 16, so {@code lock_t} is 48 on armv7m.</li>
 *   <li>{@code amap_t}: the lock, {@code size_t size}, {@code int refs} (lock + 8), then the
 *       flexible array of {@code anon_t *} (4 each).</li>
 *   <li>{@code anon_t}: the lock, {@code int refs}, {@code page_t *page} (lock + 8).</li>
 *   <li>{@code vm_object_t} ({@code vm/object.h}): an {@code rbnode_t} (parent, left, right and an
 *       enum colour: 16), the {@code oid_t} ({@code u32 port} and {@code id_t id}), {@code int
 *       refs}, {@code size_t size}, then the flexible array of {@code page_t *} (4 each). On ia32
 *       {@code id_t} is a {@code u64} aligned to 4 in an i386 struct, so the oid is 12 and the
 *       object 36; on armv7m {@code id_t} is a {@code u32}, the oid 8 and the object 32.</li>
 * </ul>
 *
 * @param lockSize {@code sizeof(lock_t)}
 * @param amapSize {@code sizeof(amap_t)} without slots
 * @param anonSize {@code sizeof(anon_t)}
 * @param objectSize {@code sizeof(vm_object_t)} without page slots
 */
public record ObjectSizes(int lockSize, int amapSize, int anonSize, int objectSize) {

    /** {@code sizeof(anon_t *)} on the 32-bit targets. */
    public static final int SLOT_SIZE = 4;

    /**
     * The kmalloc request of a no-MMU shared region ({@link SharedRegion}), a structure of pvm's
     * after Linux's {@code struct vm_region}: list links (2 x 4), object, map, address and size
     * (4 x 4), the 64-bit {@code off_t} offset (8), the share count and the list of shares (2 x 4).
     */
    public static final int REGION_SIZE = 40;

    /**
     * The kmalloc request of one process's share of a region: list link, region, process, address
     * and size (5 x 4).
     */
    public static final int SHARE_SIZE = 20;

    /** The least kmalloc request of an amap: its slot array comes in chunks filling 512 bytes. */
    public static final int AMAP_CHUNK = 512;

    /** ia32 (the MMU target): lock 80, amap 88, anon 88, object 36. */
    public static final ObjectSizes IA32 = of(80, 36);

    /** armv7m (the no-MMU target): lock 48, amap 56, anon 56, object 32. */
    public static final ObjectSizes ARMV7M = of(48, 32);

    private static ObjectSizes of(int lock, int object) {
        return new ObjectSizes(lock, lock + 8, lock + 8, object);
    }

    /** The sizes on the target with ({@code ia32}) or without ({@code armv7m}) an MMU. */
    public static ObjectSizes forTarget(boolean mmu) {
        return mmu ? IA32 : ARMV7M;
    }

    /** The fewest slots an amap gets: {@code (512 - sizeof(amap_t)) / sizeof(anon_t *)} (106 on ia32). */
    public int minSlots() {
        return (AMAP_CHUNK - amapSize) / SLOT_SIZE;
    }

    /** The kmalloc request of an amap of {@code slots} slots: {@code sizeof(amap_t) + slots * sizeof(anon_t *)}. */
    public long amapBytes(int slots) {
        return amapSize + (long) slots * SLOT_SIZE;
    }

    /** The kmalloc request of an object of {@code pages} page slots: {@code sizeof(vm_object_t) + pages * sizeof(page_t *)}. */
    public long objectBytes(long pages) {
        return objectSize + pages * SLOT_SIZE;
    }
}
