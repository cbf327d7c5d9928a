package pvm.arch.riscv64;

import pvm.hal.pmap.Fault;

/**
 * What a RISC-V page fault leaves for the supervisor's trap handler: {@code scause} (12
 * instruction, 13 load, 15 store/AMO) and {@code stval}, the faulting address; whether the trap came
 * from user mode is {@code sstatus.SPP}.
 *
 * @param scause the exception code
 * @param stval the faulting address
 * @param fromUser whether the access was made in user mode
 * @param validLeaf whether the walk reached a valid leaf whose rights (or A/D bits) the access broke
 * @param walk what the walk found, in words
 */
record ScauseSyndrome(long scause, long stval, boolean fromUser, boolean validLeaf, String walk) implements Fault.Syndrome {

    /** {@code hal_exceptionsFaultType} of {@code hal/riscv64/exceptions.c} ({@link Scause#faultType}). */
    @Override
    public int faultType() {
        return Scause.faultType(scause, fromUser);
    }

    /** {@code scause} cannot say whether the page was there; the walk can: a valid leaf whose rights the access broke. */
    @Override
    public boolean protectionViolation() {
        return validLeaf;
    }

    @Override
    public String cause() {
        return Scause.name(scause) + ": " + walk;
    }

    @Override
    public String registers() {
        return String.format("scause %d, stval 0x%x", scause, stval);
    }
}
