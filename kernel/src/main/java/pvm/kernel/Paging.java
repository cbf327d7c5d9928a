package pvm.kernel;

import pvm.hal.pmap.Policy;

/**
 * How processes get their pages: Phoenix's {@code process->lazy}.
 *
 * <p>Phoenix sets {@code lazy} only without an MMU: with one, {@code _vm_mmap} populates every page
 * of a new mapping and fork copies every page at once. pvm makes processes lazy everywhere (demand
 * paging and copy-on-write are what the model is for) and keeps Phoenix's choice as a policy.
 */
public enum Paging {

    /** Demand paging and copy-on-write fork on every target. */
    LAZY,

    /** Phoenix's choice: with an MMU, mmap populates and fork copies at once; without one, lazy. */
    EAGER;

    /** {@code --policy paging=lazy|eager}. */
    public static final Policy<Paging> POLICY = new Policy<>("paging", Paging.class, LAZY, EAGER,
            "whether processes with an MMU fault pages in on demand (lazy) or get them at mmap and fork (eager, Phoenix's)");
}
