package pvm.kernel;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.EntryInfo;
import pvm.vm.page.PageReclaimer;

/**
 * Purgeable memory, SerenityOS's ({@code madvise(MADV_SET_VOLATILE)} on a purgeable
 * {@code AnonymousVMObject}); Phoenix has none. A process marks anonymous memory volatile: its
 * contents may be thrown away whenever memory is short. Marking it non-volatile again answers
 * whether any of it was ({@code was_purged}); purged pages then read as zeros.
 *
 * <p>Purging frees the pages an entry holds alone ({@link pvm.vm.map.VmMap#purge}): a page shared
 * copy-on-write with another process stays, since freeing it would free nothing. It happens on the
 * scenario's {@code purge} and, as SerenityOS's memory manager does, when the page allocator is
 * about to refuse an application page: this is the allocator's {@link PageReclaimer}. On that path
 * the allocating thread may hold locks, so only maps whose lock is free at once (and not its own)
 * are purged; a fault never purges the volatile memory of its own address space.
 *
 * <p>The volatile pages are kept per owner of memory (a vforked child's are its parent's), each
 * with whether it was purged since it was marked. A fork does not pass volatility on (the child's
 * copy is ordinary memory); unmapping or exiting forgets it. Without an MMU nothing can be purged
 * and given back later by a fault, so the calls are {@code ENOSYS} there.
 */
final class Purgeable implements PageReclaimer {

    private final Machine machine;
    private final int pageSize;
    private final ReentrantLock lock = new ReentrantLock();
    /** Per owner of memory: each volatile page, and whether it was purged since it was marked. */
    private final Map<Process, NavigableMap<Long, Boolean>> volatilePages = new HashMap<>();

    Purgeable(Machine machine) {
        this.machine = machine;
        this.pageSize = machine.pageSize();
    }

    /** {@code P volatile ADDR LEN}: the pages of the range may be purged from now on. */
    Either<VmError, Void> makeVolatile(Process p, VirtAddr addr, Size length) {
        return range(p, addr, length).map(end -> {
            lock.lock();
            try {
                NavigableMap<Long, Boolean> pages = volatilePages.computeIfAbsent(p.memoryOwner(), k -> new TreeMap<>());
                for (long page = addr.value(); page < end; page += pageSize) {
                    pages.putIfAbsent(page, false);
                }
            } finally {
                lock.unlock();
            }
            return null;
        });
    }

    /** {@code P nonvolatile ADDR LEN}: the range is ordinary memory again; true when any of it was purged meanwhile. */
    Either<VmError, Boolean> makeNonvolatile(Process p, VirtAddr addr, Size length) {
        return range(p, addr, length).map(end -> {
            lock.lock();
            try {
                NavigableMap<Long, Boolean> pages = volatilePages.get(p.memoryOwner());
                if (pages == null) {
                    return false;
                }
                NavigableMap<Long, Boolean> range = pages.subMap(addr.value(), true, end, false);
                boolean lost = range.containsValue(true);
                range.clear();
                dropIfEmpty(p.memoryOwner(), pages);
                return lost;
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * Checks a range for {@code volatile} and {@code nonvolatile}: {@code ENOSYS} without an MMU,
     * {@code EINVAL} for a misaligned address, a zero length or memory that is not anonymous,
     * {@code ENOMEM} for a hole (as {@code mprotect}); the range's end, rounded up to pages.
     */
    private Either<VmError, Long> range(Process p, VirtAddr addr, Size length) {
        if (!machine.memoryModel().equals("paged")) {
            return Either.left(new VmError.ENOSYS("purgeable memory needs an MMU: without one no fault can give a purged page back"));
        }
        if (length.bytes() == 0 || !Sizes.isAligned(addr.value(), pageSize)) {
            return Either.left(VmError.einval(String.format("volatile range 0x%x+%d: the address must be page-aligned, the length not zero",
                    addr.value(), length.bytes())));
        }
        long end = addr.value() + Sizes.alignUp(length.bytes(), pageSize);
        List<EntryInfo> entries = p.map().entries();
        long at = addr.value();
        for (EntryInfo e : entries) {
            if (e.end() <= at || at >= end) {
                continue;
            }
            if (e.vaddr().value() > at) {
                break;
            }
            if (e.objectKind() != EntryInfo.ObjectKind.ANONYMOUS) {
                return Either.left(VmError.einval(String.format("0x%08x is not anonymous memory (%s): only anonymous memory is purgeable",
                        at, e.object())));
            }
            at = e.end();
        }
        if (at < end) {
            return Either.left(VmError.enomem(String.format("0x%08x is not mapped", at)));
        }
        return Either.right(end);
    }

    /** {@code purge}: every volatile page is purged now; the number of pages freed. */
    long purgeAll() {
        lock.lock();
        try {
            return purgeLocked(false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The page allocator ran out: purges what it can reach without waiting (see the class comment),
     * in bytes freed. A purge under way elsewhere is left to finish its work.
     */
    @Override
    public long reclaim(long bytes) {
        if (!lock.tryLock()) {
            return 0;
        }
        try {
            return purgeLocked(true) * pageSize;
        } finally {
            lock.unlock();
        }
    }

    private long purgeLocked(boolean onlyFree) {
        long freed = 0;
        for (Map.Entry<Process, NavigableMap<Long, Boolean>> m : volatilePages.entrySet()) {
            var map = m.getKey().map();
            for (Map.Entry<Long, Boolean> page : m.getValue().entrySet()) {
                VirtAddr va = VirtAddr.of(page.getKey());
                long n = onlyFree ? map.tryPurge(va, Size.of(pageSize)) : map.purge(va, Size.of(pageSize));
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    page.setValue(true);
                    freed += n;
                }
            }
        }
        return freed;
    }

    /** After {@code [start, end)} of {@code p} was unmapped or mapped afresh: it is volatile no more. */
    void forget(Process p, long start, long end) {
        lock.lock();
        try {
            NavigableMap<Long, Boolean> pages = volatilePages.get(p.memoryOwner());
            if (pages != null) {
                pages.subMap(start, true, end, false).clear();
                dropIfEmpty(p.memoryOwner(), pages);
            }
        } finally {
            lock.unlock();
        }
    }

    /** After {@code p} exited: its volatile pages are gone with its map (a vforked child's are its parent's). */
    void exited(Process p) {
        if (p.ownsMap() && p.memoryOwner() == p) {
            forget(p, 0, Long.MAX_VALUE);
        }
    }

    /** The volatile pages of {@code p}'s memory, in address order. */
    List<Long> volatilePages(Process p) {
        lock.lock();
        try {
            NavigableMap<Long, Boolean> pages = volatilePages.get(p.memoryOwner());
            return pages == null ? List.of() : new ArrayList<>(pages.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Every volatile page lies in anonymous memory of its owner's map. */
    List<String> verify() {
        List<String> out = new ArrayList<>();
        lock.lock();
        try {
            for (Map.Entry<Process, NavigableMap<Long, Boolean>> m : volatilePages.entrySet()) {
                Process p = m.getKey();
                List<EntryInfo> entries = p.map().entries();
                for (long page : m.getValue().keySet()) {
                    boolean anonymous = entries.stream().anyMatch(e -> e.vaddr().value() <= page && page < e.end()
                            && e.objectKind() == EntryInfo.ObjectKind.ANONYMOUS);
                    if (!anonymous) {
                        out.add(String.format("purgeable: %s's volatile page 0x%08x is not in anonymous memory", p.name(), page));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    private void dropIfEmpty(Process owner, NavigableMap<Long, Boolean> pages) {
        if (pages.isEmpty()) {
            volatilePages.remove(owner);
        }
    }
}
