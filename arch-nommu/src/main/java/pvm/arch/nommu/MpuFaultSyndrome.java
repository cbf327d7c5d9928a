package pvm.arch.nommu;

import pvm.hal.pmap.Access;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.Prot;

/**
 * What a Cortex-M MPU or bus fault leaves in the System Control Block (ARMv7-M ARM, B3.2.15): the
 * Configurable Fault Status Register and the faulting address in MMFAR (MemManage) or BFAR (bus
 * fault), valid as CFSR's MMARVALID or BFARVALID say.
 *
 * @param cfsr the CFSR bits this fault sets
 * @param address the faulting address (MMFAR or BFAR), or -1 when the hardware records none
 * @param cause the verdict in words
 */
record MpuFaultSyndrome(int cfsr, long address, String cause) implements Fault.Syndrome {

    /** MMFSR.IACCVIOL: an instruction fetch from a location the MPU does not allow. */
    static final int IACCVIOL = 1;
    /** MMFSR.DACCVIOL: a load or store the MPU does not allow. */
    static final int DACCVIOL = 1 << 1;
    /** MMFSR.MMARVALID: MMFAR holds the faulting address. */
    static final int MMARVALID = 1 << 7;
    /** BFSR.IBUSERR: an instruction fetch hit no memory. */
    static final int IBUSERR = 1 << 8;
    /** BFSR.PRECISERR: a precise data bus error. */
    static final int PRECISERR = 1 << 9;
    /** BFSR.BFARVALID: BFAR holds the faulting address. */
    static final int BFARVALID = 1 << 15;

    /** A MemManage fault: an unprivileged access no enabled region allows. */
    static MpuFaultSyndrome memManage(long va, int access, String cause) {
        return (access & Access.EXEC) != 0 ? new MpuFaultSyndrome(IACCVIOL, -1, cause)
                : new MpuFaultSyndrome(DACCVIOL | MMARVALID, va, cause);
    }

    /** A bus fault: an access to an address where the board has no memory. */
    static MpuFaultSyndrome busFault(long va, int access, String cause) {
        return (access & Access.EXEC) != 0 ? new MpuFaultSyndrome(IBUSERR, -1, cause)
                : new MpuFaultSyndrome(PRECISERR | BFARVALID, va, cause);
    }

    /**
     * {@code hal_exceptionsFaultType} of {@code hal/armv7m/exceptions.c}: {@code PROT_NONE}, as
     * there is no fault to resolve without translation (the flat memory model never asks).
     */
    @Override
    public int faultType() {
        return Prot.NONE;
    }

    /** No protection is checked (the regions are all or nothing), so no fault is a violation of one. */
    @Override
    public boolean protectionViolation() {
        return false;
    }

    @Override
    public String registers() {
        if ((cfsr & MMARVALID) != 0) {
            return String.format("CFSR 0x%x, MMFAR 0x%08x", cfsr, address);
        }
        if ((cfsr & BFARVALID) != 0) {
            return String.format("CFSR 0x%x, BFAR 0x%08x", cfsr, address);
        }
        return String.format("CFSR 0x%x", cfsr);
    }
}
