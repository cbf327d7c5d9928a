package pvm.arch.riscv64;

/**
 * Where QEMU's {@code virt} machine, its firmware (OpenSBI) and the Phoenix kernel image leave things
 * in physical memory, and the kernel image's symbols.
 *
 * <p>The board: DRAM starts at {@code 0x80000000}; OpenSBI occupies its first 2 MiB (the
 * {@code SBI_AREA_START..SBI_AREA_END} that {@code pmap_getPage} skips) and the kernel is loaded at
 * {@code 0x80200000} ({@code _start}, {@code pmap_common.kernel}). QEMU places the device tree
 * ({@code riscv_compute_fdt_addr}) 2 MiB-aligned below the end of DRAM, but no higher than 3 GiB;
 * the boot code maps its gigabyte at {@code VADDR_DTB}.
 *
 * <p>The kernel image is linked at {@code VADDR_KERNEL} and loaded at {@code _start}. Its sizes are
 * those of a plausible riscv64 build: about 237 KiB of text and read-only data, then data and bss
 * holding the page-aligned {@code pmap_common}: the boot tables {@code pdir2}, {@code pdir1},
 * {@code pdir0} (one page each, in that order, as {@code _init.S} expects), {@code MAX_CPU_COUNT}
 * (8) initial kernel stacks of {@code SIZE_INITIAL_KSTACK} (4 pages), the first heap page and the
 * scratch page-table window {@code ptable}, then the rest of the structure and of the bss.
 * {@code _end} is not page aligned, as a linker leaves it.
 */
final class VirtBoard {

    /** The first byte of DRAM on {@code virt}. */
    static final long DRAM_BASE = 0x8000_0000L;
    /** {@code SBI_AREA_START}, {@code SBI_AREA_END}: the firmware's 2 MiB. */
    static final long SBI_AREA_START = DRAM_BASE;
    static final long SBI_AREA_END = DRAM_BASE + (2L << 20);
    /** {@code _start}: the kernel image's physical load address. */
    static final long KERNEL_START = 0x8020_0000L;

    /** {@code _etext}: the end of text and read-only data (virtual). */
    static final long ETEXT = Sv39.VADDR_KERNEL + 0x3_b6a8L;
    /** {@code &pmap_common} (virtual), page aligned. */
    static final long PMAP_COMMON = Sv39.VADDR_KERNEL + 0x4_5000L;
    static final long PDIR2 = PMAP_COMMON;
    static final long PDIR1 = PMAP_COMMON + 0x1000;
    static final long PDIR0 = PMAP_COMMON + 0x2000;
    /** {@code MAX_CPU_COUNT} in {@code arch/cpu.h}. */
    static final int MAX_CPU_COUNT = 8;
    /** {@code SIZE_INITIAL_KSTACK}: four pages per CPU. */
    static final long SIZE_INITIAL_KSTACK = 4L * Sv39.SIZE_PAGE;
    static final long STACK = PMAP_COMMON + 0x3000;
    static final long HEAP = STACK + MAX_CPU_COUNT * SIZE_INITIAL_KSTACK;
    static final long PTABLE = HEAP + Sv39.SIZE_PAGE;
    /** {@code _end}: the end of the bss (virtual). */
    static final long END = Sv39.VADDR_KERNEL + 0x6_c3e8L;

    /** The device tree's {@code totalsize} for a {@code virt} machine (QEMU builds about 7 KiB). */
    static final long DTB_SIZE = 0x1c00;
    /** QEMU keeps the device tree below this, so a 32-bit system can reach it. */
    private static final long DTB_CEILING = 3L << 30;

    private VirtBoard() {
    }

    /** The physical address of a kernel-image symbol: {@code va - VADDR_KERNEL + _start}. */
    static long phys(long va) {
        return va - Sv39.VADDR_KERNEL + KERNEL_START;
    }

    /** {@code pmap_common.kernelsz}: {@code CEIL_PAGE(&_end) - VADDR_KERNEL}. */
    static long kernelSize() {
        return ceilPage(END) - Sv39.VADDR_KERNEL;
    }

    /** Where QEMU puts the device tree of a machine with {@code ramBytes} of DRAM. */
    static long dtbAddress(long ramBytes) {
        long top = Math.min(DRAM_BASE + ramBytes, DTB_CEILING);
        return (top - DTB_SIZE) & -(2L << 20);
    }

    static long ceilPage(long v) {
        return (v + Sv39.PAGE_OFFSET_MASK) & ~Sv39.PAGE_OFFSET_MASK;
    }
}
