package pvm.vm.kmalloc;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Sizes;
import pvm.hal.pmap.VmError;
import pvm.vm.map.VmMaps;
import pvm.vm.page.AllocationFailures;
import pvm.vm.page.KernelLock;
import pvm.vm.page.PageAllocator;
import pvm.vm.zone.VmZone;

/**
 * The kernel's fine-grained allocator, Phoenix's {@code vm/kmalloc.c} ({@code kmalloc_common}).
 *
 * <p>Blocks come in powers of two from 16 bytes to 8 MiB, one class per {@code sizes[idx]}, idx
 * being log2 of the block size. Each class is a circular list of zones that still have a free
 * block; allocation takes a block of the list's head zone, and a zone that fills moves to the
 * {@code used} list. A class with no zone gets a new one of at least a page
 * ({@code max(1, SIZE_PAGE / blocksz)} blocks). The zones' own headers ({@code vm_zone_t},
 * {@value #ZONE_HEADER_SIZE} bytes on the 32-bit targets) are kmalloc blocks of their own class,
 * {@code hdridx}: the first header zone is built at init, and whenever a single free header block
 * is left ({@code hdrblocks == 1}) the next {@code vm_kmalloc} first spends it on a new header zone,
 * so a header can always be had.
 *
 * <p>On free the zone holding the pointer is found by address (see {@link ZonePageIndex}), the block
 * goes back on its free list, and a zone that empties is released ({@link Policy}). Releasing a zone
 * frees its header block, which may empty a header zone in turn: {@code vm_kfree}'s loop.
 *
 * <p>Differences from Phoenix: a bad free (a pointer in no zone, not at a block boundary, to a
 * block that is not allocated, or to the header block of a zone) is refused with {@code EINVAL} and
 * changes nothing, where Phoenix ignores the first and corrupts its lists on the others; and by
 * default one empty zone per class is kept ({@link Policy#KEEP_ONE_EMPTY}).
 *
 * <p>One lock ({@code kmalloc_common.lock}) guards everything. Creating or destroying a zone maps or
 * unmaps it in the kernel map under this lock, so the order is kmalloc, then the kernel map.
 */
public final class Kmalloc {

    /** What happens to a zone whose last block is freed. */
    public enum Policy {
        /**
         * {@code _kmalloc_freeAtom}: every zone but the first header zone is destroyed as soon as it
         * empties, so a class whose use oscillates around a zone boundary creates and destroys a zone
         * (and maps and unmaps its pages) on every other call.
         */
        PHOENIX,
        /**
         * The default: a zone that empties is destroyed only when its class already has an empty
         * zone, so each class keeps at most one empty zone in reserve and the oscillation costs no
         * page allocation. A documented difference from Phoenix.
         */
        KEEP_ONE_EMPTY
    }

    /** {@code --policy zones=keep-one-empty|phoenix}. */
    public static final pvm.hal.pmap.Policy<Policy> ZONE_RELEASE = new pvm.hal.pmap.Policy<>("zones", Policy.class, Policy.KEEP_ONE_EMPTY,
            Policy.PHOENIX, "what kmalloc does with a zone that empties: keep one per size class (keep-one-empty) or destroy it (phoenix)");

    /** Number of size classes ({@code sizes[24]}): blocks of up to {@code 1 << 23} bytes. */
    public static final int SIZES = 24;

    /** The smallest block: requests below it are rounded up ({@code size < 16 ? 16 : size}). */
    public static final int MIN_SIZE = 16;

    /**
     * {@code sizeof(vm_zone_t)} on Phoenix's 32-bit targets (ia32, armv7m), counted from
     * {@code vm/zone.h}: next, prev (2 x 4), the {@code rbnode_t} linkage (parent, left, right
     * pointers and the colour enum, 4 x 4), blocksz (4), blocks (4), used (4), vaddr, first,
     * pages (3 x 4) = 48. Its class is 64 bytes.
     */
    public static final int ZONE_HEADER_SIZE = 48;

    /** {@code kmalloc_common.zonehdrs}: the fewest blocks a header zone has. */
    static final int ZONEHDRS = 16;

    private static final int NONE = ZoneSlots.NONE;
    private static final Either<VmError, Void> OK = Either.right(null);

    /** {@code kmalloc_common.lock}; see {@link KernelLock} for why not a {@code ReentrantLock}. */
    private final KernelLock lock = new KernelLock();
    private final VmMaps maps;
    private final PageAllocator pages;
    /** The machine's allocation-failure injector ({@link PageAllocator#failures}), consulted by {@link #kmalloc}. */
    private final AllocationFailures failures;
    private final Policy policy;
    private final int pageSize;
    private final int pageShift;
    private final int hdridx;
    private final int[] sizes = new int[SIZES];
    private final int[] usedList = {NONE};
    private final int[] empty = new int[SIZES];
    private final ZoneSlots slots = new ZoneSlots(16);
    private final ZonePageIndex index = new ZonePageIndex();
    private final int firstzone;
    private int hdrblocks;
    private long allocsz;

    private Kmalloc(VmMaps maps, PageAllocator pages, Policy policy, VmZone first) {
        this.maps = maps;
        this.pages = pages;
        this.failures = pages.failures();
        this.policy = policy;
        this.pageSize = pages.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.hdridx = Sizes.orderFor(ZONE_HEADER_SIZE);
        java.util.Arrays.fill(sizes, NONE);
        lock.lock(); // no other thread can see this yet; taken for registerLocked's assertion
        try {
            this.firstzone = registerLocked(first, 0);
        } finally {
            lock.unlock();
        }
        this.hdrblocks = first.blocks();
        this.allocsz = 0;
    }

    /**
     * {@code _kmalloc_init} with the default {@link Policy#KEEP_ONE_EMPTY}: builds the first header
     * zone and prints {@code vm: Initializing kernel memory allocator: (N*S) T}.
     *
     * @throws IllegalStateException when the first zone cannot be had (boot cannot go on)
     */
    public static Kmalloc init(VmMaps maps, PageAllocator pages, Consumer<String> console) {
        return init(maps, pages, console, Policy.KEEP_ONE_EMPTY);
    }

    /** {@code _kmalloc_init} with a chosen zone-release policy. */
    public static Kmalloc init(VmMaps maps, PageAllocator pages, Consumer<String> console, Policy policy) {
        int hdridx = Sizes.orderFor(ZONE_HEADER_SIZE);
        long blocksz = 1L << hdridx;
        int blocks = (int) Math.max(ZONEHDRS, pages.pageSize() / blocksz);
        VmZone first = VmZone.create(maps, pages, blocksz, blocks)
                .getOrElseThrow(e -> new IllegalStateException("vm: kmalloc cannot create its first zone: " + e.message()));
        Kmalloc k = new Kmalloc(maps, pages, policy, first);
        console.accept(String.format("vm: Initializing kernel memory allocator: (%d*%d) %d",
                k.hdrblocks, ZONE_HEADER_SIZE, (long) k.hdrblocks * ZONE_HEADER_SIZE));
        return k;
    }

    public Policy policy() {
        return policy;
    }

    // ---- the public, locking operations ---------------------------------------------------------

    /**
     * {@code vm_kmalloc}: a block of at least {@code size} bytes (16 at least).
     *
     * @return its kernel virtual address, or 0 when memory runs out or the size is above 8 MiB
     *     (or negative)
     */
    public long kmalloc(long size) {
        if (size < 0) {
            return 0;
        }
        int idx = Sizes.orderFor(Math.max(size, MIN_SIZE));
        if (idx >= SIZES || failures.failNext()) {
            return 0;
        }
        lock.lock();
        try {
            return kmallocLocked(idx);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code vm_kfree}. A null pointer (0) is accepted and does nothing, as in Phoenix.
     *
     * @return {@code EINVAL} when {@code addr} is in no zone, not at a block boundary, or not an
     *     allocated block (a double free); nothing changed then
     */
    public Either<VmError, Void> kfree(long addr) {
        lock.lock();
        try {
            int err = kfreeLocked(addr);
            if (err == Errno.EOK) {
                return OK;
            }
            return Either.left(VmError.einval(describeBadFreeLocked(addr)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #kfree} without the Vavr wrapper, for the hot paths of the layers above.
     *
     * @return {@link Errno#EOK} or {@link Errno#EINVAL}
     */
    public int free(long addr) {
        lock.lock();
        try {
            return kfreeLocked(addr);
        } finally {
            lock.unlock();
        }
    }

    /** {@code vm_kmallocGetStats}: bytes in allocated blocks, headers of zones included. */
    public long allocatedBytes() {
        lock.lock();
        try {
            return allocsz;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The physical address of the byte at {@code addr} if it lies in an allocated block (for
     * writing a block's contents in simulated RAM, {@code _vm_zalloc}'s {@code addr}), else -1.
     */
    public long physAddr(long addr) {
        lock.lock();
        try {
            int s = zoneOfLocked(addr);
            if (s == NONE) {
                return -1;
            }
            VmZone z = slots.zone[s];
            return slots.isAllocated(s, z.blockIndex(addr)) ? z.physAddrOf(addr) : -1;
        } finally {
            lock.unlock();
        }
    }

    /** The size of the allocated block starting at {@code addr}, or 0 when there is none. */
    public long blockSize(long addr) {
        lock.lock();
        try {
            int s = zoneOfLocked(addr);
            if (s == NONE) {
                return 0;
            }
            VmZone z = slots.zone[s];
            return z.isBlock(addr) && slots.isAllocated(s, z.blockIndex(addr)) ? z.blocksz() : 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code kmalloc_common.hdrblocks}: free blocks in the header class. */
    public int hdrblocks() {
        lock.lock();
        try {
            return hdrblocks;
        } finally {
            lock.unlock();
        }
    }

    /** The header class: log2 of the block size {@code vm_zone_t} is allocated with. */
    public int headerIndex() {
        return hdridx;
    }

    /** Number of zones, the first header zone included. */
    public int zoneCount() {
        lock.lock();
        try {
            return slots.live();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What {@link Policy#KEEP_ONE_EMPTY} holds in reserve: the pages of the empty zones it keeps
     * and the header blocks describing them. Phoenix's policy keeps none, so this is what the
     * better policy costs, and what accounting counts as free rather than as leaked.
     *
     * <p>A header zone whose every allocated block is the header of a reserve zone is in reserve
     * too: it is there only because the reserve is (with Phoenix's policy the reserve's zones would
     * be gone and their headers freed, and this zone with them). Such a zone is not empty, so
     * counting empty zones alone would report its page and its own header as a leak.
     *
     * @param zones how many zones are in reserve
     * @param zoneBytes bytes of pages mapped by those zones
     * @param headerBytes kmalloc bytes taken by those zones' headers
     */
    public record Reserve(int zones, long zoneBytes, long headerBytes) {
    }

    /** The zones kept in reserve, see {@link Reserve}. */
    public Reserve reserve() {
        lock.lock();
        try {
            int n = slots.count();
            boolean[] reserve = new boolean[n];
            // How many of each zone's allocated blocks are headers of reserve zones.
            int[] reserveHeaders = new int[n];
            boolean grew = true;
            while (grew) {
                grew = false;
                for (int s = 0; s < n; s++) {
                    VmZone z = slots.zone[s];
                    if (z == null || s == firstzone || reserve[s] || z.used() != reserveHeaders[s]) {
                        continue;
                    }
                    reserve[s] = true;
                    reserveHeaders[zoneOfLocked(slots.hdr[s])]++;
                    grew = true;
                }
            }
            int zones = 0;
            long zoneBytes = 0;
            for (int s = 0; s < n; s++) {
                if (reserve[s]) {
                    zones++;
                    zoneBytes += slots.zone[s].mappedBytes();
                }
            }
            return new Reserve(zones, zoneBytes, zones * (1L << hdridx));
        } finally {
            lock.unlock();
        }
    }

    /** Every zone, in address order, for views. */
    public List<ZoneInfo> zones() {
        lock.lock();
        try {
            List<ZoneInfo> out = new ArrayList<>();
            for (int s = 0; s < slots.count(); s++) {
                VmZone z = slots.zone[s];
                if (z != null) {
                    out.add(new ZoneInfo(z.vaddr(), z.blocksz(), z.blocks(), z.used(), slots.hdr[s], s == firstzone));
                }
            }
            out.sort(java.util.Comparator.comparingLong(ZoneInfo::vaddr));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code vm_kmallocDump}: one line per class, {@code sizes[i]=} then each zone that still has
     * a free block as {@code %p(used/blocks) } with a trailing space, as Phoenix prints them. Full
     * zones (on the {@code used} list) are not shown, as in Phoenix. Phoenix's {@code %p} is the
     * address of the {@code vm_zone_t}; here it is the zone's virtual address, which says where the
     * blocks are (and the first zone's header, a static in Phoenix, has no address in the model).
     */
    public List<String> dump() {
        lock.lock();
        try {
            List<String> out = new ArrayList<>(SIZES);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < SIZES; i++) {
                line.setLength(0);
                line.append("sizes[").append(i).append("]=");
                int head = sizes[i];
                if (head != NONE) {
                    int s = head;
                    do {
                        VmZone z = slots.zone[s];
                        line.append(String.format("%08x(%d/%d) ", z.vaddr(), z.used(), z.blocks()));
                        s = slots.next[s];
                    } while (s != head);
                }
                out.add(line.toString());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The invariant checker: every broken invariant in words; empty when kmalloc is consistent. */
    public List<String> verify() {
        lock.lock();
        try {
            return KmallocInvariants.check(this);
        } finally {
            lock.unlock();
        }
    }

    // ---- the work, lock held --------------------------------------------------------------------

    /** {@code vm_kmalloc} after the size check: refill the header class, make a zone, allocate. */
    long kmallocLocked(int idx) {
        assert lock.isHeldByCurrentThread() : "kmallocLocked without the lock";
        if (hdrblocks == 1 && addZoneLocked(hdridx) != Errno.EOK) {
            return 0;
        }
        if (sizes[idx] == NONE && addZoneLocked(idx) != Errno.EOK) {
            return 0;
        }
        return allocLocked(idx);
    }

    /** {@code _kmalloc_alloc}: a block of the head zone of class {@code idx}, or 0. */
    long allocLocked(int idx) {
        assert lock.isHeldByCurrentThread() : "allocLocked without the lock";
        int s = sizes[idx];
        if (s == NONE) {
            return 0;
        }
        VmZone z = slots.zone[s];
        boolean wasEmpty = z.used() == 0;
        long b = z.zalloc();
        if (b == 0) {
            return 0;
        }
        if (wasEmpty) {
            empty[idx]--;
        }
        slots.setAllocated(s, z.blockIndex(b));
        allocsz += 1L << idx;
        if (idx == hdridx) {
            hdrblocks--;
        }
        if (z.used() == z.blocks()) {
            slots.listRemove(sizes, idx, s);
            slots.listAdd(usedList, 0, s);
        }
        return b;
    }

    /**
     * {@code _kmalloc_free}: puts the allocated block {@code p} of zone slot {@code s} back, moving a
     * zone that was full back to its class.
     */
    void freeBlockLocked(int s, long p) {
        assert lock.isHeldByCurrentThread() : "freeBlockLocked without the lock";
        VmZone z = slots.zone[s];
        boolean wasFull = z.used() == z.blocks();
        z.zfree(p);
        slots.clearAllocated(s, z.blockIndex(p));
        allocsz -= z.blocksz();
        int idx = Sizes.lastBit(z.blocksz());
        if (idx == hdridx) {
            hdrblocks++;
        }
        if (wasFull) {
            slots.listRemove(usedList, 0, s);
            slots.listAdd(sizes, idx, s);
        }
        if (z.used() == 0) {
            empty[idx]++;
        }
    }

    /**
     * {@code _kmalloc_addZone}: a header block for the {@code vm_zone_t}, then the zone itself,
     * added to class {@code idx} and to the lookup.
     */
    int addZoneLocked(int idx) {
        assert lock.isHeldByCurrentThread() : "addZoneLocked without the lock";
        long nz = allocLocked(hdridx);
        if (nz == 0) {
            return Errno.ENOMEM;
        }
        long blocksz = 1L << idx;
        int blocks = (int) Math.max(idx == hdridx ? ZONEHDRS : 1, pageSize / blocksz);
        Either<VmError, VmZone> z = VmZone.create(maps, pages, blocksz, blocks);
        if (z.isLeft()) {
            // Phoenix gives the header back with _kmalloc_free only: the header zone is not released.
            freeBlockLocked(zoneOfLocked(nz), nz);
            return Errno.ENOMEM;
        }
        int s = registerLocked(z.get(), nz);
        if (idx == hdridx) {
            hdrblocks += z.get().blocks();
        }
        return s >= 0 ? Errno.EOK : Errno.ENOMEM;
    }

    /** Puts a fresh zone on its class list and into the lookup; its slot. */
    private int registerLocked(VmZone z, long header) {
        assert lock.isHeldByCurrentThread() : "registerLocked without the lock";
        if (header != 0) {
            int hs = zoneOfLocked(header);
            slots.setHeader(hs, slots.zone[hs].blockIndex(header), true);
        }
        int s = slots.add(z, header);
        int idx = Sizes.lastBit(z.blocksz());
        slots.listAdd(sizes, idx, s);
        empty[idx]++;
        long vpage = z.vaddr() >>> pageShift;
        long npages = (z.mappedBytes() + pageSize - 1) >>> pageShift;
        for (long i = 0; i < npages; i++) {
            index.put(vpage + i, s);
        }
        return s;
    }

    /**
     * {@code vm_kfree}: checks the pointer, then frees it and, while freeing releases a zone, that
     * zone's header block ({@code _kmalloc_freeAtom} in a loop).
     */
    int kfreeLocked(long p) {
        assert lock.isHeldByCurrentThread() : "kfreeLocked without the lock";
        if (p == 0) {
            return Errno.EOK;
        }
        int s = zoneOfLocked(p);
        if (s == NONE) {
            return Errno.EINVAL;
        }
        VmZone z = slots.zone[s];
        int block = z.blockIndex(p);
        if (!z.isBlock(p) || !slots.isAllocated(s, block) || slots.isHeader(s, block)) {
            return Errno.EINVAL;
        }
        p = freeAtomLocked(s, p);
        while (p != 0) {
            p = freeAtomLocked(zoneOfLocked(p), p);
        }
        return Errno.EOK;
    }

    /**
     * {@code _kmalloc_freeAtom}: frees block {@code p} of slot {@code s}; when that empties the zone
     * and the policy releases it, destroys the zone and returns its header block (to be freed next),
     * else 0.
     */
    long freeAtomLocked(int s, long p) {
        assert lock.isHeldByCurrentThread() : "freeAtomLocked without the lock";
        freeBlockLocked(s, p);
        VmZone z = slots.zone[s];
        int idx = Sizes.lastBit(z.blocksz());
        boolean release = z.used() == 0 && s != firstzone
                && (policy == Policy.PHOENIX || empty[idx] > 1);
        if (!release) {
            return 0;
        }
        long vpage = z.vaddr() >>> pageShift;
        long npages = (z.mappedBytes() + pageSize - 1) >>> pageShift;
        if (z.destroy().isLeft()) {
            // Unmapping the zone can take a map entry (to split the kernel's); without one the zone
            // stays, empty, as a reserve zone does, and a later free releases it.
            return 0;
        }
        slots.listRemove(sizes, idx, s);
        for (long i = 0; i < npages; i++) {
            index.remove(vpage + i);
        }
        empty[idx]--;
        if (idx == hdridx) {
            hdrblocks -= z.blocks();
        }
        long header = slots.hdr[s];
        slots.remove(s);
        int hs = zoneOfLocked(header);
        slots.setHeader(hs, slots.zone[hs].blockIndex(header), false);
        return header;
    }

    /** The slot of the zone whose blocks hold {@code addr}, or {@link ZoneSlots#NONE}. */
    int zoneOfLocked(long addr) {
        assert lock.isHeldByCurrentThread() : "zoneOfLocked without the lock";
        if (addr <= 0) {
            return NONE;
        }
        int s = index.get(addr >>> pageShift);
        if (s == NONE || !slots.zone[s].contains(addr)) {
            return NONE;
        }
        return s;
    }

    /** Why {@code p} is no block a caller may free, in words (for {@code EINVAL}). */
    String describeBadFreeLocked(long p) {
        assert lock.isHeldByCurrentThread() : "describeBadFreeLocked without the lock";
        int s = zoneOfLocked(p);
        if (s == NONE) {
            return String.format("kfree: 0x%08x is not inside any kmalloc zone", p);
        }
        VmZone z = slots.zone[s];
        if (!z.isBlock(p)) {
            return String.format("kfree: 0x%08x is not at a block boundary of the %d-byte zone at 0x%08x", p, z.blocksz(), z.vaddr());
        }
        if (slots.isHeader(s, z.blockIndex(p))) {
            return String.format("kfree: 0x%08x holds the header of a kmalloc zone, not a block of the caller's", p);
        }
        return String.format("kfree: 0x%08x is not an allocated block (a double free?)", p);
    }

    // ---- state for the checker and the calls built on kmalloc -----------------------------------

    /** {@code kmalloc_common.lock}, for {@link KmallocCalls} and {@link HeapSelfTest}, which hold it across several steps. */
    KernelLock lock() {
        return lock;
    }

    /** The maps the zones are mapped into, and through them the HAL and the simulated RAM. */
    VmMaps maps() {
        return maps;
    }

    ZoneSlots slots() {
        return slots;
    }

    ZonePageIndex index() {
        return index;
    }

    int[] sizesHeads() {
        return sizes;
    }

    int usedHead() {
        return usedList[0];
    }

    int[] emptyCounts() {
        return empty;
    }

    int firstzone() {
        return firstzone;
    }

    int hdrblocksLocked() {
        assert lock.isHeldByCurrentThread() : "hdrblocksLocked without the lock";
        return hdrblocks;
    }

    long allocszLocked() {
        assert lock.isHeldByCurrentThread() : "allocszLocked without the lock";
        return allocsz;
    }

    int pageShift() {
        return pageShift;
    }
}
