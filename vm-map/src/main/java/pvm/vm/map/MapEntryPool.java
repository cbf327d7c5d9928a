package pvm.vm.map;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import pvm.vm.page.AllocationFailures;

/**
 * The fixed pool every map takes its entries from ({@code map_common}'s {@code entries},
 * {@code free}, {@code ntotal}, {@code nfree}). {@code _map_init} sizes it once from the free memory
 * and carves {@code ntotal * sizeof(map_entry_t)} bytes for it from the kernel heap; when it is
 * empty, mapping fails with {@code ENOMEM}.
 *
 * <p>The bytes are taken from the simulated kernel heap so the page map shows them, but the entries
 * are Java objects. They are made lazily, up to {@code ntotal}, and recycled through a free list: a
 * machine with a large pool pays only for the entries it has used, and an entry handed out is the
 * same one Phoenix would hand out (its slot number), because Phoenix's free list starts in array
 * order and freed entries go to its head — exactly "recycled ones first, then the next fresh slot".
 *
 * <p>Thread-safe: one lock ({@code map_common.lock}), as entries are taken under different maps'
 * locks.
 */
public final class MapEntryPool {

    private final ReentrantLock lock = new ReentrantLock();
    private final int total;
    private final int entrySize;
    private final long base;
    private final Consumer<String> console;
    /** The machine's allocation-failure injector, consulted by {@link #allocN}. */
    private final AllocationFailures failures;

    /** Head of the recycled entries (Phoenix's free list before its untouched tail). */
    private MapEntry recycled;
    /** Number of slots made so far; slots from here on are the free list's untouched tail. */
    private int fresh;
    private int free;

    /**
     * @param total {@code ntotal}
     * @param entrySize {@code sizeof(map_entry_t)} on the target
     * @param base virtual address of the pool in the kernel heap ({@code map_common.entries})
     * @param console where "vm: Entry pool exhausted!" goes (Phoenix prints it in debug builds)
     */
    MapEntryPool(int total, int entrySize, long base, Consumer<String> console) {
        this(total, entrySize, base, console, new AllocationFailures());
    }

    /** A pool whose allocations consult the machine's {@code failures} (the page allocator's). */
    MapEntryPool(int total, int entrySize, long base, Consumer<String> console, AllocationFailures failures) {
        if (total < 0) {
            throw new IllegalArgumentException("negative pool size " + total);
        }
        this.total = total;
        this.entrySize = entrySize;
        this.base = base;
        this.console = console;
        this.failures = failures;
        this.free = total;
    }

    /** {@code map_allocN}: {@code n} entries chained through {@code next}, or null (nothing taken). */
    MapEntry allocN(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("allocN of " + n);
        }
        if (failures.failNext()) {
            return null;
        }
        lock.lock();
        try {
            if (free < n) {
                console.accept("vm: Entry pool exhausted!");
                return null;
            }
            free -= n;
            MapEntry head = null;
            MapEntry tail = null;
            for (int i = 0; i < n; i++) {
                MapEntry e;
                if (recycled != null) {
                    e = recycled;
                    recycled = e.next;
                } else {
                    e = new MapEntry(fresh++);
                }
                e.next = null;
                if (head == null) {
                    head = e;
                } else {
                    tail.next = e;
                }
                tail = e;
            }
            return head;
        } finally {
            lock.unlock();
        }
    }

    /** {@code map_alloc}. */
    MapEntry alloc() {
        return allocN(1);
    }

    /** {@code map_free}: the entry goes to the head of the free list. */
    void free(MapEntry e) {
        lock.lock();
        try {
            if (e.map != null) {
                throw new IllegalStateException("freeing an entry still in a map: " + e);
            }
            e.clear();
            free++;
            if (free > total) {
                throw new IllegalStateException("more entries freed than the pool holds");
            }
            e.next = recycled;
            recycled = e;
        } finally {
            lock.unlock();
        }
    }

    /** Frees a chain left over from {@link #allocN}. */
    void freeChain(MapEntry head) {
        MapEntry e = head;
        while (e != null) {
            MapEntry n = e.next;
            free(e);
            e = n;
        }
    }

    /** {@code ntotal}. */
    public long total() {
        return total;
    }

    /** {@code nfree}. */
    public long free() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }

    public long used() {
        return total - free();
    }

    /** {@code sizeof(map_entry_t)} on the target. */
    public int entrySize() {
        return entrySize;
    }

    /** The pool's virtual address in the kernel heap. */
    public long base() {
        return base;
    }

    /** The pool's bytes: {@code ntotal * sizeof(map_entry_t)}. */
    public long bytes() {
        return (long) total * entrySize;
    }

    /** {@code vm_mapGetStats}: bytes of entries in use. */
    public long allocatedBytes() {
        return used() * entrySize;
    }

    /** Where an entry lives in the kernel heap ({@code &map_common.entries[slot]}). */
    public long addressOf(MapEntry e) {
        return base + (long) e.slot * entrySize;
    }

    /** The checker: the free list and the counts agree, and no free entry is still in a map. */
    public List<String> verify() {
        List<String> errors = new ArrayList<>();
        lock.lock();
        try {
            int listed = 0;
            for (MapEntry e = recycled; e != null && listed <= total; e = e.next) {
                listed++;
                if (e.map != null) {
                    errors.add("pool: free entry " + e.slot + " is still in a map");
                }
            }
            int expected = free - (total - fresh);
            if (listed != expected) {
                errors.add(String.format("pool: %d recycled entries listed, %d expected (free %d, total %d, made %d)",
                        listed, expected, free, total, fresh));
            }
            if (free < 0 || free > total) {
                errors.add("pool: free count " + free + " outside 0.." + total);
            }
        } finally {
            lock.unlock();
        }
        return errors;
    }
}
