package pvm.arch.i686;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One CPU's translation lookaside buffer: {@value #ENTRIES} entries, direct-mapped by the low bits
 * of the virtual page number. Each entry is one {@code long}, so a reader never sees half an entry:
 *
 * <pre>
 *   bits 32..51  virtual page number (the tag)
 *   bits 12..31  physical page
 *   bit  3       D known set in the PTE
 *   bit  2       effective R/W (PDE and PTE both writable)
 *   bit  1       effective U/S (PDE and PTE both user)
 *   bit  0       valid
 * </pre>
 *
 * <p>Only the owning CPU fills entries; any thread may invalidate them (a shootdown). A walk that
 * read the tables before an invalidation must not leave its stale result behind afterwards: every
 * invalidation bumps a generation counter first, and a fill that sees the generation move since its
 * walk began takes its entry back out. All slot accesses are volatile, so a fill and an
 * invalidation are totally ordered with the counter. An access already under way when an entry is
 * dropped may still complete with the old translation, as one issued before the IPI arrives would;
 * the shootdown ({@link PmapCommon#shootdown}) then waits for it to complete before it returns, as
 * the initiator of an IPI waits for every CPU's acknowledgement, so no access uses a dropped
 * translation once the page-table change is done.
 */
final class Tlb {

    static final int ENTRIES = 64;

    static final long VALID = 1L << 0;
    static final long USER = 1L << 1;
    static final long WRITE = 1L << 2;
    static final long DIRTY = 1L << 3;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INDEX_MASK = ENTRIES - 1;

    private final long[] slots = new long[ENTRIES];
    private final AtomicLong generation = new AtomicLong();

    /** The entry cached for virtual page {@code vpn}, or 0 where there is none. */
    long lookup(long vpn) {
        long e = (long) SLOT.getVolatile(slots, (int) vpn & INDEX_MASK);
        return (e >>> 32) == vpn && (e & VALID) != 0 ? e : 0;
    }

    /** The generation a walk starts from; pass it to {@link #fill}. */
    long generation() {
        return generation.get();
    }

    /** Caches the result of a walk begun at generation {@code since}, unless it was invalidated meanwhile. */
    void fill(long vpn, long frame, long rights, long since) {
        int i = (int) vpn & INDEX_MASK;
        long e = (vpn << 32) | (frame & Paging.FRAME_MASK) | rights | VALID;
        SLOT.setVolatile(slots, i, e);
        if (generation.get() != since) {
            SLOT.compareAndSet(slots, i, e, 0L);
        }
    }

    /** {@code invlpg}: drops the entry for virtual page {@code vpn}, if cached. */
    void invalidate(long vpn) {
        generation.incrementAndGet();
        int i = (int) vpn & INDEX_MASK;
        long e = (long) SLOT.getVolatile(slots, i);
        if ((e >>> 32) == vpn) {
            SLOT.compareAndSet(slots, i, e, 0L);
        }
    }

    /** A CR3 reload: drops every entry. */
    void flush() {
        generation.incrementAndGet();
        for (int i = 0; i < ENTRIES; i++) {
            SLOT.setVolatile(slots, i, 0L);
        }
    }

    /** The raw entry in slot {@code i}: 0, or a translation in the layout above (the checker reads them all). */
    long slot(int i) {
        return (long) SLOT.getVolatile(slots, i);
    }

    /** Valid entries now cached (diagnostics). */
    int valid() {
        int n = 0;
        for (int i = 0; i < ENTRIES; i++) {
            if ((((long) SLOT.getVolatile(slots, i)) & VALID) != 0) {
                n++;
            }
        }
        return n;
    }
}
