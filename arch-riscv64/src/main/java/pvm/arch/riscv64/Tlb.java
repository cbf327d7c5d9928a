package pvm.arch.riscv64;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One hart's translation lookaside buffer: {@value #ENTRIES} entries, direct-mapped by the low bits
 * of the virtual page number. Each entry is one {@code long}, so a reader never sees half an entry:
 *
 * <pre>
 *   bits 33..63  physical page number (31 bits: physical addresses below 2^43)
 *   bits  6..32  virtual page number (the tag: VPN[2..0], 27 bits)
 *   bit   5      D set in the leaf
 *   bit   4      U
 *   bit   3      X
 *   bit   2      W
 *   bit   1      R
 *   bit   0      valid
 * </pre>
 *
 * <p>The TLB holds 4 KiB translations; a superpage is cached one 4 KiB piece at a time, so an
 * {@code sfence.vma} of one address drops only that piece where hardware would drop the whole
 * superpage. Phoenix never changes a superpage once {@code _pmap_preinit} wrote it (the only one is
 * the device tree's gigapage), and a full fence drops every piece. There is no
 * ASID (Phoenix leaves it 0), so a {@code satp} write followed by {@code sfence.vma} drops everything.
 *
 * <p>Only the owning hart fills entries; any thread may invalidate them (a remote
 * {@code sfence.vma} through SBI). As on i686, every invalidation bumps a generation counter first,
 * and a fill that sees it move since its walk began takes its entry back out; an access already
 * under way may complete with the dropped entry, and the shootdown ({@link PmapCommon#shootdown})
 * waits for it before it returns, as SBI's remote fence returns only once every hart has fenced.
 */
final class Tlb {

    static final int ENTRIES = 64;

    static final long VALID = 1L << 0;
    static final long READ = 1L << 1;
    static final long WRITE = 1L << 2;
    static final long EXEC = 1L << 3;
    static final long USER = 1L << 4;
    static final long DIRTY = 1L << 5;

    static final long VPN_MASK = (1L << 27) - 1;
    private static final int VPN_SHIFT = 6;
    private static final int PPN_SHIFT = 33;
    private static final long MAX_PPN = (1L << 31) - 1;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INDEX_MASK = ENTRIES - 1;

    private final long[] slots = new long[ENTRIES];
    private final AtomicLong generation = new AtomicLong();

    /** The virtual page number of {@code va} (bits 38..12; the walk uses no others). */
    static long vpn(long va) {
        return (va >>> Sv39.PAGE_SHIFT) & VPN_MASK;
    }

    /** The physical page address an entry holds. */
    static long frame(long e) {
        return (e >>> PPN_SHIFT) << Sv39.PAGE_SHIFT;
    }

    /** The entry cached for virtual page {@code vpn}, or 0 where there is none. */
    long lookup(long vpn) {
        long e = (long) SLOT.getVolatile(slots, (int) vpn & INDEX_MASK);
        return ((e >>> VPN_SHIFT) & VPN_MASK) == vpn && (e & VALID) != 0 ? e : 0;
    }

    /** The generation a walk starts from; pass it to {@link #fill}. */
    long generation() {
        return generation.get();
    }

    /** Caches the result of a walk begun at generation {@code since}, unless it was invalidated meanwhile. */
    void fill(long vpn, long frame, long rights, long since) {
        long ppn = frame >>> Sv39.PAGE_SHIFT;
        if (ppn > MAX_PPN) {
            throw new IllegalStateException(String.format("physical page 0x%x is beyond what this TLB holds", frame));
        }
        int i = (int) vpn & INDEX_MASK;
        long e = (ppn << PPN_SHIFT) | (vpn << VPN_SHIFT) | rights | VALID;
        SLOT.setVolatile(slots, i, e);
        if (generation.get() != since) {
            SLOT.compareAndSet(slots, i, e, 0L);
        }
    }

    /** {@code sfence.vma va, zero}: drops the entry for virtual page {@code vpn}, if cached. */
    void invalidate(long vpn) {
        generation.incrementAndGet();
        int i = (int) vpn & INDEX_MASK;
        long e = (long) SLOT.getVolatile(slots, i);
        if (((e >>> VPN_SHIFT) & VPN_MASK) == vpn) {
            SLOT.compareAndSet(slots, i, e, 0L);
        }
    }

    /** {@code sfence.vma zero, zero}: drops every entry. */
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

    /** The virtual page number an entry is tagged with. */
    static long tag(long e) {
        return (e >>> VPN_SHIFT) & VPN_MASK;
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
