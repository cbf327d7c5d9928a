package pvm.kernel;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.VmError;
import pvm.vm.map.VmMaps;

/**
 * Process creation and exit as far as memory goes ({@code proc/process.c}): spawn with a fresh
 * map, fork with a copy-on-write copy of the parent's map ({@code vm_mapCopy}), vfork sharing the
 * parent's map, and exit that destroys the map and frees everything in it.
 */
final class ProcessTable {

    private final Machine machine;
    private final VmMaps maps;
    private final MemoryModel model;
    private final boolean lazy;
    private final List<Process> live = new ArrayList<>();
    private int nextPid = 1;

    ProcessTable(Machine machine, VmMaps maps, MemoryModel model, boolean lazy) {
        this.machine = machine;
        this.maps = maps;
        this.model = model;
        this.lazy = lazy;
    }

    synchronized List<Process> live() {
        return List.copyOf(live);
    }

    /** {@code proc_spawn} without a program: an empty user address space, as the memory model makes it. */
    synchronized Either<VmError, Process> spawn(String name) {
        return model.spawn(machine, name, nextPid, lazy).map(this::register);
    }

    private Process register(Process p) {
        nextPid++;
        live.add(p);
        return p;
    }

    /** {@code proc_fork}: a copy-on-write copy; {@code ENOSYS} without an MMU, as on Phoenix. */
    synchronized Either<VmError, Process> fork(Process parent, String childName) {
        return model.fork(machine, parent, childName, nextPid).peek(child -> child.inheritMemory(parent)).map(this::register);
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
