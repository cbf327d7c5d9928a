package pvm.arch.i686;

import pvm.hal.pmap.Fault;
import pvm.hal.pmap.Prot;

/**
 * What an i686 #PF leaves for the handler: the error code on the stack (SDM vol. 3A, 4.7: bit 0 P,
 * the page was present and the access broke its rights; bit 1 W/R, a write; bit 2 U/S, from user
 * mode) and the faulting linear address in CR2.
 *
 * @param errorCode the #PF error code
 * @param cr2 the faulting address
 * @param cause what the walk found, in words
 */
record PageFaultSyndrome(int errorCode, long cr2, String cause) implements Fault.Syndrome {

    /**
     * {@code hal_exceptionsFaultType} of {@code hal/ia32/exceptions.c}: W/R gives {@code PROT_WRITE},
     * U/S {@code PROT_USER}, P {@code PROT_READ}.
     *
     * <p>Phoenix reports {@code PROT_READ} only for a fault on a present page, so a first read of a
     * {@code PROT_NONE} page passes {@code map_checkProt} and gets mapped. pvm reports a read as a
     * read, so {@code PROT_NONE} holds (docs/differences.md).
     */
    @Override
    public int faultType() {
        int prot = (errorCode & I686Mmu.PF_W) != 0 ? Prot.WRITE : Prot.READ;
        if ((errorCode & I686Mmu.PF_P) != 0) {
            prot |= Prot.READ;
        }
        if ((errorCode & I686Mmu.PF_U) != 0) {
            prot |= Prot.USER;
        }
        return prot;
    }

    @Override
    public boolean protectionViolation() {
        return (errorCode & I686Mmu.PF_P) != 0;
    }

    /** The #PF error code of {@code fault}, an i686 fault. */
    static int errorCode(Fault fault) {
        return ((PageFaultSyndrome) fault.syndrome()).errorCode();
    }

    @Override
    public String registers() {
        return String.format("error code 0x%x", errorCode);
    }
}
