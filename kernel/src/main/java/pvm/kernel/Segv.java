package pvm.kernel;

import pvm.hal.pmap.Access;
import pvm.hal.pmap.Fault;

/**
 * SIGSEGV: an access faulted and the kernel could not resolve it.
 *
 * @param fault the fault as the architecture reported it (address, access, its raw registers)
 * @param entry the map entry covering the address, or a note that there is none
 * @param kernelVerdict why the kernel's fault path gave up ({@code vm_mapForce}'s error), or empty
 * @param reason what the address was to the kernel beyond the hardware's cause ("stack guard page"), or empty
 */
public record Segv(Fault fault, String entry, String kernelVerdict, String reason) {

    /** A SIGSEGV with no reason beyond the hardware's cause. */
    public Segv(Fault fault, String entry, String kernelVerdict) {
        this(fault, entry, kernelVerdict, "");
    }

    /** The faulting virtual address. */
    public long address() {
        return fault.address();
    }

    /** The access ({@link Access} bits). */
    public int access() {
        return fault.access();
    }

    /** The one-paragraph report a failing scenario prints. */
    public String describe() {
        StringBuilder s = new StringBuilder(String.format("SIGSEGV: %s at 0x%08x, %s%s (%s)",
                Access.describe(fault.access()), fault.address(), reason.isEmpty() ? "" : reason + ": ", fault.cause(),
                fault.syndrome().registers()));
        if (!kernelVerdict.isEmpty()) {
            s.append("; kernel: ").append(kernelVerdict);
        }
        s.append("; ").append(entry);
        return s.toString();
    }
}
