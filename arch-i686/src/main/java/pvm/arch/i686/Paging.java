package pvm.arch.i686;

import pvm.hal.pmap.Attr;

/**
 * 32-bit (non-PAE) paging as the Intel SDM (vol. 3A, section 4.3) defines it, and the address
 * constants of Phoenix's {@code hal/ia32/arch/pmap.h}: a page directory of 1024 PDEs, each pointing
 * at a page table of 1024 PTEs, each mapping one 4 KiB page. One PDE covers a 4 MiB "slot".
 *
 * <p>Addresses and entries are unsigned 32-bit values held in {@code long}s.
 */
final class Paging {

    /** {@code VADDR_KERNEL}: where kernel space starts in every address space. */
    static final long VADDR_KERNEL = 0xc000_0000L;
    /** {@code VADDR_MAX}: the last byte of the 32-bit linear address space. */
    static final long VADDR_MAX = 0xffff_ffffL;
    /** One past {@link #VADDR_MAX}: the exclusive end of the linear address space. */
    static final long ADDRESS_SPACE_END = 1L << 32;

    static final int SIZE_PAGE = 4096;
    static final int PAGE_SHIFT = 12;
    static final long PAGE_OFFSET_MASK = SIZE_PAGE - 1;
    /** Entries in a page directory or a page table. */
    static final int ENTRIES = 1024;
    /** Bytes one PDE maps ({@code SIZE_PAGE << 10} in Phoenix): 4 MiB. */
    static final long SLOT_SIZE = (long) SIZE_PAGE << 10;
    /** The first PDE of kernel space ({@code VADDR_KERNEL >> 22}). */
    static final int KERNEL_SLOT = (int) (VADDR_KERNEL >>> 22);

    // Entry bits, Intel SDM vol. 3A tables 4-5 (PDE) and 4-6 (PTE).
    /** Present. */
    static final int P = 1 << 0;
    /** Read/write: writes allowed when set. */
    static final int RW = 1 << 1;
    /** User/supervisor: user-mode (CPL 3) accesses allowed when set. */
    static final int US = 1 << 2;
    /** Page-level write-through. */
    static final int PWT = 1 << 3;
    /** Page-level cache disable. */
    static final int PCD = 1 << 4;
    /** Accessed: set by the processor when the entry is used for a translation. */
    static final int A = 1 << 5;
    /** Dirty (PTE, or PDE mapping a 4 MiB page): set by the processor on a write. */
    static final int D = 1 << 6;
    /** Page size (PDE): the entry maps a 4 MiB page (with CR4.PSE). */
    static final int PS = 1 << 7;
    /** Page-attribute-table index (PTE): the same bit as {@link #PS} one level down. */
    static final int PAT = 1 << 7;
    /** Global (with CR4.PGE). */
    static final int G = 1 << 8;
    /** The physical page a PTE (or a PDE's page table) points at: bits 12..31. */
    static final long FRAME_MASK = 0xffff_f000L;
    /** The physical 4 MiB page a PDE with {@link #PS} maps: bits 22..31. */
    static final long LARGE_FRAME_MASK = 0xffc0_0000L;

    /**
     * A PDE for a fresh page table, as {@code _pmap_enter} writes it
     * ({@code PTHD_USER | PTHD_WRITE | PTHD_PRESENT}): the PDE grants everything and the PTEs
     * restrict.
     */
    static final int PTHD = US | RW | P;
    /** What {@code _init.S} writes in the loader's PDEs and PTEs: present and writable, supervisor. */
    static final int BOOT_ENTRY = RW | P;

    /** Every {@link Attr} bit this target knows. */
    static final int KNOWN_ATTRS = Attr.PRESENT | Attr.WRITE | Attr.USER | Attr.EXEC | Attr.NOT_CACHED | Attr.DEVICE;

    private Paging() {
    }

    /** The page-directory index of {@code va}: bits 22..31. */
    static int pdi(long va) {
        return (int) ((va >>> 22) & 0x3ff);
    }

    /** The page-table index of {@code va}: bits 12..21. */
    static int pti(long va) {
        return (int) ((va >>> 12) & 0x3ff);
    }

    /**
     * The low 12 bits of a PTE for {@link Attr} bits: Phoenix's {@code PGHD_*} macros expand to
     * these (PRESENT 0x1, WRITE 0x2, USER 0x4, NOT_CACHED = PCD 0x10, DEVICE = PCD|PWT 0x18, EXEC
     * and READ 0). Unlike {@code _pmap_enter}, which ORs {@code PGHD_PRESENT} into every entry, a
     * missing {@link Attr#PRESENT} gives a not-present entry: that is how the kernel's NULL page is
     * entered (Phoenix writes {@code PGHD_USER | ~PGHD_PRESENT}, which after its forced P bit maps
     * physical page 0 present at address 0; here the NULL page really faults).
     */
    static int pteBits(int attr) {
        int bits = 0;
        if ((attr & Attr.PRESENT) != 0) {
            bits |= P;
        }
        if ((attr & Attr.WRITE) != 0) {
            bits |= RW;
        }
        if ((attr & Attr.USER) != 0) {
            bits |= US;
        }
        if ((attr & Attr.NOT_CACHED) != 0) {
            bits |= PCD;
        }
        if ((attr & Attr.DEVICE) != 0) {
            bits |= PCD | PWT;
        }
        // Attr.EXEC: no bit. Without PAE there is no NX; every readable page is executable.
        return bits;
    }

    /**
     * The {@link Attr} bits a present PTE encodes, or 0 for a not-present one. EXEC is never
     * reported: there is no bit to read it from. PCD with PWT reads back as DEVICE, PCD alone as
     * NOT_CACHED; PWT alone (write-through) has no {@link Attr} name and is not reported.
     */
    static int attrOf(long pte) {
        if ((pte & P) == 0) {
            return 0;
        }
        int attr = Attr.PRESENT;
        if ((pte & RW) != 0) {
            attr |= Attr.WRITE;
        }
        if ((pte & US) != 0) {
            attr |= Attr.USER;
        }
        if ((pte & (PCD | PWT)) == (PCD | PWT)) {
            attr |= Attr.DEVICE;
        } else if ((pte & PCD) != 0) {
            attr |= Attr.NOT_CACHED;
        }
        if ((pte & A) != 0) {
            attr |= Attr.ACCESSED;
        }
        if ((pte & D) != 0) {
            attr |= Attr.DIRTY;
        }
        return attr;
    }

    /** The set bits of an entry by their SDM names, e.g. {@code P R/W U A D}. */
    static String describeBits(long entry, boolean directory) {
        if ((entry & P) == 0) {
            return "not present";
        }
        StringBuilder sb = new StringBuilder("P");
        sb.append((entry & RW) != 0 ? " R/W" : " R");
        sb.append((entry & US) != 0 ? " U" : " S");
        if ((entry & PWT) != 0) {
            sb.append(" PWT");
        }
        if ((entry & PCD) != 0) {
            sb.append(" PCD");
        }
        if ((entry & A) != 0) {
            sb.append(" A");
        }
        if ((entry & D) != 0) {
            sb.append(" D");
        }
        if ((entry & PS) != 0) {
            sb.append(directory ? " PS" : " PAT");
        }
        if ((entry & G) != 0) {
            sb.append(" G");
        }
        return sb.toString();
    }

    static boolean isPageAligned(long v) {
        return (v & PAGE_OFFSET_MASK) == 0;
    }

    /** Whether {@code v} is a 32-bit unsigned value. */
    static boolean is32Bit(long v) {
        return (v & ~0xffff_ffffL) == 0;
    }
}
