package pvm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pvm.hal.pmap.Prot;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/**
 * mmap (and the munmap that keeps the map as it was) with 100 or 100 000 entries already in the
 * map. Neighbouring entries alternate protections so that none merge. The map is the augmented
 * red-black tree of map.c, so the cost should grow with log n, not n; benchmarks/run prints the
 * ratio of the two as {@code mmapScaling}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MmapScalingBench {

    @State(Scope.Thread)
    public static class Populated {
        @Param({"100", "100000"})
        int entries;

        Machine machine;
        Process p;
        long page;

        @Setup
        public void boot() {
            // The entry pool is sized as Phoenix sizes it, one entry per 3 pages of free memory:
            // 100 000 entries need about 1.2 GiB free.
            machine = Machines.i686(2L << 30);
            p = Machines.spawn(machine, "bench");
            page = machine.pageSize();
            for (int i = 0; i < entries; i++) {
                Machines.mmap(machine, p, page, (i & 1) == 0 ? Prot.READ : Machines.RW);
            }
        }
    }

    @Benchmark
    public long mmapScaling(Populated s) {
        long a = Machines.mmap(s.machine, s.p, s.page, Prot.READ | Prot.EXEC);
        Machines.munmap(s.machine, s.p, a, s.page);
        return a;
    }
}
