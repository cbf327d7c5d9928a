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
 * </ul>
 *
 * @param lockSize {@code sizeof(lock_t)}
 * @param amapSize {@code sizeof(amap_t)} without slots
 * @param anonSize {@code sizeof(anon_t)}
 */
public record ObjectSizes(int lockSize, int amapSize, int anonSize) {

    /** {@code sizeof(anon_t *)} on the 32-bit targets. */
    public static final int SLOT_SIZE = 4;

    /** The least kmalloc request of an amap: its slot array comes in chunks filling 512 bytes. */
    public static final int AMAP_CHUNK = 512;

    /** ia32 (the MMU target): lock 80, amap 88, anon 88. */
    public static final ObjectSizes IA32 = ofLock(80);

    /** armv7m (the no-MMU target): lock 48, amap 56, anon 56. */
    public static final ObjectSizes ARMV7M = ofLock(48);

    private static ObjectSizes ofLock(int lock) {
        return new ObjectSizes(lock, lock + 8, lock + 8);
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
}
