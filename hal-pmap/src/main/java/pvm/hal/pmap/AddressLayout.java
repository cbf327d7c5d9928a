package pvm.hal.pmap;

/**
 * Where user and kernel addresses lie in an address space ({@code VADDR_*} in Phoenix's
 * {@code arch/pmap.h}). Ranges are half-open.
 */
public record AddressLayout(long userStart, long userEnd, long kernelStart, long kernelEnd) {

    public boolean isUser(long va) {
        return va >= userStart && va < userEnd;
    }

    public boolean isKernel(long va) {
        return va >= kernelStart && va < kernelEnd;
    }
}
