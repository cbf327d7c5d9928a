package pvm.kernel;

import io.vavr.control.Either;
import java.util.List;
import java.util.function.Supplier;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.MapModel;

/**
 * What the kernel does differently on a kind of hardware: with an MMU ({@link PagedModel}) each
 * process has an address space of its own, faults page memory in, fork copies on write and files
 * are mapped through their objects' pages; without one ({@link FlatModel}) processes share the
 * board's memory maps, the MPU's verdict on an access is final, only vfork exists and files are
 * mapped as Linux's no-MMU kernel maps them.
 *
 * <p>The composition root ({@link KernelModule}) installs one of two Guice modules,
 * {@link PagedMemoryModule} or {@link FlatMemoryModule}, which binds this, the page allocator and
 * the mapper's {@link MapModel}; it is the only place that asks whether the target has an MMU.
 */
interface MemoryModel {

    /** {@code proc_spawn} without a program: the map and pmap of a new process. */
    Either<VmError, Process> spawn(Machine machine, String name, int pid, boolean lazy);

    /** {@code proc_fork}: the child's copy of {@code parent}'s address space. */
    Either<VmError, Process> fork(Machine machine, Process parent, String childName, int pid);

    /**
     * A mapping of {@code file} for {@code p} ({@code size} whole pages, the offset checked);
     * {@code vmFlags} are the flags for the map layer, {@code shared} whether the caller asked for
     * a shared mapping.
     */
    Either<VmError, VirtAddr> mmapFile(Machine machine, Process p, VirtAddr addr, Size size, int prot, int vmFlags, boolean shared,
            String file, long offset);

    /**
     * Runs {@code mmap}, a {@code MAP_FIXED} mapping of {@code [addr, addr+size)} that first
     * unmaps what is there (not a shared file mapping), where this model allows it.
     */
    Either<VmError, VirtAddr> mmapFixed(Process p, VirtAddr addr, Size size, Supplier<Either<VmError, VirtAddr>> mmap);

    /** {@code sys_munmap} of whole pages. */
    Either<VmError, Void> munmap(Process p, VirtAddr addr, Size size);

    /** {@code sys_mprotect} of whole pages; {@code prot} includes {@code PROT_USER}. */
    Either<VmError, Void> mprotect(Process p, VirtAddr addr, Size size, int prot);

    /** After {@code p} has exited and its map entries are gone: what else it held goes. */
    void exited(Process p);

    /**
     * The kernel's answer to a fault of {@code p} ({@code exceptions} then {@code map_pageFault}):
     * {@link pvm.hal.pmap.Errno#EOK} when resolved (the access is retried), a negative errno when
     * the fault path refused it, or {@link #NO_FAULT_HANDLER} when nothing handles faults here.
     */
    int pageFault(Machine machine, Process p, Fault fault);

    /** {@link #pageFault}: no handler, the hardware's verdict is final (SIGSEGV with no kernel verdict). */
    int NO_FAULT_HANDLER = 1;

    /** {@code show objects}' lines for what this model keeps beside the objects (no-MMU shared regions). */
    List<String> describe();

    /** {@code paged} or {@code flat}: what views call this model (an MMU that translates, or none). */
    String name();

    /**
     * Whether {@code p} holds a share of a region of memory several processes map at one address
     * (the flat model's shared file mappings) overlapping {@code [start, end)}; never in the paged
     * model, whose shared mappings are entries of their own.
     */
    default boolean sharesRegion(Process p, long start, long end) {
        return false;
    }

    /** This model's own invariant violations in {@code machine} (beyond every layer's checker), each prefixed. */
    List<String> verify(Machine machine);
}
