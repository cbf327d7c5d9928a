package pvm.hal.pmap;

/** Protection bits, with Phoenix's {@code include/mman.h} values ({@code vm_prot_t}). */
public final class Prot {

    public static final int NONE = 0x0;
    public static final int READ = 0x1;
    public static final int WRITE = 0x2;
    public static final int EXEC = 0x4;
    public static final int USER = 0x8;

    private Prot() {
    }

    /** {@code rwx}-style letters with {@code -} for missing rights, as the map views print them. */
    public static String letters(int prot) {
        return ((prot & READ) != 0 ? "r" : "-") + ((prot & WRITE) != 0 ? "w" : "-") + ((prot & EXEC) != 0 ? "x" : "-");
    }
}
