package pvm.vm.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakeHal;
import pvm.vm.map.VmMap;
import pvm.vm.object.VmPagerTest.Proc;

/**
 * Threads fault the same file at once, each in its own address space through a shared and a
 * private mapping: concurrent fetches of one page race (all but one lose and free their page),
 * and no lock order may deadlock. Afterwards every shared mapping maps the object's one page per
 * offset, each thread's shared writes are in it, each private mapping holds only its own writes,
 * and every checker passes.
 */
class ConcurrentFaultTest {

    private static final int PAGE = FakeHal.PAGE;
    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int THREADS = 4;
    private static final int PAGES = 8;
    private static final int ACCESSES = 1500;

    private final long seed = Long.getLong("pvm.seed", System.nanoTime());
    private final TestStore store = new TestStore();
    private final Oid data = store.add("data", PAGES * PAGE);
    private final BootedVm m = BootedVm.init(store);
    private final PhysicalMemory ram = m.hal.memory();

    @Test
    void concurrentFaultsOnOneFileAgree() throws Exception {
        System.out.println("ConcurrentFaultTest: pvm.seed=" + seed);
        VmMap[] maps = new VmMap[THREADS];
        long[] shared = new long[THREADS];
        long[] priv = new long[THREADS];
        for (int t = 0; t < THREADS; t++) {
            Proc owner = new Proc("t" + t, true);
            maps[t] = m.maps.create(VirtAddr.of(0x10000), VirtAddr.of(FakeHal.VADDR_KERNEL)).get();
            VmObject o = m.pager.objectGet(data).get();
            shared[t] = maps[t].mmap(VirtAddr.NULL, Frame.NONE, Size.of((long) PAGES * PAGE), RW, o, 0, MapFlags.NONE, owner).get().value();
            priv[t] = maps[t].mmap(VirtAddr.NULL, Frame.NONE, Size.of((long) PAGES * PAGE), RW, o, 0, MapFlags.NEEDSCOPY, owner).get().value();
            m.pager.objectPut(o);
        }
        // Thread t writes byte t of each page (shared) and byte t+8 (private); the last values stay here.
        int[][] lastShared = new int[THREADS][PAGES];
        int[][] lastPrivate = new int[THREADS][PAGES];
        CyclicBarrier start = new CyclicBarrier(THREADS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            Random rnd = new Random(seed + t);
            java.util.Arrays.fill(lastShared[me], -1);
            java.util.Arrays.fill(lastPrivate[me], -1);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < ACCESSES; i++) {
                        int page = rnd.nextInt(PAGES);
                        int v = rnd.nextInt(256);
                        switch (rnd.nextInt(4)) {
                            case 0 -> {
                                assertEquals(0, Faults.write8(ram, maps[me], shared[me] + (long) page * PAGE + me, v));
                                lastShared[me][page] = v;
                            }
                            case 1 -> {
                                assertEquals(0, Faults.write8(ram, maps[me], priv[me] + (long) page * PAGE + 8 + me, v));
                                lastPrivate[me][page] = v;
                            }
                            case 2 -> assertTrue(Faults.read8(ram, maps[me], shared[me] + (long) page * PAGE + 100) >= 0);
                            default -> assertTrue(Faults.read8(ram, maps[me], priv[me] + (long) page * PAGE + 100) >= 0);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread th : threads) {
            th.join(30_000);
            assertTrue(!th.isAlive(), "a thread is stuck (deadlock?), seed " + seed);
        }
        if (failure.get() != null) {
            throw new AssertionError("seed " + seed, failure.get());
        }
        assertEquals(List.of(), m.verify(), "seed " + seed);

        VmObject o = m.pager.findObject(data).get();
        assertEquals(PAGES, o.residentPages());
        for (int page = 0; page < PAGES; page++) {
            long objectPage = m.pages.frames().addr(o.page(page));
            for (int t = 0; t < THREADS; t++) {
                long pa = Faults.phys(maps[t], shared[t] + (long) page * PAGE);
                assertTrue(pa == -1 || pa == objectPage, "one page per offset for every shared mapping");
                int want = lastShared[t][page] >= 0 ? lastShared[t][page] : TestStore.byteAt(data, (long) page * PAGE + t) & 0xff;
                assertEquals(want, ram.read8(objectPage + t), "thread " + t + "'s shared write to page " + page);
                for (int u = 0; u < THREADS; u++) {
                    // Shared writes touch bytes 0..3 only, so bytes 8.. of a private page are the
                    // file's, except the thread's own private write: never another thread's.
                    int got = Faults.read8(ram, maps[t], priv[t] + (long) page * PAGE + 8 + u);
                    int expected = u == t && lastPrivate[t][page] >= 0 ? lastPrivate[t][page]
                            : TestStore.byteAt(data, (long) page * PAGE + 8 + u) & 0xff;
                    assertEquals(expected, got, "byte " + (8 + u) + " of thread " + t + "'s private page " + page);
                }
            }
        }
        for (int t = 0; t < THREADS; t++) {
            m.maps.destroy(null, maps[t]);
        }
        assertEquals(0, m.pager.objectCount());
        assertEquals(List.of(), m.verify());
    }
}
