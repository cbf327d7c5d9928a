package pvm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/** fork of a process with 64 MiB of resident anonymous memory, then exit of the child. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ForkBench {

    @State(Scope.Thread)
    public static class Parent {
        Machine machine;
        Process parent;
        int forks;

        @Setup(Level.Trial)
        public void boot() {
            machine = Machines.i686(256L << 20);
            parent = Machines.spawn(machine, "parent");
            long bytes = 64L << 20;
            long addr = Machines.mmap(machine, parent, bytes, Machines.RW);
            Machines.touch(machine, parent, addr, bytes);
        }
    }

    @Benchmark
    public Process fork64M(Parent s) {
        Process child = s.machine.fork(s.parent, "child" + (s.forks++ & 7))
                .getOrElseThrow(e -> new IllegalStateException(e.message()));
        s.machine.exit(child).getOrElseThrow(e -> new IllegalStateException(e.message()));
        return child;
    }
}
