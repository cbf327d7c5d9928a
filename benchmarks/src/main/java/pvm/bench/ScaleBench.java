package pvm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
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
 * How fork and exit grow with the address space: fork (and the child's exit) of a process with
 * 1 000 or 10 000 map entries, one resident page each, and exit of a process with 102 MiB or 1 GiB
 * resident. benchmarks/run prints each large figure and its ratio to the tenth-size one.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScaleBench {

    @State(Scope.Thread)
    public static class ManyEntries {
        @Param({"1000", "10000"})
        int entries;

        Machine machine;
        Process parent;
        int forks;

        @Setup(Level.Trial)
        public void boot() {
            machine = Machines.i686(512L << 20);
            parent = Machines.spawn(machine, "parent");
            long page = machine.pageSize();
            for (int i = 0; i < entries; i++) {
                // Alternating protections: no two neighbours merge, so each page is an entry.
                long a = Machines.mmap(machine, parent, page, (i & 1) == 0 ? Machines.RW : Machines.RW | Prot.EXEC);
                Machines.touch(machine, parent, a, page);
            }
        }
    }

    /** A process with {@code mib} MiB resident, made afresh before each exit. */
    @State(Scope.Thread)
    public static class Resident {
        @Param({"102", "1024"})
        int mib;

        Machine machine;
        Process p;
        int spawned;

        @Setup(Level.Trial)
        public void boot() {
            machine = Machines.i686(1280L << 20);
        }

        @Setup(Level.Invocation)
        public void populate() {
            p = Machines.spawn(machine, "p" + spawned++);
            long bytes = (long) mib << 20;
            long a = Machines.mmap(machine, p, bytes, Machines.RW);
            if (!machine.cpu(0).fillRaw(p, a, bytes, 1)) {
                throw new IllegalStateException(machine.cpu(0).lastSegv().describe());
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Process forkManyEntries(ManyEntries s) {
        Process child = s.machine.fork(s.parent, "child" + (s.forks++ & 7))
                .getOrElseThrow(e -> new IllegalStateException(e.message()));
        s.machine.exit(child).getOrElseThrow(e -> new IllegalStateException(e.message()));
        return child;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public Process exitResident(Resident s) {
        s.machine.exit(s.p).getOrElseThrow(e -> new IllegalStateException(e.message()));
        return s.p;
    }
}
