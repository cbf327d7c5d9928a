package pvm.kernel;

import io.vavr.control.Either;
import java.util.List;
import java.util.function.Supplier;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.VmMap;
import pvm.vm.object.VmObject;
import pvm.vm.object.VmPager;

/**
 * The kernel on hardware with an MMU: a map per process, demand paging, copy-on-write fork, file
 * mappings through the pages of the file's memory object.
 */
final class PagedModel implements MemoryModel {

    /**
     * {@code vm_mapCreate(&process->map, VADDR_MIN + SIZE_PAGE, VADDR_USR_MAX)}: the user half of
     * the architecture's layout, the first page left unmapped.
     */
    @Override
    public Either<VmError, Process> spawn(Machine machine, String name, int pid, boolean lazy) {
        var layout = machine.architecture().layout();
        return machine.maps().create(VirtAddr.of(layout.userStart() + machine.pageSize()), VirtAddr.of(layout.userEnd()))
                .map(map -> new Process(name, pid, lazy, map, map.pmap(), true, null));
    }

    /** {@code proc_fork}: an empty map over the parent's range, filled by {@code vm_mapCopy}. */
    @Override
    public Either<VmError, Process> fork(Machine machine, Process parent, String childName, int pid) {
        VmMap src = parent.map();
        return machine.maps().create(src.start(), src.stop()).flatMap(map -> {
            Process child = new Process(childName, pid, parent.lazy(), map, map.pmap(), true, null);
            // vm_mapCopy destroys the half-made copy itself when it fails.
            return machine.maps().copy(child, map, src, child.lazy()).map(ok -> child);
        });
    }

    /**
     * {@code vm_objectGet} of the file's oid, then {@code vm_mmap}: a shared mapping maps the
     * object's pages; a private one is made with {@code MAP_NEEDSCOPY}, as Phoenix's ELF loader maps
     * writable segments, so the first write to a page copies it into the entry's amap. The reference
     * taken for the call is put after {@code vm_mmap}.
     */
    @Override
    public Either<VmError, VirtAddr> mmapFile(Machine machine, Process p, VirtAddr addr, Size size, int prot, int vmFlags,
            boolean shared, String file, long offset) {
        VmPager pager = machine.pager();
        Either<VmError, VmObject> o = pager.objectGet(file);
        if (o.isLeft()) {
            return Either.left(o.getLeft());
        }
        int flags = shared ? vmFlags : vmFlags | MapFlags.NEEDSCOPY;
        Either<VmError, VirtAddr> r = p.map().mmap(addr, Frame.NONE, size, Prot.USER | prot, o.get(), offset, flags, p.memoryOwner());
        pager.objectPut(o.get());
        return r;
    }

    @Override
    public Either<VmError, VirtAddr> mmapFixed(Process p, VirtAddr addr, Size size, Supplier<Either<VmError, VirtAddr>> mmap) {
        return mmap.get();
    }

    @Override
    public Either<VmError, Void> munmap(Process p, VirtAddr addr, Size size) {
        return p.map().munmap(addr, size);
    }

    @Override
    public Either<VmError, Void> mprotect(Process p, VirtAddr addr, Size size, int prot) {
        return p.map().mprotect(addr, size, prot, p.memoryOwner());
    }

    /** Nothing outside the map: it went with the process. */
    @Override
    public void exited(Process p) {
    }

    /**
     * {@code map_pageFault}: {@code vm_mapForce} on the faulting page, in the map that owns the
     * address, for the protection the architecture says the access needs ({@link Fault#faultType}).
     */
    @Override
    public int pageFault(Machine machine, Process p, Fault fault) {
        VmMap map = machine.mapFor(p, fault.address());
        long page = fault.address() & -(long) machine.pageSize();
        // A committed page (commit=strict) takes its page from the commitment.
        boolean committed = map != machine.maps().kernelMap() && machine.commitments().take(p, page);
        int rc = map.force(page, fault.faultType());
        if (committed) {
            machine.commitments().settle(p, page);
        }
        return rc;
    }

    @Override
    public List<String> describe() {
        return List.of();
    }

    @Override
    public List<String> verify(Machine machine) {
        return List.of();
    }

    @Override
    public String name() {
        return "paged";
    }
}
