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
import org.openjdk.jmh.annotations.TearDown;
import pvm.kernel.Cpu;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/**
 * The fault path and munmap on a 128 MiB i686 machine, the figures the host kernel is compared
 * with: a demand-zero first-touch fault, and munmap per resident page.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FaultBench {

    static final int PAGES = 256;

    @State(Scope.Thread)
    public static class Region {
        Machine machine;
        Process p;
        Cpu cpu;
        long bytes;
        long addr;

        @Setup(Level.Trial)
        public void boot() {
            machine = Machines.i686(128L << 20);
            p = Machines.spawn(machine, "bench");
            cpu = machine.cpu(0);
            bytes = (long) PAGES * machine.pageSize();
        }
    }

    /** A fresh anonymous region, not yet touched. */
    @State(Scope.Thread)
    public static class Untouched extends Region {
        @Setup(Level.Invocation)
        public void map() {
            addr = Machines.mmap(machine, p, bytes, Machines.RW);
        }

        @TearDown(Level.Invocation)
        public void unmap() {
            Machines.munmap(machine, p, addr, bytes);
        }
    }

    /** A region whose every page is resident. */
    @State(Scope.Thread)
    public static class Resident extends Region {
        @Setup(Level.Invocation)
        public void mapAndTouch() {
            addr = Machines.mmap(machine, p, bytes, Machines.RW);
            Machines.touch(machine, p, addr, bytes);
        }
    }

    /** One first store per page: each one a #PF, vm_mapForce, a zeroed page, a retried store. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public boolean faultDemandZero(Untouched s) {
        return Machines.storeEachPage(s.machine, s.p, s.addr, s.bytes);
    }

    /** munmap of resident pages: entries, anons, pages and PTEs given back. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void munmapPerPage(Resident s) {
        Machines.munmap(s.machine, s.p, s.addr, s.bytes);
    }
}
