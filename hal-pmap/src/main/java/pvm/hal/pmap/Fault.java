package pvm.hal.pmap;

/**
 * A memory-management fault: #PF on i686, a MemManage fault on Cortex-M.
 *
 * @param address the faulting virtual address (CR2 on i686)
 * @param access the {@link Access} bits of the access
 * @param errorCode the architectural error code (i686: bit 0 P, bit 1 W/R, bit 2 U/S); 0 where none
 * @param cause what the hardware found, in words
 */
public record Fault(long address, int access, int errorCode, String cause) {

    /** Whether the page was present and the access broke its protection (i686 error-code bit P). */
    public boolean protectionViolation() {
        return (errorCode & 1) != 0;
    }

    @Override
    public String toString() {
        return String.format("%s at 0x%08x: %s (error code 0x%x)", Access.describe(access), address, cause, errorCode);
    }
}
