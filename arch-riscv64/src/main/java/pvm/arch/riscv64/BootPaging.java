package pvm.arch.riscv64;

import pvm.hal.pmap.PhysicalMemory;

/**
 * The paging the kernel's entry code turns on before {@code main} ({@code _pmap_preinit}, called
 * from {@code _start} in {@code hal/riscv64/_init.S}), in the three tables at the start of
 * {@code pmap_common}: {@code pdir2[255]} points at {@code pdir1}, {@code pdir1[0]} at
 * {@code pdir0}, and {@code pdir0} maps the 2 MiB from {@code _start} page by page at
 * {@code VADDR_KERNEL} ({@code 0xcf}: A D X W R V, supervisor only). {@code pdir2[511]} is a 1 GiB
 * superpage ({@code 0xc3}: A D R V) mapping the gigabyte that holds the device tree at
 * {@code VADDR_DTB}. There is no identity mapping: {@code _init.S} points {@code stvec} at the
 * virtual address of the instruction after the {@code satp} write and lets the fault take it there.
 */
final class BootPaging {

    private BootPaging() {
    }

    static void setUp(PhysicalMemory memory, long pdir2, long pdir1, long pdir0, long kernel, long dtb) {
        memory.fill(pdir0, Sv39.SIZE_PAGE, 0);
        memory.fill(pdir1, Sv39.SIZE_PAGE, 0);
        memory.fill(pdir2, Sv39.SIZE_PAGE, 0);
        memory.write64(pdir2 + (long) Sv39.index(Sv39.VADDR_KERNEL, 2) * Sv39.PTE_SIZE, Sv39.pte(pdir1, Sv39.V));
        memory.write64(pdir1 + (long) Sv39.index(Sv39.VADDR_KERNEL, 1) * Sv39.PTE_SIZE, Sv39.pte(pdir0, Sv39.V));
        for (int i = 0; i < Sv39.ENTRIES; i++) {
            memory.write64(pdir0 + (long) (Sv39.index(Sv39.VADDR_KERNEL, 0) + i) * Sv39.PTE_SIZE,
                    Sv39.pte(kernel + (long) i * Sv39.SIZE_PAGE, Sv39.BOOT_LEAF));
        }
        // ((dtb >> 30) << 28) | 0xc3: the PPN of the gigabyte holding the device tree.
        memory.write64(pdir2 + (long) (Sv39.ENTRIES - 1) * Sv39.PTE_SIZE, Sv39.pte(dtb & -Sv39.GIGA, Sv39.DTB_LEAF));
    }
}
