package pvm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PageFrames;
import pvm.kernel.Machine;

/**
 * {@code boot4G}: boots a 4 GiB i686 machine several times in a fresh JVM and prints the median
 * boot time, the heap the page-frame table takes per frame, and the process's resident set after
 * the last boot. A single-shot figure, so it runs outside JMH's steady-state loop.
 */
public final class BootFigures {

    private BootFigures() {
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        var arch = Architectures.named("i686").getOrElseThrow(message -> new IllegalStateException(message));
        MachineConfig config = new MachineConfig(4L << 30, 1);
        long[] nanos = new long[runs];
        // The resident-set growth is measured across the first boot of this JVM, so it is an
        // upper bound: it includes loading and compiling pvm's classes, not only the machine.
        long rssBefore = 0;
        long rssAfterFirst = 0;
        Machine machine = null;
        for (int i = 0; i < runs; i++) {
            machine = null;
            System.gc();
            if (i == 0) {
                rssBefore = residentKib();
            }
            long t0 = System.nanoTime();
            machine = Machine.boot(arch, config, line -> { }).getOrElseThrow(e -> new IllegalStateException(e.message()));
            nanos[i] = System.nanoTime() - t0;
            if (i == 0) {
                // What one booted 4 GiB machine adds to the process: the page_t arrays, the pages
                // of simulated RAM the boot touched, and the heap the boot needed on the way.
                rssAfterFirst = residentKib();
            }
        }
        Arrays.sort(nanos);
        PageFrames frames = machine.pages().frames();
        System.out.printf("boot4G %.1f ms%n", nanos[runs / 2] / 1e6);
        System.out.printf("boot4GFirst %.1f ms%n", Arrays.stream(nanos).max().orElseThrow() / 1e6);
        System.out.printf("boot4GHeapPerFrame %.1f B/frame%n", (double) frames.heapBytes() / frames.count());
        System.out.printf("boot4GRss %d MiB%n", residentKib() / 1024);
        System.out.printf("boot4GRssGrowth %d MiB%n", (rssAfterFirst - rssBefore) / 1024);
        if (machine.verify().size() > 0) {
            throw new IllegalStateException("the booted machine is inconsistent: " + machine.verify());
        }
    }

    /** VmRSS of this process from {@code /proc/self/status}, or -1 where there is no such file. */
    static long residentKib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
    }
}
