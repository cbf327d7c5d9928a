package pvm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.kernel.Cpu;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/**
 * The same two figures on each paged target, side by side: a demand-zero first-touch fault, and a
 * load through the MMU that misses the TLB (so it costs a full walk: two levels on i686, three on
 * riscv64's Sv39). The loads cycle over more pages than a TLB holds, one load per page, so every
 * one walks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ArchBench {

    static final int PAGES = 256;

    @State(Scope.Thread)
    public static class Target {
        @Param({"i686", "riscv64"})
        public String arch;

        Machine machine;
        Process p;
        Cpu cpu;
        long bytes;
        long addr;

        /** Called by each subclass's trial set-up, which JMH may run before a superclass's. */
        void boot() {
            var a = Architectures.named(arch).getOrElseThrow(message -> new IllegalStateException(message));
            machine = Machine.boot(a, new MachineConfig(128L << 20, 1), line -> { })
                    .getOrElseThrow(e -> new IllegalStateException(e.message()));
            p = Machines.spawn(machine, "bench");
            cpu = machine.cpu(0);
            bytes = (long) PAGES * machine.pageSize();
        }
    }

    /** A fresh anonymous region, not yet touched. */
    @State(Scope.Thread)
    public static class Untouched extends Target {
        @Setup(Level.Trial)
        public void bootTarget() {
            boot();
        }

        @Setup(Level.Invocation)
        public void map() {
            addr = Machines.mmap(machine, p, bytes, Machines.RW);
        }

        @TearDown(Level.Invocation)
        public void unmap() {
            Machines.munmap(machine, p, addr, bytes);
        }
    }

    /** A region whose every page is resident, mapped once. */
    @State(Scope.Thread)
    public static class Resident extends Target {
        @Setup(Level.Trial)
        public void mapAndTouch() {
            boot();
            addr = Machines.mmap(machine, p, bytes, Machines.RW);
            Machines.touch(machine, p, addr, bytes);
        }
    }

    /** One first store per page: a page fault, vm_mapForce, a zeroed page, a retried store. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public boolean archFaultDemandZero(Untouched s) {
        return Machines.storeEachPage(s.machine, s.p, s.addr, s.bytes);
    }

    /** One 32-bit load per resident page, each a TLB miss and a walk of the tables in RAM. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long archTranslatedLoad(Resident s) {
        long sum = 0;
        int page = s.machine.pageSize();
        for (long va = s.addr; va < s.addr + s.bytes; va += page) {
            sum += s.cpu.loadRaw(s.p, 32, va);
        }
        return sum;
    }
}
