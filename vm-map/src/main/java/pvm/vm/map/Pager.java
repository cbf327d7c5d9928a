package pvm.vm.map;

import pvm.hal.pmap.Errno;

/**
 * Everything map.c asks of the layers above it: the calls it makes into {@code amap.c} and
 * {@code object.c}. The object layer implements it and registers it with {@link VmMaps#setPager};
 * this interface is how the dependency that is a cycle in Phoenix ({@code map.c <-> amap.c},
 * {@code map.c <-> object.c}) points down here.
 *
 * <p>Every method is null-safe as its Phoenix counterpart: a {@code null} amap is ignored by the
 * reference calls, and objects may be {@code null} (anonymous) or {@link MemObject#PHYSMEM}.
 * Offsets and sizes are in bytes. The map's lock is held when a method is called; the pager may
 * map pages into the kernel map meanwhile (the map lock is reentrant, as Phoenix's amap code
 * re-enters the kernel map), and may release the map's lock around a fetch and re-check with
 * {@link VmMap#lockVerify}.
 *
 * <p>Page results are frame indices in the machine's {@link pvm.hal.pmap.PageFrames} table,
 * {@link #NO_PAGE} for "no {@code page_t}" (physical memory outside RAM), or a negative errno
 * ({@link Errno}).
 */
public interface Pager {

    /** "No {@code page_t}": the address is not RAM (e.g. {@code PHYSMEM} over device memory). */
    int NO_PAGE = Integer.MIN_VALUE;

    /** {@code amap_ref}: one more reference to {@code a}; returns {@code a} ({@code null} for {@code null}). */
    default AnonMap amapRef(AnonMap a) {
        return a == null ? null : a.ref();
    }

    /** {@code amap_put}: drops a reference; the last one frees the amap (not its anons). */
    default void amapPut(AnonMap a) {
        if (a != null) {
            a.put();
        }
    }

    /** {@code amap_putanons}: drops a reference to each anon of {@code [offset, offset+size)}. */
    default void amapPutAnons(AnonMap a, long offset, long size) {
        if (a != null) {
            a.putAnons(offset, size);
        }
    }

    /** {@code amap_getanons}: one more reference to each anon of {@code [offset, offset+size)}. */
    default void amapGetAnons(AnonMap a, long offset, long size) {
        if (a != null) {
            a.getAnons(offset, size);
        }
    }

    /** {@code amap_clear}: empties the slots of {@code [offset, offset+size)} (no reference dropped). */
    default void amapClear(AnonMap a, long offset, long size) {
        if (a != null) {
            a.clear(offset, size);
        }
    }

    /**
     * {@code amap_create}: an amap for entry {@code e} of {@code size} bytes, from {@code old}
     * ({@link AnonMap#create}) or, with none, a new empty one ({@link #amapNew}). {@code null} when
     * memory runs out, with nothing changed.
     */
    default AnonMap amapCreate(AnonMap old, MapEntry e, long size) {
        return old != null ? old.create(e, size) : amapNew(e, size);
    }

    /**
     * {@code amap_create} with no old amap: a new, empty amap for entry {@code e} of {@code size}
     * bytes, with {@code e.setAoffs(0)}; {@code null} when memory runs out.
     */
    AnonMap amapNew(MapEntry e, long size);

    /** {@code amap_page} ({@link AnonMap#page}). */
    default int amapPage(VmMap map, AnonMap amap, MemObject o, PageAt at, int prot) {
        return amap.page(map, o, at, prot);
    }

    /** {@code vm_objectRef}: returns {@code o}; anonymous and {@code PHYSMEM} have no count. */
    MemObject objectRef(MemObject o);

    /** {@code vm_objectPut}. */
    void objectPut(MemObject o);

    /**
     * {@code vm_objectPage} with no amap: the page of {@code o} at {@code offs} (a fresh page for
     * anonymous memory; for {@code PHYSMEM} the RAM page at that physical address, or
     * {@link #NO_PAGE} outside RAM).
     *
     * @return a frame index, {@link #NO_PAGE}, or a negative errno
     */
    int objectPage(VmMap map, MemObject o, long vaddr, long offs);
}
