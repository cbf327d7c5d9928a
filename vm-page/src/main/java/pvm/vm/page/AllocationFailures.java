package pvm.vm.page;

/**
 * Fault injection at every allocation point, after SQLite's discipline of failing each malloc of a
 * statement in turn: one counter per machine that every allocator a system call or a fault can
 * reach consults just before it allocates, and that can be told to fail one of the coming
 * allocations, or every one from there on. Phoenix has nothing like it; it exists so that tests
 * and {@code pvm sweep} can prove that each out-of-memory path leaves every structure as it was.
 *
 * <p>The allocation points that consult it: the page allocator ({@code _page_alloc}, page tables
 * included), the map entry pool ({@code map_alloc}), kmalloc ({@code vm_kmalloc}), zone creation
 * ({@code _vm_zoneCreate}), and the object layer's reads of the backing store ({@code object_fetch}'s
 * {@code proc_read}, and the copies of no-MMU file mappings). An injected failure looks exactly
 * like the real one: no page, no entry, a null block, a read that fails.
 *
 * <p>The machine's page allocator owns the one instance ({@link PageAllocator#failures}); the
 * layers above take it from there when they are built, so two machines never share one. Off (the
 * normal state) a consultation is one compare of an int field. Arm it between statements, with the
 * machine quiet; the counting is exact when one thread allocates, as in every test and sweep.
 */
public final class AllocationFailures {

    /** {@link #countdown} when nothing is armed. */
    private static final int OFF = -1;

    /** Allocations still to succeed before one fails; {@link #OFF} when disarmed. */
    private int countdown = OFF;
    /** Whether every allocation after the first failed one fails too. */
    private boolean persistent;
    /** Allocations that consulted this since it was last armed. */
    private long consulted;
    private long injected;

    /**
     * Consulted by an allocator just before it allocates: true when this allocation must fail.
     * The hot path when off: one compare.
     */
    public boolean failNext() {
        if (countdown < 0) {
            return false;
        }
        return tick();
    }

    private synchronized boolean tick() {
        if (countdown < 0) {
            return false;
        }
        consulted++;
        if (countdown > 0) {
            countdown--;
            return false;
        }
        injected++;
        if (!persistent) {
            countdown = OFF;
        }
        return true;
    }

    /** Lets {@code n} more allocations succeed and fails the one after them, once ({@code inject ENOMEM after N}). */
    public synchronized void failAfter(int n) {
        arm(n, false);
    }

    /** Lets {@code n} more allocations succeed and fails every one after them, until {@link #off}. */
    public synchronized void failEveryAfter(int n) {
        arm(n, true);
    }

    /**
     * Counts the allocations from now on without failing any (until about two billion of them), for
     * {@link #consulted}: how a sweep learns how many allocation points a statement passes.
     */
    public synchronized void count() {
        arm(Integer.MAX_VALUE, false);
    }

    private void arm(int n, boolean every) {
        if (n < 0) {
            throw new IllegalArgumentException("a negative number of allocations to let through: " + n);
        }
        countdown = n;
        persistent = every;
        consulted = 0;
    }

    /** Disarms: every allocation succeeds again ({@code inject off}). */
    public synchronized void off() {
        countdown = OFF;
    }

    /** Whether a failure is still to come (or, persistent, is being injected). */
    public synchronized boolean armed() {
        return countdown >= 0;
    }

    /**
     * How many allocations consulted this since it was last armed, the failed ones included (and
     * still after a one-off failure disarmed it, until it is armed again).
     */
    public synchronized long consulted() {
        return consulted;
    }

    /** How many allocations have been failed on purpose since the machine booted. */
    public synchronized long injected() {
        return injected;
    }
}
