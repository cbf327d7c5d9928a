package pvm.vm.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KernelLockTest {

    /** A counter updated non-atomically, so a lost update shows any lapse of mutual exclusion. */
    private long counter;

    @Test
    void fourThreadsNeverLoseAnUpdate() throws InterruptedException {
        KernelLock lock = new KernelLock();
        int threads = 4;
        int rounds = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        lock.lock();
                        try {
                            long c = counter;
                            if ((i & 1023) == 0) {
                                Thread.yield(); // hold the lock across a reschedule now and then: waiters park
                            }
                            counter = c + 1;
                        } finally {
                            lock.unlock();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(1));
            assertFalse(w.isAlive(), "a worker is stuck");
        }
        assertEquals(null, failure.get());
        assertEquals((long) threads * rounds, counter);
    }

    @Test
    void isReentrantAndCountsItsHolds() {
        KernelLock lock = new KernelLock();
        lock.lock();
        lock.lock();
        assertTrue(lock.tryLock());
        lock.unlock();
        lock.unlock();
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        assertFalse(lock.isHeldByCurrentThread());
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    void onlyTheHolderMayUnlock() throws InterruptedException {
        KernelLock lock = new KernelLock();
        lock.lock();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicReference<Boolean> tried = new AtomicReference<>();
        Thread other = new Thread(() -> {
            tried.set(lock.tryLock());
            try {
                lock.unlock();
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        other.start();
        other.join();
        assertEquals(Boolean.FALSE, tried.get());
        assertTrue(seen.get() instanceof IllegalMonitorStateException, String.valueOf(seen.get()));
        lock.unlock();
    }

    @Test
    void aWaiterKeepsItsInterruptAndStillGetsTheLock() throws InterruptedException {
        KernelLock lock = new KernelLock();
        lock.lock();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            lock.lock();
            try {
                interrupted.set(Thread.currentThread().isInterrupted());
            } finally {
                lock.unlock();
            }
        });
        waiter.start();
        Thread.sleep(20);
        waiter.interrupt();
        Thread.sleep(20);
        assertTrue(waiter.isAlive(), "the waiter must not give up on an interrupt");
        lock.unlock();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiter.isAlive());
        assertEquals(Boolean.TRUE, interrupted.get());
    }
}
