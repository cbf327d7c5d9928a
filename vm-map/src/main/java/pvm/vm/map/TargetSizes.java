package pvm.vm.map;

/**
 * The sizes of map.c's structures on the two simulated targets, which decide how much kernel heap
 * the entry pool and the no-MMU map table take. Counted from the C declarations:
 *
 * <ul>
 *   <li>{@code map_entry_t} on ia32: the rb node (parent, left, right, color: 16), map, aoffs, amap,
 *       vaddr, size, lmaxgap, rmaxgap (28), flags, prot, protOrig (3, padded to 4), object (4) and
 *       the u64 offs (8, 4-aligned in the i386 System V ABI) = 60.</li>
 *   <li>{@code map_entry_t} on armv7m (NOMMU): the rb node (16), the process list links next and
 *       prev and the process (12), the same 28 + 4 + 4 as above, then offs 8-aligned in the AAPCS
 *       (64..72) = 72.</li>
 *   <li>{@code vm_map_t} on armv7m: pmap_t (start, end, regions: 12), start, stop (8), rbtree_t
 *       (root, compare, augment: 12), lock_t (spinlock 16, owner, queue, prev, next, name, attr,
 *       depth, epoch: 48) = 80.</li>
 * </ul>
 */
final class TargetSizes {

    static final int MAP_ENTRY_IA32 = 60;
    static final int MAP_ENTRY_NOMMU = 72;
    static final int VM_MAP_NOMMU = 80;
    static final int POINTER = 4;

    private TargetSizes() {
    }

    static int mapEntry(boolean mmu) {
        return mmu ? MAP_ENTRY_IA32 : MAP_ENTRY_NOMMU;
    }
}
