package pvm.vm.map;

/**
 * An anonymous map ({@code amap_t}): the array of anons behind a private mapping. The object layer
 * implements it with the operations of {@code amap.c} that take an amap, so the mapper works on the
 * handle it holds and nobody casts it back: this layer reads its size, as map.c's merge rules read
 * {@code amap->size}, and how many slots hold an anon, as {@code vm_mapinfo} counts them.
 *
 * <p>Offsets and sizes are in bytes. The {@link Pager}'s {@code amap*} calls are the null-safe
 * forms map.c uses (Phoenix's {@code amap_*} ignore a {@code NULL} amap).
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

    /** The frame of the anon in slot {@code slot}, or {@link pvm.hal.pmap.PageFrames#NONE} when it holds none. */
    int frameAt(int slot);

    /** {@code amap_ref}: one more reference; returns this amap. */
    AnonMap ref();

    /** {@code amap_put}: drops a reference; the last one frees the amap (not its anons). */
    void put();

    /** {@code amap_putanons}: drops a reference to each anon of {@code [offset, offset+size)}. */
    void putAnons(long offset, long size);

    /** {@code amap_getanons}: one more reference to each anon of {@code [offset, offset+size)}. */
    void getAnons(long offset, long size);

    /** {@code amap_clear}: empties the slots of {@code [offset, offset+size)} (no reference dropped). */
    void clear(long offset, long size);

    /**
     * {@code amap_create} with this amap as the old one, for entry {@code e} of {@code size} bytes:
     * this amap itself when {@code e} is its only user; otherwise a new amap holding this one's anons
     * from {@code e.aoffs()} on, dropping {@code e}'s reference to this one, and {@code e.setAoffs(0)}.
     * {@code null} when memory runs out, with nothing changed.
     */
    AnonMap create(MapEntry e, long size);

    /**
     * {@code amap_page}: the page at {@code at.aoffs()} of this amap, fetched from object {@code o} at
     * {@code at.offs()} when the slot is empty, copied when a write needs a private copy.
     *
     * @return a frame index, {@link Pager#NO_PAGE}, or a negative errno
     */
    int page(VmMap map, MemObject o, PageAt at, int prot);

    /**
     * Whether the slot at {@code offset} (bytes) holds a live anon this amap's slot is the only
     * reference to: a page purging would free (one shared copy-on-write with another entry is not).
     */
    boolean soleAnon(long offset);
}
