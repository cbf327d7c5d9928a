package pvm.kernel;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.EntryInfo;
import pvm.vm.object.SharedRegion;
import pvm.vm.object.SharedRegions;

/**
 * The kernel on hardware without an MMU: processes share the board's memory maps (each enables the
 * MPU regions of the maps it may touch), an access the MPU refuses is final, fork does not exist
 * (vfork does), and files are mapped as Linux's no-MMU kernel maps them ({@link NommuFileMappings},
 * over the object layer's {@link SharedRegions}).
 */
final class FlatModel implements MemoryModel {

    private final SharedRegions regions;
    private final NommuFileMappings files;

    FlatModel(SharedRegions regions) {
        this.regions = regions;
        this.files = new NommuFileMappings(regions);
    }

    /** The shared file regions of the machine. */
    SharedRegions regions() {
        return regions;
    }

    /**
     * A pmap that only says which memory maps the process may touch, and the shared map its mmaps
     * are carved from. Processes are lazy, as Phoenix's are without an MMU.
     */
    @Override
    public Either<VmError, Process> spawn(Machine machine, String name, int pid, boolean lazy) {
        Hal hal = machine.hal();
        Pmap pmap = hal.create(machine.kernelPmap(), Frame.NONE);
        MemoryMapInfo userMap = processMap(machine);
        if (!pmap.addMap(userMap.id())) {
            return Either.left(VmError.einval("memory map " + userMap.name() + " cannot be given to a process"));
        }
        return machine.maps().sharedMap(userMap.id())
                .toEither(() -> VmError.einval("memory map " + userMap.name() + " has no vm map"))
                .map(map -> new Process(name, pid, true, map, pmap, false, null));
    }

    /**
     * The memory map a process's data lives in. Phoenix takes it from the program's description in
     * the syspage; with no programs here, every process gets the largest map that does not hold the
     * kernel.
     */
    private static MemoryMapInfo processMap(Machine machine) {
        long kernelAt = machine.kernelPmap().start().value();
        return machine.hal().maps().stream().filter(m -> !m.contains(kernelAt))
                .max(Comparator.comparingLong(MemoryMapInfo::size))
                .orElseThrow(() -> new IllegalStateException("the board has no memory map for processes"));
    }

    /** {@code ENOSYS}, as on Phoenix: a copy of an address space needs translation. */
    @Override
    public Either<VmError, Process> fork(Machine machine, Process parent, String childName, int pid) {
        return Either.left(VmError.enosys("fork needs an MMU; use vfork"));
    }

    @Override
    public Either<VmError, VirtAddr> mmapFile(Machine machine, Process p, VirtAddr addr, Size size, int prot, int vmFlags,
            boolean shared, String file, long offset) {
        return files.mmap(machine, p, addr, size, prot, vmFlags, shared, file, offset);
    }

    /** A fixed mapping unmaps what is there first: never a shared file region. */
    @Override
    public Either<VmError, VirtAddr> mmapFixed(Process p, VirtAddr addr, Size size, Supplier<Either<VmError, VirtAddr>> mmap) {
        return files.fixed(p, addr, size, mmap);
    }

    /** A shared file mapping is given back to its region, not unmapped from the shared map. */
    @Override
    public Either<VmError, Void> munmap(Process p, VirtAddr addr, Size size) {
        return files.munmap(p, addr, size);
    }

    @Override
    public Either<VmError, Void> mprotect(Process p, VirtAddr addr, Size size, int prot) {
        return files.mprotect(p, addr, size, prot);
    }

    /** Its shared file mappings are given back (its own entries went with its exit; the regions are no process's). */
    @Override
    public void exited(Process p) {
        files.exited(p);
    }

    /** Phoenix has no fault handler without an MMU: the MPU's verdict is final. */
    @Override
    public int pageFault(Machine machine, Process p, Fault fault) {
        return NO_FAULT_HANDLER;
    }

    @Override
    public boolean sharesRegion(Process p, long start, long end) {
        for (SharedRegion r : regions.regions()) {
            for (SharedRegion.Share s : regions.sharesOf(r)) {
                if (s.holder() == p && s.vaddr() < end && s.vaddr() + s.size() > start) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String name() {
        return "flat";
    }

    @Override
    public List<String> describe() {
        return regions.describe();
    }

    /**
     * The shared regions, and the MPU side of the flat model: each process's entries lie in memory
     * maps its region set enables, or its own accesses to them would fault.
     */
    @Override
    public List<String> verify(Machine machine) {
        List<String> out = new ArrayList<>();
        regions.verify().forEach(v -> out.add("object: " + v));
        for (Process p : machine.processes()) {
            for (EntryInfo e : p.map().entries(p.memoryOwner())) {
                if (!p.pmap().isAllowed(e.vaddr(), e.size())) {
                    out.add(String.format("pmap: %s's entry 0x%08x+%x lies outside the memory maps its MPU regions enable (%s)",
                            p.name(), e.vaddr().value(), e.size().bytes(), p.pmap()));
                }
            }
        }
        return out;
    }
}
