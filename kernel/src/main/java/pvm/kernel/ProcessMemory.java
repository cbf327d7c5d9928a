package pvm.kernel;

import io.vavr.control.Either;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/**
 * A process's own memory beyond what Phoenix gives it: a heap with a break ({@link ProcessHeap})
 * and a stack with a guard page ({@link UserStack}), as the classic i686 hobby kernel lays them
 * out. Both are opt-in: a process that never calls {@code brk} and is spawned without a stack has
 * exactly the address space Phoenix gives it.
 *
 * <p>Both need an MMU. Without one, processes share a single address space where the memory above
 * a break or under a stack may be anyone's, and the MPU guards whole memory maps, not a page; so
 * on the flat model both are refused with {@code ENOSYS}, as fork is (Linux's no-MMU kernel only
 * moves a break inside room its loader set aside at exec, and pvm has no loader).
 */
final class ProcessMemory {

    private final Machine machine;

    ProcessMemory(Machine machine) {
        this.machine = machine;
    }

    /** {@code sbrk}: the old break. */
    Either<VmError, Long> sbrk(Process p, long increment) {
        return withMmu(NO_BREAK).flatMap(ok -> heapOf(p).sbrk(machine, p, increment));
    }

    /** {@code brk}: the new break. */
    Either<VmError, Long> brk(Process p, long addr) {
        return withMmu(NO_BREAK).flatMap(ok -> heapOf(p).brk(machine, p, addr));
    }

    private ProcessHeap heapOf(Process p) {
        return p.heap(machine.architecture().userHeapBase());
    }

    /**
     * Gives the newly spawned {@code p} a stack of {@code size} bytes (rounded up to pages) ending
     * at the target's stack top, with a guard page under it: two fixed anonymous mappings, the
     * guard with no rights. {@code EINVAL} for a zero size, {@code ENOMEM} when it does not fit
     * in user space or memory runs out (nothing stays mapped then).
     */
    Either<VmError, UserStack> mapStack(Process p, long size) {
        return withMmu(NO_GUARD).flatMap(ok -> mapStackPaged(p, size));
    }

    private Either<VmError, UserStack> mapStackPaged(Process p, long size) {
        int page = machine.pageSize();
        if (size <= 0) {
            return Either.left(VmError.einval("a stack of zero bytes"));
        }
        long top = machine.architecture().userStackTop();
        long start = p.map().start().value();
        long bytes = size > top ? Long.MAX_VALUE : Sizes.alignUp(size, page);
        if (bytes > top - start - page) {
            return Either.left(VmError.enomem(String.format("a stack of %s and its guard page do not fit below 0x%x",
                    Sizes.human(Math.min(bytes, size)), top)));
        }
        UserStack stack = new UserStack(top - bytes - page, top - bytes, top);
        int flags = MapFlags.PRIVATE | MapFlags.ANONYMOUS | MapFlags.FIXED;
        Either<VmError, VirtAddr> guard = machine.mmap(p, VirtAddr.of(stack.guard()), Size.of(page), Prot.NONE, flags, null, 0);
        Either<VmError, VirtAddr> body = guard.flatMap(g ->
                machine.mmap(p, VirtAddr.of(stack.bottom()), Size.of(bytes), Prot.READ | Prot.WRITE, flags, null, 0));
        if (body.isLeft()) {
            if (guard.isRight()) {
                machine.munmap(p, VirtAddr.of(stack.guard()), Size.of(page));
            }
            return Either.left(body.getLeft());
        }
        p.setStack(stack);
        return Either.right(stack);
    }

    /** Why a SIGSEGV at {@code va} in {@code p} happened, beyond the hardware's cause: its stack's guard page, or empty. */
    static String segvReason(Process p, long va) {
        UserStack s = p == null ? null : p.stack();
        return s == null ? "" : s.reasonFor(va);
    }

    private static final String NO_BREAK = "brk and sbrk need an MMU: without one, processes share one address space and no "
            + "room above a break is a process's own to grow into (Linux's no-MMU kernel moves a break only inside room its loader "
            + "set aside at exec)";

    private static final String NO_GUARD = "a stack with a guard page needs an MMU: without one, processes share one address space "
            + "and the MPU guards whole memory maps, not a page";

    /** {@code ENOSYS} saying {@code why} on the flat model (no MMU). */
    private Either<VmError, Void> withMmu(String why) {
        return machine.model() instanceof FlatModel ? Either.left(VmError.enosys(why)) : Either.right(null);
    }
}
