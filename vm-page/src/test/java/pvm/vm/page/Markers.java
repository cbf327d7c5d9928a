package pvm.vm.page;

import pvm.hal.pmap.PageFlags;

/**
 * The ia32 page-map letters ({@code pmap_marker} in {@code hal/ia32/pmap.c}) as the tests of this
 * layer expect them; the letters of a real machine are its architecture's
 * ({@link pvm.hal.pmap.Architecture#marker}). A free page shows
 * {@code .}; otherwise the owner picks a row (boot {@code B}, kernel, app {@code A}, and {@code U}
 * for the fourth owner value) and, for the kernel, the use picks the letter: {@code K} plain,
 * {@code Y} syspage, {@code C} cpu, {@code P} page table, {@code M} pmap, {@code S} stack,
 * {@code H} heap.
 */
final class Markers {

    private static final String[] ROWS = {
        "BBBBBBBBBBBBBBBB",
        "KYCPMSHKKKKKKKKK",
        "AAAAAAAAAAAAAAAA",
        "UUUUUUUUUUUUUUUU",
    };

    private Markers() {
    }

    /** The ia32 marker of a page with flag byte {@code flags}. */
    static char ia32(int flags) {
        if (PageFlags.isFree(flags)) {
            return '.';
        }
        // Phoenix indexes by two owner bits only, so owner values 4..7 fold onto 0..3.
        return ROWS[(flags >> 1) & 3].charAt((flags >> 4) & 0xf);
    }
}
