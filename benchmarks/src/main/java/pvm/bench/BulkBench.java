package pvm.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import pvm.kernel.Cpu;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/**
 * {@code fill} and {@code check} of 256 MiB through the MMU (the CPU's bulk accesses, a page at a
 * time), beside a plain {@link MemorySegment#fill} of as many host bytes: benchmarks/run prints
 * each as GB/s. {@code bulkFillFirstTouch} includes the demand-zero fault of every page.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BulkBench {

    static final long BYTES = 256L << 20;
    static final int VALUE = 0x11;

    /** A 512 MiB i686 machine and one process. */
    @State(Scope.Thread)
    public static class Booted {
        Machine machine;
        Process p;
        Cpu cpu;
        long addr;

        @Setup(Level.Trial)
        public void boot() {
            machine = Machines.i686(512L << 20);
            p = Machines.spawn(machine, "bench");
            cpu = machine.cpu(0);
        }
    }

    /** 256 MiB mapped and resident, every byte {@link #VALUE}. */
    @State(Scope.Thread)
    public static class Resident extends Booted {
        @Setup(Level.Trial)
        public void mapAndFill() {
            addr = Machines.mmap(machine, p, BYTES, Machines.RW);
            if (!cpu.fillRaw(p, addr, BYTES, VALUE)) {
                throw new IllegalStateException(cpu.lastSegv().describe());
            }
        }
    }

    /** 256 MiB freshly mapped, not yet touched; unmapped after each fill. */
    @State(Scope.Thread)
    public static class Untouched extends Booted {
        @Setup(Level.Invocation)
        public void map() {
            addr = Machines.mmap(machine, p, BYTES, Machines.RW);
        }

        @TearDown(Level.Invocation)
        public void unmap() {
            Machines.munmap(machine, p, addr, BYTES);
        }
    }

    /** 256 MiB of host memory, already committed. */
    @State(Scope.Thread)
    public static class Host {
        MemorySegment bytes;

        @Setup(Level.Trial)
        public void allocate() {
            bytes = Arena.ofAuto().allocate(BYTES, 4096);
            bytes.fill((byte) VALUE);
        }
    }

    @Benchmark
    public boolean bulkFillResident(Resident s) {
        return s.cpu.fillRaw(s.p, s.addr, BYTES, VALUE);
    }

    @Benchmark
    public long bulkCheckResident(Resident s) {
        long matched = s.cpu.checkRaw(s.p, s.addr, BYTES, VALUE);
        if (matched != BYTES) {
            throw new IllegalStateException("check stopped after " + matched + " bytes");
        }
        return matched;
    }

    @Benchmark
    public boolean bulkFillFirstTouch(Untouched s) {
        return s.cpu.fillRaw(s.p, s.addr, BYTES, VALUE);
    }

    @Benchmark
    public MemorySegment rawFill(Host s) {
        return s.bytes.fill((byte) VALUE);
    }
}
