package pvm.hal.pmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Lock;

/**
 * One CPU's in-flight access counter: odd while an access (its translation and the memory
 * operation that uses it) is under way, even between accesses. A TLB shootdown, after it has
 * invalidated the entries, {@linkplain #awaitRetired waits} on every CPU's counter until the access
 * it saw under way has completed. So once a shootdown returns, no CPU can still complete an access
 * through a translation it dropped, as on hardware, where the initiator waits for every CPU to
 * acknowledge the IPI and a CPU takes the interrupt only between instructions (Phoenix's
 * {@code hal_tlbCommit} spins until every confirmation is in).
 *
 * <p>Only the owning CPU's thread calls {@link #begin} and {@link #end}; any thread may wait. The
 * owner must never wait on its own counter while it is odd: it closes its access before it takes a
 * fault (whose pmap changes shoot down) and before it waits for the pmap lock (which a shootdown's
 * caller may hold). Allocation-free: two stores per access.
 */
public final class InFlightAccess {

    private static final VarHandle SEQUENCE;

    static {
        try {
            SEQUENCE = MethodHandles.lookup().findVarHandle(InFlightAccess.class, "sequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Spins before a waiter starts yielding the host CPU to the thread it waits for. */
    private static final int SPINS = 64;

    @SuppressWarnings("unused") // through SEQUENCE
    private long sequence;

    /**
     * Opens an access. A volatile store: it must be ordered before the TLB and page-table reads of
     * the translation (a shootdown writes the tables, invalidates, then reads this counter).
     */
    public void begin() {
        SEQUENCE.setVolatile(this, (long) SEQUENCE.get(this) + 1);
    }

    /** Closes the access: a release store, so a waiter that sees it also sees the access's writes. */
    public void end() {
        SEQUENCE.setRelease(this, (long) SEQUENCE.get(this) + 1);
    }

    /** Whether an access is open (diagnostics and tests). */
    public boolean underWay() {
        return ((long) SEQUENCE.getVolatile(this) & 1) != 0;
    }

    /**
     * Takes {@code lock} from inside an access (an MMU walk setting A or D under the pmap lock). The
     * lock's holder may be shooting down and waiting for this very access, so while it waits for the
     * lock the access is closed, and it is opened again once the lock is held: what the caller reads
     * again under the lock is then current within the access. Outside an access it just locks.
     */
    public void lockWithin(Lock lock) {
        if (lock.tryLock()) {
            return;
        }
        boolean open = ((long) SEQUENCE.get(this) & 1) != 0;
        if (open) {
            end();
        }
        lock.lock();
        if (open) {
            begin();
        }
    }

    /** Returns once the access under way now, if any, has completed. */
    public void awaitRetired() {
        long seen = (long) SEQUENCE.getVolatile(this);
        if ((seen & 1) == 0) {
            return;
        }
        for (int spins = 0; (long) SEQUENCE.getVolatile(this) == seen; spins++) {
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the CPU we wait for may be a descheduled host thread
            }
        }
    }
}
