package pvm.hal.pmap;

/**
 * One CPU's view of memory: translation of a virtual address for an access, with the TLB and the
 * fault that hardware raises. A load or store by simulated code goes {@link #translate} then
 * {@link PhysicalMemory}; a fault goes to the kernel's fault path, which fixes the mapping and
 * retries.
 *
 * <p>Not thread-safe: one CPU runs one thread at a time. The TLB may be invalidated from other
 * threads (shootdowns), which implementations make safe.
 *
 * <p>An access is bracketed: {@link #beginAccess}, {@link #translate}, the memory operation, then
 * {@link #endAccess}. A shootdown on another CPU does not return while an access that may have used
 * a translation it dropped is still between the two, so no store lands in a frame after the
 * mapping moved away from it (a copy-on-write copy, a freed page). A fault is taken outside the
 * bracket ({@link #endAccess} first), since the fault path changes mappings and shoots down.
 */
public interface Mmu {

    /** What {@link #translate} returns when the access faults; {@link #lastFault} says why. */
    long FAULT = -1;

    /**
     * Translates {@code va} for an access of kind {@code access} ({@link Access} bits). On i686
     * this walks the page tables on a TLB miss and sets the Accessed and Dirty bits in simulated
     * RAM as the processor does.
     *
     * @return the physical address, or {@link #FAULT}
     */
    long translate(long va, int access);

    /**
     * Opens an access on this CPU (see the class comment): from here to {@link #endAccess},
     * shootdowns wait for it. Allocation-free.
     */
    void beginAccess();

    /** Closes the access {@link #beginAccess} opened. */
    void endAccess();

    /** The fault raised by the last {@link #translate} that returned {@link #FAULT}. */
    Fault lastFault();

    /** The address space currently loaded ({@link Pmap#switchTo}), or {@code null}. */
    Pmap current();

    /** Drops the cached translation of the page holding {@code va} ({@code invlpg}). */
    void invalidate(long va);

    /** Drops every cached translation (a CR3 reload). */
    void flush();

    /** This CPU's number. */
    int id();

    /** TLB hits since boot. */
    long tlbHits();

    /** TLB misses (table walks) since boot. */
    long tlbMisses();

    /** A human-readable account of the walk of {@code va} in {@code pmap}: each level's entry and bits. */
    String describeWalk(Pmap pmap, long va);
}
