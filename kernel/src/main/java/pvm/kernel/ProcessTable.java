package pvm.kernel;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MemoryMapInfo;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.VmMap;
import pvm.vm.map.VmMaps;

/**
 * Process creation and exit as far as memory goes ({@code proc/process.c}): spawn with a fresh
 * map, fork with a copy-on-write copy of the parent's map ({@code vm_mapCopy}), vfork sharing the
 * parent's map, and exit that destroys the map and frees everything in it.
 */
final class ProcessTable {

    private final Machine machine;
    private final VmMaps maps;
    private final Hal hal;
    private final boolean lazy;
    private final List<Process> live = new ArrayList<>();
    private int nextPid = 1;

    ProcessTable(Machine machine, VmMaps maps, boolean lazy) {
        this.machine = machine;
        this.maps = maps;
        this.hal = machine.hal();
        this.lazy = lazy;
    }

    synchronized List<Process> live() {
        return List.copyOf(live);
    }

    /** {@code proc_spawn} without a program: an empty user address space. */
    synchronized Either<VmError, Process> spawn(String name) {
        if (hal.architecture().hasMmu()) {
            // vm_mapCreate(&process->map, VADDR_MIN + SIZE_PAGE, VADDR_USR_MAX): the first page stays unmapped.
            var layout = hal.architecture().layout();
            return maps.create(VirtAddr.of(layout.userStart() + machine.pageSize()), VirtAddr.of(layout.userEnd()))
                    .map(map -> register(new Process(name, nextPid, lazy, map, map.pmap(), true, null)));
        }
        // No MMU: a pmap that only says which memory maps the process may touch, and the shared map
        // its mmaps are carved from.
        Pmap pmap = hal.create(machine.kernelPmap(), Frame.NONE);
        MemoryMapInfo userMap = processMap();
        if (!pmap.addMap(userMap.id())) {
            return Either.left(VmError.einval("memory map " + userMap.name() + " cannot be given to a process"));
        }
        return maps.sharedMap(userMap.id())
                .toEither(() -> VmError.einval("memory map " + userMap.name() + " has no vm map"))
                .map(map -> register(new Process(name, nextPid, true, map, pmap, false, null)));
    }

    /**
     * The memory map a process's data lives in on a target without an MMU. Phoenix takes it from
     * the program's description in the syspage; with no programs here, every process gets the
     * largest map that does not hold the kernel.
     */
    private MemoryMapInfo processMap() {
        long kernelAt = machine.kernelPmap().start().value();
        return hal.maps().stream().filter(m -> !m.contains(kernelAt))
                .max(java.util.Comparator.comparingLong(MemoryMapInfo::size))
                .orElseThrow(() -> new IllegalStateException("the board has no memory map for processes"));
    }

    private Process register(Process p) {
        nextPid++;
        live.add(p);
        return p;
    }

    /** {@code proc_fork}: a copy-on-write copy; {@code ENOSYS} without an MMU, as on Phoenix. */
    synchronized Either<VmError, Process> fork(Process parent, String childName) {
        if (!hal.architecture().hasMmu()) {
            return Either.left(VmError.enosys("fork needs an MMU; use vfork"));
        }
        VmMap src = parent.map();
        return maps.create(src.start(), src.stop()).flatMap(map -> {
            Process child = new Process(childName, nextPid, parent.lazy(), map, map.pmap(), true, null);
            // vm_mapCopy destroys the half-made copy itself when it fails.
            return maps.copy(child, map, src, child.lazy()).map(ok -> register(child));
        });
    }

    /** {@code proc_vfork}: the child runs in the parent's map; the parent waits until it exits. */
    synchronized Either<VmError, Process> vfork(Process parent, String childName) {
        Process child = new Process(childName, nextPid, parent.lazy(), parent.map(), parent.pmap(), false, parent);
        parent.setVforkChild(child);
        return Either.right(register(child));
    }

    /**
     * Process exit: the map is destroyed and everything in it freed ({@code vm_mapDestroy});
     * without an MMU only the entries this process mapped. A vforked child hands the map back.
     */
    synchronized Either<VmError, Void> exit(Process p) {
        if (!p.isAlive()) {
            return Either.left(VmError.einval(p.name() + " has already exited"));
        }
        if (p.isWaiting()) {
            return Either.left(VmError.ebusy(p.name() + " waits for its vforked child"));
        }
        if (p.vforkParent() != null) {
            p.vforkParent().setVforkChild(null);
        } else {
            if (p.ownsMap()) {
                machine.unloadEverywhere(p.pmap());
            }
            // With an MMU the whole map goes; without one the shared map keeps other processes' entries.
            maps.destroy(p, p.map());
        }
        p.markExited();
        live.remove(p);
        return Either.right(null);
    }
}
