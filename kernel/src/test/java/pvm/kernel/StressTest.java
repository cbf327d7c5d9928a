package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * Phoenix's {@code mem/test_mmap.c} pattern under concurrency: four threads, each its own process
 * on its own CPU, map, fill, check and unmap random regions for a few seconds while the others do
 * the same; then every invariant checker runs and the machine has its memory back.
 */
class StressTest {

    private static final int THREADS = 4;
    private static final long RUN_NANOS = 3_000_000_000L;

    @Test
    void concurrentProcessesMapFillCheckAndUnmap() throws InterruptedException {
        var arch = Architectures.named("i686").get();
        Machine machine = Machine.boot(arch, new MachineConfig(64L << 20, THREADS), line -> { }).get();
        Accounting before = machine.accounting();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] rounds = new long[THREADS];
        long base = Long.getLong("pvm.seed", System.nanoTime());
        System.out.println("StressTest: pvm.seed=" + base + " (thread t runs seed pvm.seed + t)");
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            long seed = base + t;
            threads.add(Thread.ofPlatform().name("cpu" + t).start(() -> {
                try {
                    start.await();
                    rounds[id] = run(machine, machine.cpu(id), "p" + id, seed, failures);
                } catch (Throwable e) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(trace));
                    failures.add("thread " + id + " (seed " + seed + "): " + trace.toString().lines().limit(12)
                            .reduce((a, b) -> a + "\n" + b).orElse(e.toString()));
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        for (long r : rounds) {
            assertTrue(r > 0, "every thread must have completed rounds");
        }
        Checks.assertConsistent(machine);
        assertEquals("", machine.accounting().differencesFrom(before), "everything given back after exit");
    }

    private static long run(Machine machine, Cpu cpu, String name, long seed, ConcurrentLinkedQueue<String> failures) {
        Random random = new Random(seed);
        Process p = machine.spawn(name).get();
        int page = machine.pageSize();
        long rounds = 0;
        long deadline = System.nanoTime() + RUN_NANOS;
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            int pages = 1 + random.nextInt(16);
            int fill = random.nextInt(256);
            var mapped = machine.mmap(p, VirtAddr.NULL, Size.of((long) pages * page), Prot.READ | Prot.WRITE,
                    MapFlags.PRIVATE | MapFlags.ANONYMOUS, null, 0);
            if (mapped.isLeft()) {
                failures.add(name + " (seed " + seed + "): mmap " + mapped.getLeft());
                break;
            }
            long a = mapped.get().value();
            for (long va = a; va < a + (long) pages * page; va += 64) {
                if (!cpu.storeRaw(p, 8, va, fill)) {
                    failures.add(name + " (seed " + seed + "): " + cpu.lastSegv().describe());
                    return rounds;
                }
            }
            for (long va = a; va < a + (long) pages * page; va += 64) {
                long v = cpu.loadRaw(p, 8, va);
                if (v != fill) {
                    failures.add(String.format("%s (seed %d): 0x%08x holds %d, expected %d", name, seed, va, v, fill));
                    return rounds;
                }
            }
            var unmapped = machine.munmap(p, VirtAddr.of(a), Size.of((long) pages * page));
            if (unmapped.isLeft()) {
                failures.add(name + " (seed " + seed + "): munmap " + unmapped.getLeft());
                break;
            }
            rounds++;
        }
        machine.exit(p).get();
        return rounds;
    }
}
