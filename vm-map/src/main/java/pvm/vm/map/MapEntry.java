package pvm.vm.map;

/**
 * One mapping of a {@link VmMap}: Phoenix's {@code map_entry_t}. It covers {@code [vaddr,
 * vaddr+size)} with protection {@code prot} (never beyond {@code protOrig}, the protection it was
 * mapped with), maps {@code object} from offset {@code offs} ({@link #OFFS_MAX}: no offset), and
 * keeps its private pages in {@code amap} from byte {@code aoffs} on.
 *
 * <p>It is also a node of the map's red-black tree ({@link MapEntryTree}, an {@link RbTree}): {@code lmaxgap} and
 * {@code rmaxgap} are the largest free gaps left and right of it within its subtree, as
 * {@code map_augment} keeps them. Entries come from the {@link MapEntryPool} and go back to it.
 *
 * <p>Fields are package-private: the map code changes them under the map's lock. Other layers read
 * them through the getters; the object layer's {@code amap_create} sets {@link #setAoffs}.
 */
public final class MapEntry extends RbNode<MapEntry> {

    /** {@code VM_OFFS_MAX}: the entry maps no particular offset of its object. */
    public static final long OFFS_MAX = -1;

    // rbnode_t: parent, left, right and the colour are RbNode's
    /**
     * The entries before and after this one in address order, or null: kept by the tree so that
     * {@code map_augment} finds the neighbour beside a missing child without climbing the tree
     * (see {@link MapEntryTree#augment}).
     */
    MapEntry pred;
    MapEntry succ;
    /** The tree this entry is in, or null: what lets the tree trust an entry it remembered. */
    MapEntryTree tree;

    /** The pool's free-list link, and the chain {@link MapEntryPool#allocN} hands out. */
    MapEntry next;

    /** Position in the pool's array ({@code entry - map_common.entries}). */
    final int slot;

    VmMap map;
    MapOwner owner;

    long aoffs;
    AnonMap amap;

    long vaddr;
    long size;
    long lmaxgap;
    long rmaxgap;

    int flags;
    int prot;
    int protOrig;
    MemObject object;
    long offs;

    MapEntry(int slot) {
        this.slot = slot;
    }

    /** {@code hal_memcpy(this, src, sizeof(map_entry_t))}: every field but the pool's own. */
    void copyFrom(MapEntry src) {
        parent = src.parent;
        left = src.left;
        right = src.right;
        red = src.red;
        pred = src.pred;
        succ = src.succ;
        map = src.map;
        owner = src.owner;
        aoffs = src.aoffs;
        amap = src.amap;
        vaddr = src.vaddr;
        size = src.size;
        lmaxgap = src.lmaxgap;
        rmaxgap = src.rmaxgap;
        flags = src.flags;
        prot = src.prot;
        protOrig = src.protOrig;
        object = src.object;
        offs = src.offs;
    }

    /** Clears what a free entry must not keep alive (handles to maps, owners, objects). */
    void clear() {
        parent = null;
        left = null;
        right = null;
        red = false;
        pred = null;
        succ = null;
        tree = null;
        map = null;
        owner = null;
        amap = null;
        object = null;
        aoffs = 0;
        vaddr = 0;
        size = 0;
        lmaxgap = 0;
        rmaxgap = 0;
        flags = 0;
        prot = 0;
        protOrig = 0;
        offs = 0;
    }

    long end() {
        return vaddr + size;
    }

    public long vaddr() {
        return vaddr;
    }

    public long size() {
        return size;
    }

    public long lmaxgap() {
        return lmaxgap;
    }

    public long rmaxgap() {
        return rmaxgap;
    }

    /** {@link pvm.hal.pmap.MapFlags} bits. */
    public int flags() {
        return flags;
    }

    /** {@link pvm.hal.pmap.Prot} bits. */
    public int prot() {
        return prot;
    }

    public int protOrig() {
        return protOrig;
    }

    /** The mapped object: {@code null} for anonymous memory, or {@link MemObject#PHYSMEM}. */
    public MemObject object() {
        return object;
    }

    /** The object offset of {@link #vaddr}, or {@link #OFFS_MAX}. */
    public long offs() {
        return offs;
    }

    public AnonMap amap() {
        return amap;
    }

    /** The byte offset in {@link #amap} of {@link #vaddr}. */
    public long aoffs() {
        return aoffs;
    }

    /** What {@code amap_create} does through {@code &e->aoffs}. */
    public void setAoffs(long aoffs) {
        this.aoffs = aoffs;
    }

    /** The process this entry was mapped for ({@code entry->process} on no-MMU), or {@code null}. */
    public MapOwner owner() {
        return owner;
    }

    /** The map this entry is in, or {@code null} while it is free. */
    public VmMap map() {
        return map;
    }

    /** Position in the entry pool. */
    public int slot() {
        return slot;
    }

    @Override
    public String toString() {
        return String.format("MapEntry[%08x+%x %s/%s flags=0x%x obj=%s offs=%s amap=%s aoffs=%x gaps=%x,%x]",
                vaddr, size, pvm.hal.pmap.Prot.letters(prot), pvm.hal.pmap.Prot.letters(protOrig), flags,
                object == null ? "anon" : object.describe(), offs == OFFS_MAX ? "max" : Long.toHexString(offs),
                amap, aoffs, lmaxgap, rmaxgap);
    }
}
