package pvm.vm.map;

import pvm.hal.pmap.Attr;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;

/** The page attributes map.c enters for a protection and a set of flags. */
public final class MapAttr {

    private MapAttr() {
    }

    /**
     * {@code vm_protToAttr}: readable or writable pages are present; {@code PROT_NONE} gives a
     * not-present entry; {@code PROT_USER} (which the syscall layer adds to user mappings) makes
     * the page reachable from user mode.
     */
    public static int protToAttr(int prot) {
        int attr = 0;
        if ((prot & Prot.READ) != 0) {
            attr |= Attr.READ | Attr.PRESENT;
        }
        if ((prot & Prot.WRITE) != 0) {
            attr |= Attr.WRITE | Attr.PRESENT;
        }
        if ((prot & Prot.EXEC) != 0) {
            attr |= Attr.EXEC;
        }
        if ((prot & Prot.USER) != 0) {
            attr |= Attr.USER;
        }
        return attr;
    }

    /** {@code vm_flagsToAttr}: caching attributes. */
    public static int flagsToAttr(int flags) {
        int attr = 0;
        if ((flags & MapFlags.UNCACHED) != 0) {
            attr |= Attr.NOT_CACHED;
        }
        if ((flags & MapFlags.DEVICE) != 0) {
            attr |= Attr.DEVICE;
        }
        return attr;
    }

    /** {@code map_checkProt}: the rights {@code newProt} asks for beyond {@code baseProt}; 0 when none. */
    static int checkProt(int baseProt, int newProt) {
        return (baseProt | newProt) ^ baseProt;
    }
}
