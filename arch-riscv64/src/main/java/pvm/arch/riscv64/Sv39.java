package pvm.arch.riscv64;

import pvm.hal.pmap.Attr;

/**
 * Sv39 paging as the RISC-V privileged specification (section "Sv39: Page-Based 39-bit Virtual-Memory
 * System") defines it, and the address constants of Phoenix's {@code hal/riscv64/arch/pmap.h}: a
 * 39-bit virtual address is translated through three levels of tables, each one 4 KiB page of 512
 * eight-byte entries. Level 2 (Phoenix's {@code pdir2}, the root {@code satp} points at) maps
 * 1 GiB per entry, level 1 ({@code pdir1}) 2 MiB, level 0 ({@code pdir0}) one 4 KiB page. An entry
 * with R, W and X clear points at the next level; one with R or X set is a leaf, at level 1 or 2
 * a superpage.
 *
 * <p>Addresses and entries are 64-bit values; a virtual address is canonical when bits 63..39
 * equal bit 38, so the address space is two halves: {@code [0, 2^38)} and
 * {@code [2^64 - 2^38, 2^64)}.
 */
final class Sv39 {

    /** {@code VADDR_KERNEL}: kernel space is the last gigabyte of the lower half. */
    static final long VADDR_KERNEL = 0x3f_c000_0000L;
    /** {@code VADDR_USR_MAX}: user space is everything below kernel space. */
    static final long VADDR_USR_MAX = VADDR_KERNEL;
    /** {@code VADDR_DTB}: the gigabyte of the upper half (entry 511) the boot code maps the device tree at. */
    static final long VADDR_DTB = 0xffff_ffff_c000_0000L;
    /**
     * One past the lower canonical half, {@code 2^38}: the exclusive end of kernel space. Phoenix
     * sets the kernel's {@code pmap->end} to {@code VADDR_MAX} ({@code 0xffffffffffffffff}), which
     * has no exclusive form in a {@code long}; nothing the kernel maps lies between the two.
     */
    static final long LOWER_HALF_END = 1L << 38;

    static final int SIZE_PAGE = 4096;
    static final int PAGE_SHIFT = 12;
    static final long PAGE_OFFSET_MASK = SIZE_PAGE - 1;
    /** Entries in a table of any level. */
    static final int ENTRIES = 512;
    static final int LEVELS = 3;
    static final int PTE_SIZE = 8;
    /** Bytes one level-2 entry maps: 1 GiB ({@code SIZE_PAGE << 18} in Phoenix). */
    static final long GIGA = 1L << 30;
    /** Bytes one level-1 entry maps: 2 MiB. */
    static final long MEGA = 1L << 21;

    /** {@code SATP_MODE_SV39}: MODE 8 in bits 60..63; ASID (bits 44..59) is left 0 as Phoenix does. */
    static final long SATP_MODE_SV39 = 8L << 60;
    static final long SATP_PPN_MASK = (1L << 44) - 1;

    // PTE bits, privileged specification figure "Sv39 page table entry".
    static final long V = 1L << 0;
    static final long R = 1L << 1;
    static final long W = 1L << 2;
    static final long X = 1L << 3;
    static final long U = 1L << 4;
    static final long G = 1L << 5;
    static final long A = 1L << 6;
    static final long D = 1L << 7;
    /** The PPN field: bits 10..53 (44 bits, a 56-bit physical address). */
    static final int PPN_SHIFT = 10;
    static final long PPN_MASK = ((1L << 44) - 1) << PPN_SHIFT;
    /** Bits 54..63 (N, PBMT and reserved): must be zero without Svnapot and Svpbmt, else the walk faults. */
    static final long RESERVED_MASK = 0xffc0_0000_0000_0000L;
    /** Svpbmt's PBMT field, bits 61..62 of a leaf ({@link Pbmt}). */
    static final long PBMT_MASK = 3L << 61;
    /** PBMT 1, NC: non-cacheable, idempotent, weakly ordered main memory. */
    static final long PBMT_NC = 1L << 61;
    /** PBMT 2, IO: non-cacheable, non-idempotent, strongly ordered I/O. */
    static final long PBMT_IO = 2L << 61;

    /** What {@code _pmap_map} ORs into every leaf it writes: {@code 0xc1}, A, D and V. */
    static final long ENTERED = A | D | V;
    /** What {@code _pmap_preinit} writes for the boot mapping of the kernel image: {@code 0xcf}, A D X W R V. */
    static final long BOOT_LEAF = A | D | X | W | R | V;
    /** What {@code _pmap_preinit} writes for the device-tree gigapage: {@code 0xc3}, A D R V. */
    static final long DTB_LEAF = A | D | R | V;

    /** Every {@link Attr} bit this target knows ({@code PGHD_DEV} and {@code PGHD_NOT_CACHED} are 0 on riscv64). */
    static final int KNOWN_ATTRS = Attr.PRESENT | Attr.WRITE | Attr.USER | Attr.EXEC | Attr.NOT_CACHED | Attr.DEVICE;

    private Sv39() {
    }

    /** The index of {@code va} in the table of {@code level}: {@code PDIR2_IDX}, {@code PDIR1_IDX}, {@code PDIR0_IDX}. */
    static int index(long va, int level) {
        return (int) ((va >>> (PAGE_SHIFT + 9 * level)) & (ENTRIES - 1));
    }

    /** {@code PTE(paddr, flags)}: the entry pointing at physical {@code pa} with {@code flags}. */
    static long pte(long pa, long flags) {
        return ((pa >>> PAGE_SHIFT) << PPN_SHIFT) | flags;
    }

    /** {@code PTE_TO_ADDR}: the physical address an entry points at. */
    static long addr(long pte) {
        return ((pte & PPN_MASK) >>> PPN_SHIFT) << PAGE_SHIFT;
    }

    /** A valid entry with R, W and X clear points at the next level. */
    static boolean isTable(long pte) {
        return (pte & V) != 0 && (pte & (R | W | X)) == 0;
    }

    /** Whether bits 63..39 of {@code va} all equal bit 38. */
    static boolean isCanonical(long va) {
        return (va >> 38) == 0 || (va >> 38) == -1;
    }

    /** A satp value for the root table at {@code pdir2}: {@code (addr >> 12) | SATP_MODE_SV39}. */
    static long satp(long pdir2) {
        return (pdir2 >>> PAGE_SHIFT) | SATP_MODE_SV39;
    }

    /** The root table a satp value points at. */
    static long root(long satp) {
        return (satp & SATP_PPN_MASK) << PAGE_SHIFT;
    }

    /**
     * The low bits of a leaf for {@link Attr} bits. Phoenix's {@code PGHD_*} on riscv64 are the PTE
     * bits themselves (PRESENT 0x01 = V, READ 0x02 = R, WRITE 0x04 = W, EXEC 0x08 = X, USER 0x10 = U;
     * DEV and NOT_CACHED are 0), and {@code _pmap_map} adds R to a writable mapping (W without R is
     * reserved). pvm's {@link Attr} has no READ bit ({@code Attr.READ} is 0, as on ia32, where a
     * present page is always readable), so every present leaf gets R here: without R or X a valid
     * entry would be read as a pointer to another table.
     *
     * <p>A missing {@link Attr#PRESENT} gives an entry with V clear. Phoenix ORs V into every leaf
     * ({@code 0xc1}), so its "not present" kernel NULL page is mapped; here it really faults, as on
     * i686.
     */
    static long leafBits(int attr) {
        long bits = A | D;
        if ((attr & Attr.PRESENT) != 0) {
            bits |= V | R;
        }
        if ((attr & Attr.WRITE) != 0) {
            bits |= W | R;
        }
        if ((attr & Attr.EXEC) != 0) {
            bits |= X;
        }
        if ((attr & Attr.USER) != 0) {
            bits |= U;
        }
        return bits;
    }

    /** Svpbmt's PBMT field for {@link Attr} bits: IO for {@code PGHD_DEV}, NC for {@code PGHD_NOT_CACHED}, else 0 (PMA). */
    static long pbmtBits(int attr) {
        if ((attr & Attr.DEVICE) != 0) {
            return PBMT_IO;
        }
        return (attr & Attr.NOT_CACHED) != 0 ? PBMT_NC : 0;
    }

    /** The {@link Attr} bits a valid leaf encodes, or 0 for an invalid one. */
    static int attrOf(long pte) {
        if ((pte & V) == 0) {
            return 0;
        }
        int attr = Attr.PRESENT;
        if ((pte & W) != 0) {
            attr |= Attr.WRITE;
        }
        if ((pte & X) != 0) {
            attr |= Attr.EXEC;
        }
        if ((pte & U) != 0) {
            attr |= Attr.USER;
        }
        if ((pte & A) != 0) {
            attr |= Attr.ACCESSED;
        }
        if ((pte & D) != 0) {
            attr |= Attr.DIRTY;
        }
        if ((pte & PBMT_MASK) == PBMT_IO) {
            attr |= Attr.DEVICE;
        } else if ((pte & PBMT_MASK) == PBMT_NC) {
            attr |= Attr.NOT_CACHED;
        }
        return attr;
    }

    /** The set bits of an entry by their specification names, e.g. {@code V R W U A D}, or what it points at. */
    static String describeBits(long pte) {
        if ((pte & V) == 0) {
            return "invalid";
        }
        if ((pte & (R | W | X)) == 0) {
            return "V (points at the next level)";
        }
        StringBuilder sb = new StringBuilder("V");
        appendIf(sb, pte, R, "R");
        appendIf(sb, pte, W, "W");
        appendIf(sb, pte, X, "X");
        appendIf(sb, pte, U, "U");
        appendIf(sb, pte, G, "G");
        appendIf(sb, pte, A, "A");
        appendIf(sb, pte, D, "D");
        long pbmt = pte & PBMT_MASK;
        if (pbmt != 0) {
            sb.append(pbmt == PBMT_NC ? " PBMT=NC" : pbmt == PBMT_IO ? " PBMT=IO" : " PBMT=3 (reserved)");
        }
        return sb.toString();
    }

    private static void appendIf(StringBuilder sb, long pte, long bit, String name) {
        if ((pte & bit) != 0) {
            sb.append(' ').append(name);
        }
    }

    static boolean isPageAligned(long v) {
        return (v & PAGE_OFFSET_MASK) == 0;
    }

    /** Bytes one entry of {@code level} maps: 4 KiB, 2 MiB or 1 GiB. */
    static long span(int level) {
        return 1L << (PAGE_SHIFT + 9 * level);
    }
}
