package pvm.arch.riscv64;

import pvm.hal.pmap.PageFlags;

/**
 * {@code pmap_marker} of {@code hal/riscv64/pmap.c}: the page map's letter for a page's flags. The
 * letter sets are Phoenix's riscv64 ones (the same as ia32's): {@code B} boot; {@code K} kernel,
 * {@code Y} syspage, {@code C} cpu, {@code P} page table, {@code M} pmap, {@code S} stack,
 * {@code H} heap; {@code A} application; {@code U} unknown owner; {@code .} free.
 */
final class PageMarkers {

    private static final String[] MARKSETS = {"BBBBBBBBBBBBBBBB", "KYCPMSHKKKKKKKKK", "AAAAAAAAAAAAAAAA", "UUUUUUUUUUUUUUUU"};

    private PageMarkers() {
    }

    static char marker(int pageFlags) {
        if ((pageFlags & PageFlags.FREE) != 0) {
            return '.';
        }
        return MARKSETS[(pageFlags >> 1) & 3].charAt((pageFlags >> 4) & 0xf);
    }
}
