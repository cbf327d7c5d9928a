package pvm.vm.map;

/**
 * A handle for an anonymous map ({@code amap_t}): the array of anons behind a private mapping. The
 * object layer implements it; this layer reads only its size, as map.c's merge rules read
 * {@code amap->size}, and how many slots hold an anon, as {@code vm_mapinfo} counts them.
 */
public interface AnonMap {

    /** {@code amap->size}: the number of anon slots, in pages. */
    int size();

    /** The number of slots that hold an anon ({@code vm_mapinfo}'s count of {@code anons[i] != NULL}). */
    int anonCount();

    /**
     * The number of slots in {@code [from, from + count)} that hold a live anon: the pages one entry
     * of the amap has of its own (an amap may be shared by entries that each see a part of it).
     */
    int anonCount(int from, int count);
}
