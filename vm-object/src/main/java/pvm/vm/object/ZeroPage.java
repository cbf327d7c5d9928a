package pvm.vm.object;

import pvm.hal.pmap.Policy;

/**
 * What a read of untouched anonymous memory maps.
 *
 * <p>Phoenix's {@code amap_page} answers every first fault of anonymous memory with a fresh page,
 * zeroed, whether the access reads or writes. SerenityOS ({@code MM.shared_zero_page()}) maps one
 * page of zeros, read-only and owned by the kernel, for every read of a page never written, in every
 * process; only the first write allocates, by copying it (here: by taking a fresh zeroed page, which
 * is the same thing). A program that reads a large table before filling a part of it then costs
 * one page instead of one page per page read.
 */
public enum ZeroPage {

    /** A fresh zeroed page for every first fault, read or write: Phoenix's, and pvm's default. */
    FRESH,

    /** One shared, read-only, kernel-owned page of zeros for reads; the first write takes a page. */
    SHARED;

    /**
     * {@code --policy zeropage=fresh|shared}. Without an MMU nothing faults (every page is
     * allocated at mmap), so the policy is not offered there.
     */
    public static final Policy<ZeroPage> POLICY = new Policy<>("zeropage", ZeroPage.class, FRESH, FRESH,
            "what a read of untouched anonymous memory maps: a fresh page (fresh, Phoenix's) or one shared page of zeros (shared, SerenityOS's)");
}
