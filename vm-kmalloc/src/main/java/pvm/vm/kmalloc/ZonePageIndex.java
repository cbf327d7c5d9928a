package pvm.vm.kmalloc;

import java.util.Arrays;

/**
 * The zone lookup on free, Phoenix's {@code kmalloc_common.tree} searched with
 * {@code kmalloc_zone_cmp}: which zone holds a kernel virtual address.
 *
 * <p>Phoenix keeps the zones in a red-black tree ordered by address and finds the one overlapping
 * the pointer in O(log n). Here every page a zone spans is a key of an open-addressing hash table
 * (virtual page number to zone slot, linear probing, backward-shift deletion), so a lookup is one
 * or two probes of primitive arrays: O(1) and allocation-free on the {@code vm_kfree} path. A
 * {@code TreeMap} would box the key on every free; a table per page frame would first need the
 * page-table walk from virtual to physical. The table grows (allocates) only while a zone is added,
 * when kmalloc allocates anyway. The zone's own bounds check then decides whether the pointer is
 * inside its blocks, as the tree's compare does.
 */
final class ZonePageIndex {

    private static final long EMPTY = -1;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    ZonePageIndex() {
        keys = new long[64];
        values = new int[64];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
    }

    /** Number of pages indexed. */
    int size() {
        return size;
    }

    /** The slot of the zone spanning virtual page {@code vpage}, or -1. */
    int get(long vpage) {
        int i = hash(vpage) & mask;
        for (;;) {
            long k = keys[i];
            if (k == vpage) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Records that virtual page {@code vpage} belongs to zone slot {@code slot}. */
    void put(long vpage, int slot) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = hash(vpage) & mask;
        while (keys[i] != EMPTY && keys[i] != vpage) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = vpage;
        values[i] = slot;
    }

    /** Forgets virtual page {@code vpage}; later keys of its probe run shift back to stay reachable. */
    void remove(long vpage) {
        int i = hash(vpage) & mask;
        for (;;) {
            long k = keys[i];
            if (k == EMPTY) {
                return;
            }
            if (k == vpage) {
                break;
            }
            i = (i + 1) & mask;
        }
        size--;
        int hole = i;
        int j = i;
        for (;;) {
            j = (j + 1) & mask;
            long k = keys[j];
            if (k == EMPTY) {
                break;
            }
            int home = hash(k) & mask;
            // Move k into the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                keys[hole] = k;
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int hash(long vpage) {
        long h = vpage * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
