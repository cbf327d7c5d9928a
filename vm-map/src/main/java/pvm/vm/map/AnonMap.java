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
}
