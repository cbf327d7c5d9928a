package pvm.hal.pmap;

/**
 * Mapping flags, with Phoenix's {@code include/mman.h} values ({@code vm_flags_t}, a byte).
 * As in Phoenix, {@code MAP_SHARED} and {@code MAP_PRIVATE} are both 0: privacy comes from the
 * absence of an object (anonymous) or from copy-on-write through the amap.
 */
public final class MapFlags {

    public static final int NONE = 0x0;
    public static final int NEEDSCOPY = 1 << 0;
    public static final int UNCACHED = 1 << 1;
    public static final int DEVICE = 1 << 2;
    public static final int NOINHERIT = 1 << 3;
    public static final int PHYSMEM = 1 << 4;
    public static final int CONTIGUOUS = 1 << 5;
    public static final int ANONYMOUS = 1 << 6;
    public static final int FIXED = 1 << 7;
    public static final int SHARED = 0x0;
    public static final int PRIVATE = 0x0;

    private MapFlags() {
    }
}
