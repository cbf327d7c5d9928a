package pvm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pvm.vm.kmalloc.Kmalloc;

/**
 * kmalloc + kfree over the sizes {16, 32, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096} with a
 * fixed seed: immediate pairs, and 4096 live blocks where each step frees a random one and
 * allocates a new one. The same patterns run on glibc in benchmarks/native.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KmallocBench {

    static final long[] SIZES = {16, 32, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096};

    @State(Scope.Thread)
    public static class Heap {
        Kmalloc kmalloc;
        XorShift64Star random;

        @Setup
        public void boot() {
            kmalloc = Machines.i686(128L << 20).kmalloc();
            random = new XorShift64Star(0x5eed);
        }

        long size() {
            return SIZES[random.nextInt(SIZES.length)];
        }
    }

    @State(Scope.Thread)
    public static class Live extends Heap {
        static final int LIVE = 4096;
        long[] blocks = new long[LIVE];

        @Setup
        public void fill() {
            for (int i = 0; i < LIVE; i++) {
                blocks[i] = kmalloc.kmalloc(size());
            }
        }
    }

    @Benchmark
    public int kmallocPairs(Heap s) {
        return s.kmalloc.free(s.kmalloc.kmalloc(s.size()));
    }

    @Benchmark
    public int kmallocLive4096(Live s) {
        int victim = s.random.nextInt(Live.LIVE);
        int rc = s.kmalloc.free(s.blocks[victim]);
        s.blocks[victim] = s.kmalloc.kmalloc(s.size());
        return rc;
    }
}
