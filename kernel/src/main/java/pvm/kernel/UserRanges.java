package pvm.kernel;

import io.vavr.control.Option;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VmError;

/**
 * What {@code sys_mmap}, {@code sys_munmap} and {@code sys_mprotect} check of an address and a
 * length before anything else, so that no sum of the two can wrap and nothing changes when they are
 * out of range. Phoenix checks none of it: {@code round_page} of a length near the top of
 * {@code size_t} wraps to a small one, and {@code _vm_munmap} of a range whose end wraps past zero
 * trims entries by negative amounts. The answers are POSIX's, as Linux gives them:
 *
 * <ul>
 *   <li>a value wider than the target's pointer is no address or length of it: out of range;</li>
 *   <li>mmap: a length that cannot fit the process's address space, or a {@code MAP_FIXED} range
 *       outside it, is {@code ENOMEM}; a hint wider than a pointer is {@code EINVAL};</li>
 *   <li>munmap: a range outside the process's address space is {@code EINVAL} ("outside the valid
 *       range for the address space of a process");</li>
 *   <li>mprotect: a range outside it is {@code ENOMEM} (addresses not mapped), a zero length
 *       succeeds once the address is page-aligned.</li>
 * </ul>
 *
 * The process's address space is its map's range: the user half from its second page with an MMU
 * ({@code vm_mapCreate(VADDR_MIN + SIZE_PAGE, VADDR_USR_MAX)}), the memory map it was given without
 * one.
 *
 * @param pointerMax the largest value a pointer of the target holds, as an unsigned number
 * @param pageSize the target's page size
 */
record UserRanges(long pointerMax, int pageSize) {

    /** The checks for a target whose pointers are {@code pointerBytes} wide. */
    static UserRanges of(int pointerBytes, int pageSize) {
        return new UserRanges(pointerBytes >= 8 ? -1L : (1L << (8 * pointerBytes)) - 1, pageSize);
    }

    /** Whether {@code v} fits a pointer of the target (read as unsigned, as a {@code size_t} is). */
    boolean fits(long v) {
        return Long.compareUnsigned(v, pointerMax) <= 0;
    }

    /**
     * Whether {@code [addr, addr + len)}, {@code len} rounded up to pages, lies in
     * {@code [start, stop)}, computed without a sum that could wrap.
     */
    boolean inside(long addr, long len, long start, long stop) {
        if (!fits(addr) || !fits(len) || addr < start || addr > stop || len > stop - start) {
            return false;
        }
        return Sizes.alignUp(len, pageSize) <= stop - addr;
    }

    /** mmap: {@code ENOMEM} for a length or fixed range that cannot fit, {@code EINVAL} for a hint that is no address. */
    Option<VmError> mmap(long addr, long len, boolean fixed, long start, long stop) {
        if (!fits(len) || len > stop - start) {
            return Option.some(VmError.enomem(String.format("0x%x bytes do not fit the address space [0x%x, 0x%x)", len, start, stop)));
        }
        if (fixed && !inside(addr, len, start, stop)) {
            return Option.some(VmError.enomem(String.format("MAP_FIXED range 0x%x+0x%x is outside the address space [0x%x, 0x%x)",
                    addr, len, start, stop)));
        }
        if (!fits(addr)) {
            return Option.some(VmError.einval(String.format("0x%x is no address of this target", addr)));
        }
        return Option.none();
    }

    /** munmap: {@code EINVAL} for a range outside {@code [start, stop)}. */
    Option<VmError> munmap(long addr, long len, long start, long stop) {
        return inside(addr, len, start, stop) ? Option.none() : Option.some(VmError.einval(String.format(
                "munmap range 0x%x+0x%x is outside the address space [0x%x, 0x%x)", addr, len, start, stop)));
    }

    /** mprotect: {@code ENOMEM} for a range outside {@code [start, stop)}. */
    Option<VmError> mprotect(long addr, long len, long start, long stop) {
        return inside(addr, len, start, stop) ? Option.none() : Option.some(VmError.enomem(String.format(
                "mprotect range 0x%x+0x%x is outside the address space [0x%x, 0x%x)", addr, len, start, stop)));
    }
}
