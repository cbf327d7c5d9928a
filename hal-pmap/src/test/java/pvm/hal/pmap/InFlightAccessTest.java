package pvm.hal.pmap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class InFlightAccessTest {

    private final InFlightAccess cpu = new InFlightAccess();

    @Test
    void aWaiterReturnsAtOnceWhenNoAccessIsUnderWay() {
        assertFalse(cpu.underWay());
        cpu.begin();
        cpu.end();
        assertTimeoutPreemptively(Duration.ofSeconds(10), cpu::awaitRetired);
    }

    @Test
    void aWaiterReturnsOnlyOnceTheAccessUnderWayCompleted() throws InterruptedException {
        cpu.begin();
        assertTrue(cpu.underWay());
        Thread shootdown = new Thread(cpu::awaitRetired, "shootdown");
        shootdown.start();
        shootdown.join(200);
        assertTrue(shootdown.isAlive(), "the waiter returned while the access was under way");
        cpu.end();
        shootdown.join(10_000);
        assertFalse(shootdown.isAlive(), "the waiter returns once the access completed");
    }

    /**
     * The pmap lock's holder shoots down and waits for this CPU's access, which needs the lock (an
     * MMU walk setting A or D): the access steps out while it waits for the lock, so both complete.
     */
    @Test
    void anAccessWaitingForALockDoesNotHoldUpTheShootdownUnderIt() throws InterruptedException {
        ReentrantLock pmapLock = new ReentrantLock();
        CountDownLatch locked = new CountDownLatch(1);
        Thread shootdown = new Thread(() -> {
            pmapLock.lock();
            try {
                locked.countDown();
                while (!pmapLock.hasQueuedThreads()) {
                    Thread.onSpinWait(); // until the access below waits for the lock
                }
                cpu.awaitRetired();
            } finally {
                pmapLock.unlock();
            }
        }, "shootdown");
        shootdown.start();
        locked.await();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            cpu.begin();
            cpu.lockWithin(pmapLock);
            assertTrue(cpu.underWay(), "the access is open again once the lock is held");
            pmapLock.unlock();
            cpu.end();
        });
        shootdown.join(10_000);
        assertFalse(shootdown.isAlive(), "the shootdown completed");
    }
}
