package pvm.arch.i686;

/**
 * Where the PC's firmware and the Phoenix loader (plo) leave things in low physical memory, as the
 * kernel finds them in the syspage's {@code hal_syspage_t} ({@code gdtr}, {@code idtr},
 * {@code pdir}, {@code ptable}, {@code stack}, {@code stacksz}, {@code ebda}) and the kernel image
 * symbols ({@code pkernel}, {@code _etext}, {@code _end}).
 *
 * <p>The loader structures sit where plo's {@code hal/ia32/config.h} puts them: GDT at 0x1000 and
 * IDT at 0x1800 (2 KiB each, one page together), page directory at 0x3000, first page table at
 * 0x4000, a one-page stack whose top is 0x6000. The syspage is at 0x2000, the page the kernel's
 * AP start-up code ({@code SYSPAGE_SEG 0x200} in {@code _init.S}) uses for it.
 *
 * <p>The EBDA: {@code _hal_configMemoryInit} reserves 32 pages from {@code hs.ebda}. Firmware puts
 * the EBDA at the top of conventional memory and it may take up to 128 KiB of it, so the area
 * [0x80000, 0xA0000) is the region it may occupy. We place it at 0x80000: 32 pages from there end
 * exactly at 640 KiB. (A BIOS that reports 0x9FC00, as SeaBIOS does, would make Phoenix reserve
 * 32 pages running into the video hole; keeping the range inside conventional memory avoids
 * reporting hole pages as RAM.)
 *
 * <p>The kernel image is loaded at physical 1 MiB ({@code pkernel}) and linked at
 * {@code VADDR_KERNEL + pkernel}. Its sizes are those of a plausible ia32 kernel build: 234 KiB of
 * text and read-only data, then about 123 KiB of data and bss; {@code _end} is not page aligned,
 * as a linker leaves it.
 */
final class LoaderLayout {

    /** The real-mode interrupt vector table and the BIOS data area: page 0. */
    static final long ADDR_BDA = 0x0000;
    /** {@code ADDR_GDT}, {@code SIZE_GDT} in plo. */
    static final long ADDR_GDT = 0x1000;
    static final long SIZE_GDT = 0x800;
    /** {@code ADDR_IDT}, {@code SIZE_IDT} in plo: the second half of the GDT's page. */
    static final long ADDR_IDT = 0x1800;
    static final long SIZE_IDT = 0x800;
    static final long ADDR_SYSPAGE = 0x2000;
    /** {@code hs.pdir}: the loader's page directory, which becomes the kernel's. */
    static final long ADDR_PDIR = 0x3000;
    /** {@code hs.ptable}: the loader's page table for the first 4 MiB. */
    static final long ADDR_PTABLE = 0x4000;
    /** {@code hs.stack}: the top of the boot stack; it grows down {@code hs.stacksz} bytes. */
    static final long ADDR_STACK = 0x6000;
    static final long SIZE_STACK = 0x1000;
    /** {@code hs.ebda}: see the class comment for the choice. */
    static final long ADDR_EBDA = 0x8_0000;
    /** Pages {@code _hal_configMemoryInit} reserves for the EBDA. */
    static final int EBDA_PAGES = 32;

    /** End of conventional memory: 640 KiB; from here to 1 MiB is video memory and ROM. */
    static final long CONVENTIONAL_END = 0xA_0000;
    /** Start of extended memory: 1 MiB. */
    static final long EXTENDED_START = 0x10_0000;

    /** {@code syspage->pkernel}: the kernel image's physical load address. */
    static final long PKERNEL = 0x10_0000;
    /** {@code _etext}: the end of the kernel's text and read-only data (virtual). */
    static final long ETEXT = Paging.VADDR_KERNEL + 0x13_a5c0L;
    /** {@code _end}: the end of the kernel's bss (virtual). */
    static final long END = Paging.VADDR_KERNEL + 0x15_91e4L;

    private LoaderLayout() {
    }
}
