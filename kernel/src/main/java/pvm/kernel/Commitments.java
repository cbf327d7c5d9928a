package pvm.kernel;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.map.EntryInfo;
import pvm.vm.page.PageAllocator;

/**
 * SerenityOS's allocation strategies at mmap, beyond Phoenix: commitments ({@link Commit#STRICT})
 * and {@link Commit#MAP_POPULATE}.
 *
 * <p>A commitment is a reservation in the page allocator ({@link PageAllocator#reserve}) of one
 * page for every page of the mapping not yet backed by a page of its own, and an allowance for the
 * kernel's own memory those pages will need when they fault in ({@link #allowance}): an anon in
 * kmalloc for each, now and then a page table. SerenityOS keeps its page tables and kernel heap
 * apart from the pages it commits; here they come from the same free pages, so they are set aside
 * too. This ledger keeps, per
 * process (the owner of the memory, so a vforked child's mappings are its parent's), which pages
 * those are; the fault of such a page first gives its page of the reservation back, so the fault is
 * sure to find one ({@link #take}, {@link #settle}). What a mapping has not used goes back when it
 * is unmapped, replaced by a fixed mapping, or its process exits.
 *
 * <p>Fork under {@code strict} commits, for the child, every page the parent has committed and not
 * used: each may be written by both. Pages the parent has written before the fork are shared
 * copy-on-write and not committed: a write by either side copies one, and that copy may fail (OOM).
 * SerenityOS commits those too ({@code m_shared_committed_cow_pages}); pvm keeps the simpler rule.
 * Purging a page ({@link Purgeable}) does not commit it again.
 */
final class Commitments {

    private final Machine machine;
    private final PageAllocator pages;
    private final int pageSize;
    private final boolean strict;
    /** Whether pages are faulted in (the paged model); the flat model allocates every page at mmap. */
    private final boolean paged;
    /** Per owner of memory: the pages committed and not yet backed by a page. */
    private final Map<Process, NavigableSet<Long>> unused = new HashMap<>();
    /** Bytes reserved, beside the committed pages, for the kernel memory their faults need. */
    private long allowance;

    Commitments(Machine machine, boolean strict) {
        this.machine = machine;
        this.pages = machine.pages();
        this.pageSize = machine.pageSize();
        this.strict = strict;
        this.paged = machine.memoryModel().equals("paged");
    }

    /** The system call {@code mmap} is: {@code MemorySyscalls.mmap}, or a fake in a test. */
    @FunctionalInterface
    interface Mmap {
        Either<VmError, VirtAddr> mmap(Process p, VirtAddr addr, Size length, int prot, int flags, String file, long offset);
    }

    /**
     * {@code sys_mmap} with SerenityOS's strategies: the commitment first ({@code ENOMEM}, nothing
     * changed, when the free pages not committed already fall short), then {@code mmap}, then with
     * {@link Commit#MAP_POPULATE} every page faulted in with the mapping's protection, the mapping
     * going again ({@code ENOMEM}) when one cannot be.
     */
    Either<VmError, VirtAddr> mmap(Process p, VirtAddr addr, Size length, int prot, int flags, String file, long offset, Mmap syscall) {
        int request = flags & (Commit.MAP_POPULATE | Commit.MAP_NORESERVE);
        int rest = flags & ~request;
        long bytes = Sizes.alignUp(length.bytes(), pageSize);
        // A process that is not lazy (paging=eager) gets every page at mmap: nothing to commit.
        // Without an MMU (the flat model) every page is allocated at mmap: nothing to commit either.
        boolean commits = strict && p.memoryOwner().lazy() && paged && file == null && bytes > 0 && (prot & Prot.WRITE) != 0
                && (rest & (MapFlags.PHYSMEM | MapFlags.CONTIGUOUS)) == 0 && (request & Commit.MAP_NORESERVE) == 0;
        if (commits && !reserve(bytes / pageSize)) {
            return Either.left(VmError.enomem(String.format("commit of %s: only %s free and not committed", Sizes.human(bytes),
                    Sizes.human(Math.max(0, pages.freeBytes() - pages.reservedBytes())))));
        }
        boolean fixed = (rest & MapFlags.FIXED) != 0;
        Either<VmError, VirtAddr> r = syscall.mmap(p, addr, length, prot, rest, file, offset);
        if (r.isLeft()) {
            if (commits) {
                unreserve(bytes / pageSize);
            }
            if (fixed) {
                releaseUnmapped(p, addr.value(), bytes);
            }
            return r;
        }
        long va = r.get().value();
        if (fixed) {
            release(p, va, va + bytes);
        }
        if (commits) {
            record(p, va, bytes);
        }
        if ((request & Commit.MAP_POPULATE) != 0 && paged && (prot & (Prot.READ | Prot.WRITE | Prot.EXEC)) != 0) {
            return populate(p, va, bytes, prot, syscall);
        }
        return r;
    }

    /**
     * The kernel memory committing {@code n} pages sets aside for their faults: a page for every 16
     * pages and four more. A page's anon takes a kmalloc-128 block on i686 and riscv64 (1/32 of a
     * page), its zone a 64-byte header, its page table 1/1024 or 1/512 of a page; the rest covers
     * new zones and the amap.
     */
    static long allowancePages(long n) {
        return n == 0 ? 0 : (n + 15) / 16 + 4;
    }

    /** Reserves {@code n} pages and their allowance; false, nothing reserved, when they do not fit. */
    private synchronized boolean reserve(long n) {
        long extra = allowancePages(n) * pageSize;
        if (!pages.reserve(n * pageSize + extra)) {
            return false;
        }
        allowance += extra;
        return true;
    }

    /** Gives back {@code n} pages never used; their allowance too, all of it once nothing is committed. */
    private synchronized void unreserve(long n) {
        long extra = Math.min(allowance, allowancePages(n) * pageSize);
        if (unused.isEmpty()) {
            extra = allowance;
        }
        pages.unreserve(n * pageSize + extra);
        allowance -= extra;
    }

    private synchronized void record(Process p, long va, long bytes) {
        NavigableSet<Long> set = unused.computeIfAbsent(p.memoryOwner(), k -> new TreeSet<>());
        for (long page = va; page < va + bytes; page += pageSize) {
            set.add(page);
        }
    }

    /** {@code AllocationStrategy::AllocateNow}: each page faulted in as an access of the mapping's protection would. */
    private Either<VmError, VirtAddr> populate(Process p, long va, long bytes, int prot, Mmap syscall) {
        int access = Prot.USER | prot;
        for (long page = va; page < va + bytes; page += pageSize) {
            boolean committed = take(p, page);
            int rc = p.map().force(page, access);
            if (committed) {
                settle(p, page);
            }
            if (rc != 0) {
                machine.munmap(p, VirtAddr.of(va), Size.of(bytes));
                return Either.left(VmError.enomem(String.format("populate: no page for 0x%08x; the mapping is undone", page)));
            }
        }
        return Either.right(VirtAddr.of(va));
    }

    /** The free bytes when {@link #take} gave a committed page back, for {@link #settle}. */
    private long freeAtTake;

    /**
     * Before the fault of {@code page} in {@code p}: when the page is committed, its page of the
     * reservation and the kernel allowance are given back so the fault finds what it needs. True
     * when it was; then call {@link #settle}. Allocation-free when nothing is committed.
     */
    boolean take(Process p, long page) {
        // Nothing is ever committed unless the policy is strict: no lock on Phoenix's fault path.
        return strict && p != null && takeCommitted(p, page);
    }

    private synchronized boolean takeCommitted(Process p, long page) {
        if (unused.isEmpty()) {
            return false;
        }
        NavigableSet<Long> set = unused.get(p.memoryOwner());
        if (set == null || !set.contains(page)) {
            return false;
        }
        pages.unreserve(pageSize + allowance);
        freeAtTake = freeBytes();
        return true;
    }

    /**
     * Free bytes as {@link Machine#accounting} counts them: kmalloc's empty zones are free. A zone a
     * failed fault made and kept is then no use of the allowance, and the fault that later fills it
     * is charged for it, as the fault that makes and fills a zone is.
     */
    private long freeBytes() {
        return pages.freeBytes() + machine.kmalloc().reserve().zoneBytes();
    }

    /**
     * After the fault {@link #take} prepared: when the page is now backed by a page of its own, the
     * commitment is used; otherwise (a read that mapped the shared zero page, a refused or failed
     * fault) the page is set aside again. What else the fault took and kept (kernel memory: zones it
     * filled, page tables; not kmalloc's empty zones, which count as free, see {@link #freeBytes}) comes out of
     * the allowance, and the rest of the allowance is set aside again, so a fault that failed
     * leaves the free memory as it found it. Should something else have taken pages meanwhile
     * (another CPU), what no longer fits is no longer committed.
     */
    synchronized void settle(Process p, long page) {
        NavigableSet<Long> set = unused.get(p.memoryOwner());
        boolean used = backed(p, page);
        long kernelTook = Math.max(0, freeAtTake - freeBytes() - (used ? pageSize : 0));
        allowance = Math.max(0, allowance - kernelTook);
        if (used) {
            set.remove(page);
        }
        if (!pages.reserve((used ? 0 : pageSize) + allowance)) {
            allowance = 0;
            if (!used) {
                set.remove(page);
            }
        }
        if (set.isEmpty()) {
            unused.remove(p.memoryOwner());
            if (unused.isEmpty() && allowance > 0) {
                pages.unreserve(allowance);
                allowance = 0;
            }
        }
    }

    /** Whether {@code page} of {@code p} is mapped to a page other than the shared zero page. */
    private boolean backed(Process p, long page) {
        PhysAddr pa = p.pmap().resolve(VirtAddr.of(page));
        if (pa.isNone()) {
            return false;
        }
        int zero = machine.pager().zeroFrame();
        return zero == PageFrames.NONE || pages.frames().find(pa.value()) != zero;
    }

    /** Gives back the commitments of {@code p}'s pages in {@code [start, end)}. */
    synchronized void release(Process p, long start, long end) {
        NavigableSet<Long> set = unused.get(p.memoryOwner());
        if (set == null) {
            return;
        }
        NavigableSet<Long> range = set.subSet(start, true, end, false);
        long n = range.size();
        range.clear();
        if (set.isEmpty()) {
            unused.remove(p.memoryOwner());
        }
        unreserve(n);
    }

    /** Gives back the commitments of the pages in {@code [start, start+bytes)} no entry of {@code p} covers any more. */
    private synchronized void releaseUnmapped(Process p, long start, long bytes) {
        for (long page = start; page < start + bytes; page += pageSize) {
            if (!p.map().belongs(VirtAddr.of(page), Size.of(pageSize))) {
                release(p, page, page + pageSize);
            }
        }
    }

    /** After {@code p} exited: its memory's commitments go (a vforked child's are its parent's). */
    synchronized void exited(Process p) {
        if (p.ownsMap() && p.memoryOwner() == p) {
            release(p, 0, Long.MAX_VALUE);
        }
    }

    /**
     * Fork under {@code strict}: the child gets a commitment for every page the parent has
     * committed and not used, or the fork fails with {@code ENOMEM} before anything is copied.
     */
    Either<VmError, Process> fork(Process parent, java.util.function.Supplier<Either<VmError, Process>> fork) {
        long n;
        synchronized (this) {
            NavigableSet<Long> set = unused.get(parent.memoryOwner());
            n = set == null ? 0 : set.size();
            if (n > 0 && !reserve(n)) {
                return Either.left(VmError.enomem(String.format("fork: the child's commitment of %s does not fit", Sizes.human(n * pageSize))));
            }
        }
        Either<VmError, Process> r = fork.get();
        synchronized (this) {
            if (r.isLeft()) {
                unreserve(n);
            } else if (n > 0) {
                Process child = r.get();
                NavigableSet<Long> copy = new TreeSet<>(unused.get(parent.memoryOwner()));
                unused.put(child, copy);
                // Entries the child did not get (MAP_NOINHERIT) take their commitments with them.
                List<Long> notInherited = copy.stream().filter(page -> !child.map().belongs(VirtAddr.of(page), Size.of(pageSize))).toList();
                notInherited.forEach(page -> release(child, page, page + pageSize));
            }
        }
        return r;
    }

    /** The bytes {@code p}'s memory has committed and not used. */
    synchronized long committedBytes(Process p) {
        NavigableSet<Long> set = unused.get(p.memoryOwner());
        return set == null ? 0 : set.size() * (long) pageSize;
    }

    /**
     * The ledger's invariants: it accounts for exactly the allocator's reservation, and every
     * committed page lies in a writable private anonymous entry of its owner and is not backed yet.
     */
    synchronized List<String> verify() {
        List<String> out = new ArrayList<>();
        long total = 0;
        for (Map.Entry<Process, NavigableSet<Long>> m : unused.entrySet()) {
            Process p = m.getKey();
            total += m.getValue().size() * (long) pageSize;
            List<EntryInfo> entries = p.map().entries();
            for (long page : m.getValue()) {
                EntryInfo e = entries.stream().filter(x -> x.vaddr().value() <= page && page < x.end()).findFirst().orElse(null);
                if (e == null || e.objectKind() != EntryInfo.ObjectKind.ANONYMOUS || (e.protOrig() & Prot.WRITE) == 0) {
                    out.add(String.format("commit: %s's page 0x%08x is committed but not in writable anonymous memory", p.name(), page));
                } else if (backed(p, page)) {
                    out.add(String.format("commit: %s's page 0x%08x is backed by a page yet still committed", p.name(), page));
                }
            }
        }
        if (total + allowance != pages.reservedBytes() || (total == 0 && allowance != 0)) {
            out.add(String.format("commit: %d bytes committed and unused and %d of kernel allowance, but the page allocator reserves %d",
                    total, allowance, pages.reservedBytes()));
        }
        return out;
    }
}
