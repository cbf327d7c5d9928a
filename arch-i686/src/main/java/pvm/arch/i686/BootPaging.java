package pvm.arch.i686;

import pvm.hal.pmap.PhysicalMemory;

/**
 * The paging the kernel's entry code ({@code _init_setupPaging} in {@code hal/ia32/_init.S})
 * turns on before {@code main}, in the pages the loader reserved for it ({@code hs.pdir},
 * {@code hs.ptable}): one page table mapping physical [0, 4 MiB) page by page, entered in the
 * page directory twice, at 0 (so the code keeps running at its physical address while paging comes
 * on) and at {@code VADDR_KERNEL} (where the kernel is linked: the image at physical 1 MiB appears
 * at {@code VADDR_KERNEL + pkernel}). Every entry is present, writable and supervisor-only.
 */
final class BootPaging {

    private BootPaging() {
    }

    static void setUp(PhysicalMemory memory, long pdir, long ptable) {
        memory.fill(pdir, Paging.SIZE_PAGE, 0);
        long pde = ptable | Paging.BOOT_ENTRY;
        memory.write32(pdir, pde);
        memory.write32(pdir + (long) Paging.KERNEL_SLOT * 4, pde);
        for (int i = 0; i < Paging.ENTRIES; i++) {
            memory.write32(ptable + (long) i * 4, ((long) i << Paging.PAGE_SHIFT) | Paging.BOOT_ENTRY);
        }
    }
}
