package pvm.arch.riscv64;

import pvm.hal.pmap.Access;
import pvm.hal.pmap.Prot;

/**
 * The riscv64 fault syndrome: the page-fault exception codes the hart writes to {@code scause}
 * (privileged specification, table "Supervisor cause register values after trap"; the interrupt
 * bit is clear) with the faulting virtual address in {@code stval}, and how Phoenix reads them back.
 * Everything this target knows about decoding its own faults is here.
 */
final class Scause {

    /** Instruction page fault: a fetch. */
    static final int INSTRUCTION_PAGE_FAULT = 12;
    /** Load page fault. */
    static final int LOAD_PAGE_FAULT = 13;
    /** Store/AMO page fault. */
    static final int STORE_PAGE_FAULT = 15;

    private Scause() {
    }

    /** The exception code an access of kind {@code access} ({@link Access} bits) raises when it faults. */
    static int of(int access) {
        if ((access & Access.WRITE) != 0) {
            return STORE_PAGE_FAULT;
        }
        return (access & Access.EXEC) != 0 ? INSTRUCTION_PAGE_FAULT : LOAD_PAGE_FAULT;
    }

    /** The specification's name of a page-fault code. */
    static String name(long scause) {
        return switch ((int) scause) {
            case INSTRUCTION_PAGE_FAULT -> "instruction page fault";
            case LOAD_PAGE_FAULT -> "load page fault";
            case STORE_PAGE_FAULT -> "store/AMO page fault";
            default -> "exception " + scause;
        };
    }

    /**
     * {@code hal_exceptionsFaultType}: the protection a faulting access needs, as Phoenix's riscv64
     * trap handler tells {@code vm_mapForce}: always READ, WRITE for a store (and the misaligned and
     * access-fault stores 6 and 7), EXEC for an instruction fault (and codes 0..3), USER when
     * {@code sstatus.SPP} says the trap came from user mode. Unlike ia32 it cannot tell a present page
     * from a missing one: {@code scause} has no such bit.
     */
    static int faultType(long scause, boolean fromUser) {
        int prot = Prot.READ;
        if (scause == 6 || scause == 7 || scause == STORE_PAGE_FAULT) {
            prot |= Prot.WRITE;
        }
        if (scause <= 3 || scause == INSTRUCTION_PAGE_FAULT) {
            prot |= Prot.EXEC;
        }
        if (fromUser) {
            prot |= Prot.USER;
        }
        return prot;
    }
}
