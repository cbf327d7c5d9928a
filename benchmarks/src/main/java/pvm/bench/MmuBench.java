package pvm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Mmu;

/** The i686 MMU's TLB-hit path: a user write to one of 32 resident pages, translated. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MmuBench {

    static final int PAGES = 32;
    static final int STEPS = 1024;

    @State(Scope.Thread)
    public static class Resident {
        Mmu mmu;
        long addr;

        @Setup(Level.Trial)
        public void boot() {
            var machine = Machines.i686(128L << 20);
            var p = Machines.spawn(machine, "bench");
            addr = Machines.mmap(machine, p, (long) PAGES * machine.pageSize(), Machines.RW);
            // Each page written once: present, dirty, in the TLB, and p's tables loaded in CPU 0.
            Machines.touch(machine, p, addr, (long) PAGES * machine.pageSize());
            mmu = machine.cpu(0).mmu();
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long tlbHit(Resident s) {
        long sum = 0;
        for (int i = 0; i < STEPS; i++) {
            sum += s.mmu.translate(s.addr + ((long) (i & (PAGES - 1)) << 12) + (i & 0xffc), Access.USER | Access.WRITE);
        }
        return sum;
    }
}
