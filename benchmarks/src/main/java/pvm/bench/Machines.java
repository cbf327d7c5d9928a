package pvm.bench;

import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/** Booting benchmark machines and the system calls the benchmarks repeat. */
final class Machines {

    static final int RW = Prot.READ | Prot.WRITE;
    static final int ANON = MapFlags.PRIVATE | MapFlags.ANONYMOUS;

    private Machines() {
    }

    static Machine i686(long ramBytes) {
        var arch = Architectures.named("i686").getOrElseThrow(message -> new IllegalStateException(message));
        return Machine.boot(arch, new MachineConfig(ramBytes, 1), line -> { })
                .getOrElseThrow(e -> new IllegalStateException(e.message()));
    }

    static Process spawn(Machine machine, String name) {
        return machine.spawn(name).getOrElseThrow(e -> new IllegalStateException(e.message()));
    }

    static long mmap(Machine machine, Process p, long bytes, int prot) {
        return machine.mmap(p, VirtAddr.NULL, Size.of(bytes), prot, ANON, null, 0)
                .getOrElseThrow(e -> new IllegalStateException(e.message())).value();
    }

    static void munmap(Machine machine, Process p, long addr, long bytes) {
        machine.munmap(p, VirtAddr.of(addr), Size.of(bytes)).getOrElseThrow(e -> new IllegalStateException(e.message()));
    }

    /**
     * One first store per page of a range: on untouched memory each is a page fault, vm_mapForce, a
     * zeroed page and the retried store. Whether every store succeeded (what the benchmarks return).
     */
    static boolean storeEachPage(Machine machine, Process p, long addr, long bytes) {
        var cpu = machine.cpu(0);
        boolean ok = true;
        int page = machine.pageSize();
        for (long va = addr; va < addr + bytes; va += page) {
            ok &= cpu.storeRaw(p, 32, va, 1);
        }
        return ok;
    }

    /** Touches every page of a range with a store, as first-touch code would. */
    static void touch(Machine machine, Process p, long addr, long bytes) {
        var cpu = machine.cpu(0);
        for (long va = addr; va < addr + bytes; va += machine.pageSize()) {
            if (!cpu.storeRaw(p, 32, va, va)) {
                throw new IllegalStateException(cpu.lastSegv().describe());
            }
        }
    }
}
