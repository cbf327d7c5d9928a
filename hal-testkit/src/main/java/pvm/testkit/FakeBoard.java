package pvm.testkit;

import java.util.List;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.PageFlags;

/**
 * What the {@link FakeHal} is: its RAM (banks, holes and the ranges the loader took), page size,
 * MMU or not, whether a page table costs a page of RAM, and where the kernel lies. The presets are
 * the three machines the layers' tests were written against.
 *
 * @param ram             the banks of RAM and the ranges already taken when the kernel starts
 * @param pageSize        the page size
 * @param mmu             an MMU (a paged model, a kernel at {@link FakeHal#VADDR_KERNEL}) or none (a
 *                        flat model with two board memory maps, every address resolving to itself)
 * @param tablesCostPages whether a 4 MiB slot of a {@link FakePmap} needs a page offered for its
 *                        table, as ia32's {@code pmap_enter}; if not, page counts are the layers' own
 * @param kernel          where the kernel lies and which segments it hands to {@code _map_init}
 */
public record FakeBoard(BootMemoryMap ram, int pageSize, boolean mmu, boolean tablesCostPages, Kernel kernel) {

    /** The RAM a flat machine's loader took at address 0. */
    static final long RESERVED = 256 << 10;

    /** Where the kernel lies; both hand over segments that are not page-aligned, as a linker leaves them. */
    public enum Kernel {
        /**
         * A PC's: the image loaded at 1 MiB and mapped by the loader at {@code VADDR_KERNEL + 1 MiB}
         * ({@link FakeHal#kernelImage}), the heap's first page right after it.
         */
        LOADED_AT_1M,
        /**
         * No image mapped: the kernel's text and data at {@code VADDR_KERNEL}, the heap's first page
         * at {@code VADDR_KERNEL + 1 MiB} on the loader's last page (at {@code 0x8000} without an MMU).
         */
        HEAP_ONLY
    }

    /**
     * A PC in miniature for the layers above the mapper: RAM from 0, 4 KiB pages, page 0 the
     * loader's, the kernel at 1 MiB, page tables free.
     */
    public static FakeBoard pc(long ramBytes) {
        long kernelEnd = FakeHal.KERNEL_PHYS + FakeHal.KERNEL_SIZE + FakeHal.PAGE;
        BootMemoryMap map = new BootMemoryMap(List.of(new BootMemoryMap.Bank("ram", 0, ramBytes)),
                List.of(new BootMemoryMap.Taken("page 0", 0, FakeHal.PAGE, PageFlags.OWNER_BOOT),
                        new BootMemoryMap.Taken("kernel", FakeHal.KERNEL_PHYS, kernelEnd, PageFlags.OWNER_KERNEL)));
        return new FakeBoard(map, FakeHal.PAGE, true, false, Kernel.LOADED_AT_1M);
    }

    /**
     * The mapper's machine: one bank from 0 whose first {@link #RESERVED} bytes the loader took,
     * page tables that cost pages; without an MMU the board has two memory maps.
     */
    public static FakeBoard flat(long ramBytes, int pageSize, boolean mmu) {
        BootMemoryMap map = new BootMemoryMap(List.of(new BootMemoryMap.Bank("ram", 0, ramBytes)),
                List.of(new BootMemoryMap.Taken("kernel", 0, RESERVED, PageFlags.OWNER_KERNEL)));
        return new FakeBoard(map, pageSize, mmu, true, Kernel.HEAP_ONLY);
    }

    /** The page allocator's machine: any memory map (holes too), page tables that cost pages. */
    public static FakeBoard of(BootMemoryMap ram, int pageSize, boolean mmu) {
        return new FakeBoard(ram, pageSize, mmu, true, Kernel.HEAP_ONLY);
    }
}
