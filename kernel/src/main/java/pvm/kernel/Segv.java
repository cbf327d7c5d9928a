package pvm.kernel;

import pvm.hal.pmap.Access;

/**
 * SIGSEGV: an access faulted and the kernel could not resolve it.
 *
 * @param address the faulting virtual address
 * @param access the access ({@link Access} bits)
 * @param errorCode the #PF error code on i686, 0 without an MMU
 * @param cause what the hardware reported (the #PF reason or the MPU verdict)
 * @param entry the map entry covering the address, or a note that there is none
 * @param kernelVerdict why the kernel's fault path gave up ({@code vm_mapForce}'s error), or empty
 */
public record Segv(long address, int access, int errorCode, String cause, String entry, String kernelVerdict) {

    /** The one-paragraph report a failing scenario prints. */
    public String describe() {
        StringBuilder s = new StringBuilder(String.format("SIGSEGV: %s at 0x%08x, %s (error code 0x%x)",
                Access.describe(access), address, cause, errorCode));
        if (!kernelVerdict.isEmpty()) {
            s.append("; kernel: ").append(kernelVerdict);
        }
        s.append("; ").append(entry);
        return s.toString();
    }
}
