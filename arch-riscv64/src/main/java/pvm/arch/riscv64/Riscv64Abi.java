package pvm.arch.riscv64;

/**
 * The sizes of Phoenix's structures on riscv64 (LP64: 8-byte pointers, {@code long} and
 * {@code size_t}; a {@code u64} 8-aligned), counted from the C declarations. They decide what the
 * kernel heap pays per page at boot and what kmalloc pays per map entry, amap, anon and object.
 *
 * <ul>
 *   <li>{@code page_t} ({@code arch/pmap.h}): {@code addr_t addr} 8, {@code u8 idx}, {@code u8 flags}
 *       (padded to 8), {@code next}, {@code prev} 16 = 32.</li>
 *   <li>{@code rbnode_t}: parent, left, right 24, the colour enum 4, padded = 32.</li>
 *   <li>{@code map_entry_t} (MMU): the rbnode/next union 32, map, aoffs, amap, vaddr, size, lmaxgap,
 *       rmaxgap 56, flags, prot, protOrig 3 (padded to 8), object 8, {@code u64 offs} 8 = 112.</li>
 *   <li>{@code spinlock_t} ({@code arch/spinlock.h}): name, next, prev 24, {@code u32 lock}, packed
 *       and aligned to 8 = 32; {@code lock_t}: the spinlock, owner, queue, prev, next, name 40,
 *       {@code struct lockAttr} 4, depth 4, epoch 4, padded = 88.</li>
 *   <li>{@code anon_t}: the lock, {@code int refs} (padded), {@code page_t *page} = 104;
 *       {@code amap_t}: the lock, {@code size_t size}, {@code int refs} (padded) = 104 before its
 *       array of 8-byte {@code anon_t *}.</li>
 *   <li>{@code vm_object_t}: rbnode 32, {@code oid_t} ({@code u32 port}, {@code id_t id} a
 *       {@code u64}) 16, {@code int refs} (padded) 8, {@code size_t size} 8 = 64 before its array of
 *       8-byte {@code page_t *}.</li>
 * </ul>
 */
final class Riscv64Abi {

    static final int POINTER = 8;
    static final int PAGE_T = 32;
    static final int MAP_ENTRY = 112;
    static final int LOCK = 88;
    static final int AMAP = 104;
    static final int ANON = 104;
    static final int OBJECT = 64;
    /**
     * {@code vm_map_t}: the rbtree (root, compare, augment) 24, start, stop 16, the lock 88 and the
     * pmap ({@code pdir2}, {@code satp}, start, end) 32 = 160. Only the no-MMU model pays it, per
     * shared map; it is here because every target states its whole ABI.
     */
    static final int VM_MAP = 160;

    private Riscv64Abi() {
    }
}
