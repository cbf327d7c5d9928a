package pvm.arch.i686;

import pvm.hal.pmap.PhysicalMemory;

/**
 * A page-table walk told in words, for the CLI and for failing tests: CR3, the PDE and the PTE
 * (index, physical address, raw value, decoded bits) and where the address lands. It reads the
 * tables exactly as the MMU does but sets no Accessed or Dirty bit and fills no TLB.
 */
final class WalkDescription {

    private WalkDescription() {
    }

    static String describe(PhysicalMemory memory, long cr3, long va) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("walk of 0x%08x%n", va));
        sb.append(String.format("  CR3 = 0x%08x%n", cr3));
        if (!Paging.is32Bit(va)) {
            return sb.append("  -> beyond the 32-bit linear address space: #PF").toString();
        }
        int pdi = Paging.pdi(va);
        long pdeAddr = cr3 + (long) pdi * 4;
        long pde = memory.read32(pdeAddr);
        sb.append(String.format("  PDE[%4d] at 0x%08x = 0x%08x  %s%n", pdi, pdeAddr, pde, Paging.describeBits(pde, true)));
        if ((pde & Paging.P) == 0) {
            return sb.append("  -> not mapped: #PF (no page table)").toString();
        }
        long pte;
        long frame;
        if ((pde & Paging.PS) != 0) {
            pte = pde;
            frame = (pde & Paging.LARGE_FRAME_MASK) | (va & (Paging.SLOT_SIZE - 1) & Paging.FRAME_MASK);
            sb.append("  (4 MiB page: the PDE is the leaf)\n");
        } else {
            int pti = Paging.pti(va);
            long pteAddr = (pde & Paging.FRAME_MASK) + (long) pti * 4;
            pte = memory.read32(pteAddr);
            frame = pte & Paging.FRAME_MASK;
            sb.append(String.format("  PTE[%4d] at 0x%08x = 0x%08x  %s%n", pti, pteAddr, pte, Paging.describeBits(pte, false)));
            if ((pte & Paging.P) == 0) {
                return sb.append("  -> not mapped: #PF (page not present)").toString();
            }
        }
        long rights = pde & pte;
        return sb.append(String.format("  -> 0x%08x maps 0x%08x, %s %s", va, frame | (va & Paging.PAGE_OFFSET_MASK),
                (rights & Paging.US) != 0 ? "user" : "supervisor",
                (rights & Paging.RW) != 0 ? "read/write" : "read-only")).toString();
    }
}
