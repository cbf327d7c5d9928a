package pvm.hal.pmap;

import com.google.inject.Module;

/**
 * A hardware target, found with {@link java.util.ServiceLoader}. It describes itself (its page size,
 * its address-space layout, its C ABI, its page-map letters; its faults describe themselves through
 * {@link Fault.Syndrome}) and hands over the Guice module that binds its {@link Hal} for one
 * machine; adding a target is adding a module that provides this service, and nothing else (see
 * docs/architectures.md).
 */
public interface Architecture {

    /** The name users type ({@code --arch i686}). */
    String name();

    /** One line for {@code pvm archs}. */
    String description();

    int pageSize();

    /**
     * Whether the target translates addresses. Only the composition root (the kernel's module that
     * installs the paged or the flat memory model) and the scenario language's {@code requires mmu}
     * ask; every other layer gets its behaviour from the model installed (an ArchUnit rule says so).
     */
    boolean hasMmu();

    /** {@code VADDR_*} of the target's {@code arch/pmap.h}: where user and kernel addresses lie. */
    AddressLayout layout();

    /**
     * Where a process's break starts ({@code brk}/{@code sbrk}; Phoenix has neither): 0x10000000,
     * the classic i686 hobby kernel's user heap base, wherever the user half holds it. A target
     * without an MMU has no such address (its processes share one address space).
     */
    default long userHeapBase() {
        return 0x1000_0000L;
    }

    /**
     * Where a process's stack ends ({@code spawn P stack SIZE}): 64 KiB below the top of user space,
     * 0xBFFF0000 on i686 as the hobby kernel's {@code USER_STACK_START}.
     */
    default long userStackTop() {
        return layout().userEnd() - 0x1_0000L;
    }

    /** The target's C ABI: the pointer size and the sizes of Phoenix's vm structures there. */
    TargetAbi abi();

    /**
     * {@code pmap_marker}: the letter the page map shows for a page with these {@link PageFlags}.
     * The letters are the target's ({@code hal/ia32/pmap.c} has its own set).
     */
    char marker(int pageFlags);

    long defaultRam();

    long minRam();

    long maxRam();

    /** The physical memory layout of a machine with {@code ramBytes} of RAM. */
    BootMemoryMap bootMemoryMap(long ramBytes);

    /**
     * The Guice module that binds {@link Hal} (and whatever else this target provides) for a
     * machine booted with {@code config}.
     */
    Module module(MachineConfig config);

    /**
     * The policies of this target's own hardware layer (how its pmap may differ from Phoenix's),
     * read by its module from {@link MachineConfig#policies()}.
     */
    default java.util.List<Policy<?>> policies() {
        return java.util.List.of();
    }

    /** Checks a configuration before booting; the message says what would be accepted. */
    default io.vavr.control.Either<VmError, MachineConfig> validate(MachineConfig config) {
        if (config.ramBytes() < minRam() || config.ramBytes() > maxRam()) {
            return io.vavr.control.Either.left(VmError.einval(String.format("%s needs between %s and %s of RAM, got %s",
                    name(), Sizes.human(minRam()), Sizes.human(maxRam()), Sizes.human(config.ramBytes()))));
        }
        if (config.ramBytes() % pageSize() != 0) {
            return io.vavr.control.Either.left(VmError.einval(String.format("RAM size must be a whole number of %d-byte pages", pageSize())));
        }
        return io.vavr.control.Either.right(config);
    }
}
