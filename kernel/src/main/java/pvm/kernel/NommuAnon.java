package pvm.kernel;

import pvm.hal.pmap.Policy;

/**
 * What a new anonymous mapping holds without an MMU, where no fault brings in a zeroed page.
 *
 * <p>Phoenix's no-MMU {@code _vm_mmap} hands out the memory as it is: a new process's mapping
 * holds what an exited process left there, and {@code MAP_FIXED} over one's own memory, or a munmap
 * followed by an mmap, gives the old bytes back. POSIX wants anonymous memory zeroed, and Linux's
 * no-MMU kernel zeroes it unless asked for {@code MAP_UNINITIALIZED}; so does pvm by default.
 */
public enum NommuAnon {

    /** Every byte of a new anonymous mapping is 0 (POSIX, Linux's no-MMU kernel). */
    ZEROED,

    /** Phoenix's: the mapping holds whatever the memory held before. */
    UNINITIALIZED;

    /** {@code --policy nommuanon=zeroed|uninitialized}. */
    public static final Policy<NommuAnon> POLICY = new Policy<>("nommuanon", NommuAnon.class, ZEROED, UNINITIALIZED,
            "without an MMU, whether mmap zeroes anonymous memory (zeroed) or leaves what the memory held (uninitialized, Phoenix's)");
}
