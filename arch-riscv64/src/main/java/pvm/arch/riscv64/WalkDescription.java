package pvm.arch.riscv64;

import pvm.hal.pmap.PhysicalMemory;

/**
 * An Sv39 walk told in words, for the CLI and for failing tests: {@code satp} (mode and root), then
 * each level's entry (index, physical address, raw value, decoded bits) down to the leaf, and where
 * the address lands. Addresses print in full, 16 hex digits. It reads the tables exactly as the MMU
 * does but sets no A or D bit and fills no TLB; rights are those a user access would be given.
 */
final class WalkDescription {

    private WalkDescription() {
    }

    static String describe(PhysicalMemory memory, long satp, long va) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("walk of 0x%016x (VPN[2] %d, VPN[1] %d, VPN[0] %d)%n",
                va, Sv39.index(va, 2), Sv39.index(va, 1), Sv39.index(va, 0)));
        sb.append(String.format("  satp = 0x%016x  MODE %d (Sv39), ASID 0, root at 0x%016x%n", satp, satp >>> 60, Sv39.root(satp)));
        if (!Sv39.isCanonical(va)) {
            return sb.append("  -> not canonical (bits 63..39 differ from bit 38): page fault").toString();
        }
        long table = Sv39.root(satp);
        for (int level = Sv39.LEVELS - 1; level >= 0; level--) {
            int i = Sv39.index(va, level);
            long pteAddr = table + (long) i * Sv39.PTE_SIZE;
            long pte = memory.read64(pteAddr);
            sb.append(String.format("  L%d[%3d] at 0x%016x = 0x%016x  %s%n", level, i, pteAddr, pte, Sv39.describeBits(pte)));
            if ((pte & Sv39.V) == 0) {
                return sb.append("  -> not mapped: page fault").toString();
            }
            if ((pte & (Sv39.R | Sv39.X)) != 0) {
                if (level > 0) {
                    sb.append(String.format("  (a %s superpage: the level-%d entry is the leaf)%n", level == 2 ? "1 GiB" : "2 MiB", level));
                }
                long pa = Sv39.addr(pte) | (va & (Sv39.span(level) - 1));
                return sb.append(String.format("  -> 0x%016x maps 0x%016x, %s %s", va, pa,
                        (pte & Sv39.U) != 0 ? "user" : "supervisor", rights(pte))).toString();
            }
            table = Sv39.addr(pte);
        }
        return sb.append("  -> the level-0 entry points at a further table: page fault").toString();
    }

    private static String rights(long pte) {
        return ((pte & Sv39.R) != 0 ? "r" : "-") + ((pte & Sv39.W) != 0 ? "w" : "-") + ((pte & Sv39.X) != 0 ? "x" : "-");
    }
}
