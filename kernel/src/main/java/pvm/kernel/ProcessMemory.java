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
 * <p>Without an MMU processes share one address space, where the memory above a break may be
 * anyone's: a heap there needs its room set aside at spawn ({@code spawn P heap SIZE}, as Linux's
 * no-MMU loaders set it aside at exec), and a break without one is {@code ENOMEM}. A guard page
 * cannot be had at all (the MPU guards whole memory maps, not a page): a stack is {@code ENOSYS}
 * there, as fork is.
 */
final class ProcessMemory {

    private final Machine machine;

    ProcessMemory(Machine machine) {
        this.machine = machine;
    }

    /** {@code sbrk}: the old break. */
    Either<VmError, Long> sbrk(Process p, long increment) {
        return heapOf(p).flatMap(h -> h.sbrk(machine, p, increment));
    }

    /** {@code brk}: the new break. */
    Either<VmError, Long> brk(Process p, long addr) {
        return heapOf(p).flatMap(h -> h.brk(machine, p, addr));
    }

    /**
     * {@code p}'s heap: made at its first call with an MMU (from the target's heap base to the end
     * of user space); without one only {@link #reserveHeap} at spawn makes one.
     */
    private Either<VmError, ProcessHeap> heapOf(Process p) {
        ProcessHeap h = p.heap();
        if (h != null) {
            return Either.right(h);
        }
        if (flat()) {
            return Either.left(VmError.enomem(NO_ROOM));
        }
        long base = machine.architecture().userHeapBase();
        h = new ProcessHeap(base, p.map().stop().value(), false);
        p.memoryOwner().setHeap(h);
        return Either.right(h);
    }

    /**
     * {@code spawn P heap SIZE}: room for {@code p}'s heap, {@code size} bytes rounded up to pages.
     * With an MMU it only bounds the break (the target's heap base plus the room, as a data limit
     * would); without one it maps the room at once, anonymous memory of the process wherever the
     * kernel finds it, and the break then moves inside it, as Linux's no-MMU kernel moves a break
     * inside the room its loader set aside at exec. {@code EINVAL} for a zero size, {@code ENOMEM}
     * when it does not fit.
     */
    Either<VmError, ProcessHeap> reserveHeap(Process p, long size) {
        if (size <= 0) {
            return Either.left(VmError.einval("a heap of zero bytes"));
        }
        long stop = p.map().stop().value();
        long bytes = size > stop ? Long.MAX_VALUE : Sizes.alignUp(size, machine.pageSize());
        Either<VmError, ProcessHeap> heap;
        if (flat()) {
            heap = bytes == Long.MAX_VALUE ? Either.left(VmError.enomem("no room for a heap of " + size + " bytes"))
                    : machine.mmap(p, VirtAddr.NULL, Size.of(bytes), Prot.READ | Prot.WRITE, MapFlags.PRIVATE | MapFlags.ANONYMOUS, null, 0)
                            .map(at -> new ProcessHeap(at.value(), at.value() + bytes, true));
        } else {
            long base = machine.architecture().userHeapBase();
            heap = bytes > stop - base ? Either.left(VmError.enomem(String.format("a heap of %d bytes from 0x%x does not fit below 0x%x",
                    size, base, stop))) : Either.right(new ProcessHeap(base, base + bytes, false));
        }
        return heap.peek(p::setHeap);
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

    private static final String NO_ROOM = "no room for a break: without an MMU processes share one address space, so a heap "
            + "needs room set aside when the process starts (spawn P heap SIZE), as Linux's no-MMU loaders set it aside at exec";

    private static final String NO_GUARD = "a stack with a guard page needs an MMU: without one, processes share one address space "
            + "and the MPU guards whole memory maps, not a page";

    /** {@code ENOSYS} saying {@code why} on the flat model (no MMU). */
    private Either<VmError, Void> withMmu(String why) {
        return flat() ? Either.left(VmError.enosys(why)) : Either.right(null);
    }

    private boolean flat() {
        return machine.model() instanceof FlatModel;
    }
}
