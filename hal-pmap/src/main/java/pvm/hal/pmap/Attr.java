package pvm.hal.pmap;

/**
 * Page attributes handed to {@link Pmap#enter}: Phoenix's {@code PGHD_*} names ({@code vm_attr_t}).
 * In Phoenix these macros expand to architecture bits; here they are symbolic and each architecture
 * translates them into its own entry format (i686: P, R/W, U/S, PCD, PWT).
 */
public final class Attr {

    public static final int PRESENT = 0x01;
    public static final int WRITE = 0x02;
    public static final int USER = 0x04;
    public static final int EXEC = 0x08;
    /** {@code PGHD_NOT_CACHED}: uncached but write-combining allowed (i686: PCD). */
    public static final int NOT_CACHED = 0x10;
    /** {@code PGHD_DEV}: strongly uncached device memory (i686: PCD | PWT). */
    public static final int DEVICE = 0x20;
    public static final int READ = 0x00;
    /**
     * Status, not attributes: {@link Pmap#attributes} reports them where the hardware keeps them
     * (the Accessed and Dirty bits the MMU sets on a walk); {@link Pmap#enter} refuses them.
     */
    public static final int ACCESSED = 0x40;
    public static final int DIRTY = 0x80;

    private Attr() {
    }

    /** {@code vm_protToAttr}-like translation used by the mapper: prot bits to attributes. */
    public static int fromProt(int prot) {
        int attr = PRESENT | USER;
        if ((prot & Prot.WRITE) != 0) {
            attr |= WRITE;
        }
        if ((prot & Prot.EXEC) != 0) {
            attr |= EXEC;
        }
        return attr;
    }
}
