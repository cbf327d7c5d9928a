package pvm.kernel;

import io.vavr.control.Either;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.VmMap;
import pvm.vm.page.PageAllocator;

/**
 * A process's heap and its break, moved by {@code brk} and {@code sbrk} as the classic i686 hobby
 * kernel's {@code Heap_ProcessBrk} moves it. Phoenix has no break (its libc's malloc maps memory
 * with {@code mmap}); this is one of pvm's additions beyond Phoenix, used only by scenarios that
 * call it.
 *
 * <p>The break starts at the target's {@link pvm.hal.pmap.Architecture#userHeapBase}. The heap is
 * the whole pages from the base up to the break, rounded up: growing maps the new pages as
 * ordinary private anonymous memory with {@code MAP_FIXED} through {@code sys_mmap} (so they are
 * demand-zero, merge with the heap's entry, and are counted and checked like any mapping), after
 * making sure no mapping lies there; shrinking unmaps the pages the break leaves behind through
 * {@code sys_munmap} and then frees the page tables that map nothing any more
 * ({@link Pmap#reclaim}). Fork copies the heap with the map (copy-on-write) and the break with it;
 * exit frees it with the map. A vforked child moves its parent's break, whose map it runs in.
 *
 * <p>Without an MMU the heap is room mapped at spawn ({@code reserved}; see
 * {@link ProcessMemory#reserveHeap}): the break only moves inside it, nothing is mapped or
 * unmapped, and the kernel zeroes the pages the break reaches again (virtual is physical there) so
 * they read as fresh pages would with an MMU.
 *
 * <p>Errors, each leaving the heap as it was: a break below the base is {@code EINVAL}; a break
 * whose pages would meet a mapping, or past the end of user space, is {@code ENOMEM} (a heap
 * never maps over memory it does not own); so is running out of map entries or pages on the way.
 */
final class ProcessHeap {

    private final long base;
    /** The highest break: the end of the room {@code spawn P heap SIZE} gave, else the end of user space. */
    private final long limit;
    /** Whether the room up to {@link #limit} was mapped at spawn (without an MMU): then the break only moves. */
    private final boolean reserved;
    private long brk;

    ProcessHeap(long base, long limit, boolean reserved) {
        this.base = base;
        this.limit = limit;
        this.reserved = reserved;
        this.brk = base;
    }

    /** A copy for a forked child: the same base and break (the pages come with the copied map). */
    ProcessHeap copy() {
        ProcessHeap c = new ProcessHeap(base, limit, reserved);
        c.brk = brk;
        return c;
    }

    /** {@code sbrk}: moves the break by {@code increment} (negative shrinks) and answers the old break. */
    Either<VmError, Long> sbrk(Machine machine, Process p, long increment) {
        long old = brk;
        long wanted;
        try {
            wanted = Math.addExact(old, increment);
        } catch (ArithmeticException e) {
            return Either.left(VmError.enomem(String.format("sbrk %d from 0x%x overflows", increment, old)));
        }
        return brk(machine, p, wanted).map(now -> old);
    }

    /** {@code brk}: sets the break to {@code addr} and answers it. */
    Either<VmError, Long> brk(Machine machine, Process p, long addr) {
        if (addr < base) {
            return Either.left(VmError.einval(String.format("break 0x%x is below the heap base 0x%x", addr, base)));
        }
        VmMap map = p.map();
        if (addr > limit) {
            return Either.left(VmError.enomem(String.format("break 0x%x is past the end of %s 0x%x", addr,
                    limit == map.stop().value() ? "user space" : "the heap's room", limit)));
        }
        int page = machine.pageSize();
        long oldTop = Sizes.alignUp(brk, page);
        long newTop = Sizes.alignUp(addr, page);
        if (reserved) {
            // The room is mapped already, at its physical address: zero what the break reaches again.
            if (newTop > oldTop) {
                machine.hal().memory().fill(oldTop, newTop - oldTop, 0);
            }
        } else if (newTop > oldTop) {
            Size grow = Size.of(newTop - oldTop);
            if (map.belongs(VirtAddr.of(oldTop), grow)) {
                return Either.left(VmError.enomem(String.format("the heap cannot grow over 0x%x-0x%x: a mapping lies there", oldTop, newTop)));
            }
            Either<VmError, VirtAddr> r = machine.mmap(p, VirtAddr.of(oldTop), grow, Prot.READ | Prot.WRITE,
                    MapFlags.PRIVATE | MapFlags.ANONYMOUS | MapFlags.FIXED, null, 0);
            if (r.isLeft()) {
                return Either.left(r.getLeft());
            }
        } else if (newTop < oldTop) {
            Either<VmError, Void> r = machine.munmap(p, VirtAddr.of(newTop), Size.of(oldTop - newTop));
            if (r.isLeft()) {
                return Either.left(r.getLeft());
            }
            releasePageTables(machine.pages(), map, newTop, oldTop);
        }
        brk = addr;
        return Either.right(addr);
    }

    /** Frees every page table of {@code [start, end)} that maps nothing now, under the map's lock. */
    private static void releasePageTables(PageAllocator pages, VmMap map, long start, long end) {
        map.lock();
        try {
            for (PhysAddr a = map.pmap().reclaim(VirtAddr.of(start), VirtAddr.of(end)); !a.isNone();
                    a = map.pmap().reclaim(VirtAddr.of(start), VirtAddr.of(end))) {
                int r = pages.freeFrame(pages.frames().find(a.value()));
                if (r != Errno.EOK) {
                    throw new IllegalStateException("page table at " + a + " could not be freed: " + Errno.describe(r));
                }
            }
        } finally {
            map.unlock();
        }
    }
}
