package pvm.vm.page;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Phoenix's {@code lock_t} with {@code proc_lockSet} / {@code proc_lockClear}, as the allocators'
 * hot paths take it: the page allocator's {@code pages_info.lock}, kmalloc's
 * {@code kmalloc_common.lock}.
 *
 * <p>Why not {@link java.util.concurrent.locks.ReentrantLock}: an allocation and its free are each a
 * few dozen loads and stores, so the lock is a large share of them. Taken and given back with
 * nothing in between, a {@code ReentrantLock} costs about 6 ns on the 2-core development machine,
 * this lock about 3: one compare-and-set to take it and one release store, with no fence, to give
 * it back ({@code ReentrantLock}'s release is a volatile write, a full fence on x86, and goes through
 * the queue-synchronizer code). On the allocators' paths the difference is smaller (the
 * compare-and-set waits for the stores before it either way): a page alloc+free pair gains about
 * 2 ns of 22. {@code synchronized} measured slower there than both (lightweight locking takes a
 * compare-and-set to lock and another to unlock). The owner is kept as a thread id, not a
 * {@code Thread}: storing a reference would add the garbage collector's write barrier.
 *
 * <p>It behaves like {@code ReentrantLock} where callers can tell: it is reentrant (the layers above
 * call down while holding their own locks, and a callback may re-enter), an unlock by a thread that
 * does not hold it throws {@link IllegalMonitorStateException}, and {@link #lock} is not interruptible
 * (an interrupt that arrives while waiting is kept for the caller). Contended, a thread spins a
 * little (the holder's critical section is short), then parks.
 *
 * <p>The release store is not followed by a fence, so an unlocking thread may read the waiter count
 * before a thread that has just registered becomes visible to it, and not wake that thread. A waiter
 * therefore parks for {@value #PARK_NANOS} ns at most and then tries again: the rare race costs that
 * much latency, never a lost lock. The stress tests of the kernel run four threads through these
 * locks.
 */
public final class KernelLock {

    /** Compare-and-set attempts before a thread parks: the critical sections are short. */
    private static final int SPINS = 100;

    /** The longest a waiter sleeps before it looks at the lock again (see the class comment). */
    private static final long PARK_NANOS = 50_000;

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(KernelLock.class, "state", int.class);
            WAITERS = l.findVarHandle(KernelLock.class, "waiters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 when free, 1 when held. */
    private volatile int state;
    /**
     * The holder's {@link Thread#threadId()}, 0 when free (thread ids are positive). Written only by
     * the thread that holds the lock, so a thread finds its own id here only while it holds it. An
     * id rather than the {@code Thread}: storing a reference costs a garbage-collector write barrier,
     * which on G1 can include a full fence.
     */
    private long owner;
    /** Re-entries beyond the first; only the holder reads or writes it. */
    private int holds;
    /** Threads registered in {@link #parked}. */
    private volatile int waiters;
    /** The threads waiting, oldest first; allocates only when a thread has to wait. */
    private final ConcurrentLinkedQueue<Thread> parked = new ConcurrentLinkedQueue<>();

    /** {@code proc_lockSet}: takes the lock, waiting as long as it takes; reentrant. */
    public void lock() {
        long me = Thread.currentThread().threadId();
        if (STATE.compareAndSet(this, 0, 1)) {
            owner = me;
            return;
        }
        lockSlow(me);
    }

    /** Takes the lock if it is free (or already this thread's), without waiting. */
    public boolean tryLock() {
        long me = Thread.currentThread().threadId();
        if (STATE.compareAndSet(this, 0, 1)) {
            owner = me;
            return true;
        }
        if (owner == me) {
            holds++;
            return true;
        }
        return false;
    }

    /** {@code proc_lockClear}. */
    public void unlock() {
        if (owner != Thread.currentThread().threadId()) {
            throw new IllegalMonitorStateException("unlock by a thread that does not hold the lock");
        }
        if (holds != 0) {
            holds--;
            return;
        }
        owner = 0;
        STATE.setRelease(this, 0);
        if (waiters != 0) {
            Thread next = parked.peek();
            if (next != null) {
                LockSupport.unpark(next);
            }
        }
    }

    /** Whether the calling thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread().threadId();
    }

    private void lockSlow(long me) {
        if (owner == me) {
            holds++;
            return;
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
                owner = me;
                return;
            }
        }
        boolean interrupted = false;
        Thread self = Thread.currentThread();
        WAITERS.getAndAdd(this, 1);
        parked.add(self);
        try {
            while (!(state == 0 && STATE.compareAndSet(this, 0, 1))) {
                LockSupport.parkNanos(this, PARK_NANOS);
                // park returns at once while the interrupt flag is set: clear it, restore it later.
                interrupted |= Thread.interrupted();
            }
            owner = me;
        } finally {
            parked.remove(self);
            WAITERS.getAndAdd(this, -1);
            if (interrupted) {
                self.interrupt();
            }
        }
    }
}
