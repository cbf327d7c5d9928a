package pvm.hal.pmap;

/**
 * A memory-management fault as the architecture reports it: #PF on i686, a MemManage or bus fault
 * on Cortex-M, a page fault {@code scause} on RISC-V.
 *
 * <p>The kernel never decodes the architecture's bits: it asks the fault what protection the access
 * needs ({@link #faultType()}, Phoenix's {@code hal_exceptionsFaultType}) and shows its
 * {@link #describe() description}. The raw registers stay in the {@link Syndrome}, which each
 * architecture implements in its own words.
 *
 * @param address the faulting virtual address (CR2 on i686, {@code stval} on RISC-V, MMFAR on ARM)
 * @param access the {@link Access} bits of the access: read, write or execute, user or supervisor
 * @param syndrome what the hardware reported, as the architecture encodes it
 */
public record Fault(long address, int access, Syndrome syndrome) {

    /**
     * The architecture's raw account of a fault: an i686 #PF error code with CR2, a Cortex-M
     * CFSR with MMFAR or BFAR, a RISC-V {@code scause} with {@code stval}.
     */
    public interface Syndrome {

        /**
         * {@code hal_exceptionsFaultType}: the {@link Prot} bits the faulting access needs
         * ({@link Prot#READ}, {@link Prot#WRITE}, {@link Prot#EXEC}, with {@link Prot#USER} for a
         * user access), read from the architecture's own registers.
         */
        int faultType();

        /** Whether a mapping was there and the access broke its protection (i686: error-code bit P). */
        boolean protectionViolation();

        /** What the hardware found, in words: {@code page not present}, {@code MemManage: ...}. */
        String cause();

        /** The raw registers as the architecture names them: {@code error code 0x6}. */
        String registers();
    }

    /** {@code hal_exceptionsFaultType}: the protection the access needs (see {@link Syndrome#faultType}). */
    public int faultType() {
        return syndrome.faultType();
    }

    /** Whether the page was mapped and the access broke its protection. */
    public boolean protectionViolation() {
        return syndrome.protectionViolation();
    }

    /** What the hardware found, in words. */
    public String cause() {
        return syndrome.cause();
    }

    /** One line for reports: the access, the address, the cause and the raw registers. */
    public String describe() {
        return String.format("%s at 0x%08x: %s (%s)", Access.describe(access), address, syndrome.cause(), syndrome.registers());
    }

    @Override
    public String toString() {
        return describe();
    }
}
