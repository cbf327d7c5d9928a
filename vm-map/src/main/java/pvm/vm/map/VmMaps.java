package pvm.vm.map;

import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.KernelImageRange;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.vm.page.KernelHeap;
import pvm.vm.page.PageAllocator;

/**
 * The memory mapper of one machine: Phoenix's {@code map_common} with {@code _map_init},
 * {@code vm_mapCreate}, {@code vm_mapCopy}, {@code vm_mapDestroy} and {@code vm_getSharedMap}. It
 * holds the kernel map, the entry pool, the kernel object, the pager, the page allocator and the
 * HAL; every {@link VmMap} of the machine reaches them through it. One per machine, no statics.
 *
 * <p>On no-MMU targets there are no per-process address spaces: one map per board memory map
 * ({@link Hal#maps()}) is shared by the kernel and every process ({@code _map_mapsInit}), the
 * kernel map being the one holding the kernel's range.
 */
public final class VmMaps {

    private final Hal hal;
    private final PageAllocator pages;
    private final MapModel model;
    private final int pageSize;
    private final MapEntryPool pool;
    private final MemObject kernel = new KernelObject();
    private final BootPager bootPager;
    private final VmMap kmap;
    private final List<VmMap> shared = new ArrayList<>();
    /**
     * The top of what the boot mapped into the kernel's space before this layer existed (the
     * kernel heap's top at {@code _map_init}). Below it the kernel object's pages are the boot's
     * direct mapping of low memory, which may cover free frames and holes; the checker knows.
     */
    private long bootTop;
    /** Maps made by {@link #create} and not destroyed yet: what the pool's entries are spread over. */
    private final Set<VmMap> live = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private volatile Pager pager;

    VmMaps(Hal hal, PageAllocator pages, MapModel model, MapEntryPool pool, Pmap kernelPmap, long kstart, long kstop) {
        this.hal = hal;
        this.pages = pages;
        this.model = model;
        this.pageSize = pages.pageSize();
        this.pool = pool;
        this.bootPager = new BootPager(pages);
        this.pager = bootPager;
        this.kmap = new VmMap(this, kernelPmap, kstart, kstop);
    }

    /**
     * {@code _map_init}: sizes the entry pool from the free memory
     * ({@code free / (3 * SIZE_PAGE + sizeof(map_entry_t))}), takes its bytes from the kernel heap,
     * prints {@code vm: Initializing memory mapper: (N*S) P}, makes the no-MMU shared maps, and
     * enters the kernel's segments into the kernel map, which spans the kernel pmap's range (on
     * no-MMU, the board map holding it). {@code model} is the memory model the composition root
     * chose for the hardware ({@link MapModel#PAGED} or {@link MapModel#FLAT}).
     *
     * @throws IllegalStateException when the kernel heap cannot grow for the pool (Phoenix asserts)
     */
    public static VmMaps init(Hal hal, PageAllocator pages, Pmap kernelPmap, KernelHeap heap, Consumer<String> console, MapModel model) {
        return MapInit.init(hal, pages, kernelPmap, heap, console, model);
    }

    // ---- what the machine holds -----------------------------------------------------------------------

    public VmMap kernelMap() {
        return kmap;
    }

    /** The kernel's memory object ({@code map_common.kernel}). */
    public MemObject kernelObject() {
        return kernel;
    }

    /** The kernel heap's top when {@code _map_init} entered the kernel's segments. */
    public long bootTop() {
        return bootTop;
    }

    void setBootTop(long top) {
        this.bootTop = top;
    }

    public MapEntryPool pool() {
        return pool;
    }

    public Hal hal() {
        return hal;
    }

    public PageAllocator pages() {
        return pages;
    }

    /** The memory model the machine was booted with. */
    public MapModel model() {
        return model;
    }

    public int pageSize() {
        return pageSize;
    }

    /** The pager in force (the boot pager until the object layer registers its own). */
    public Pager pager() {
        return pager;
    }

    /**
     * Registers the object layer's pager, once, at its init (as Phoenix's layers come up in order).
     *
     * @throws IllegalStateException when one was registered already
     */
    public void setPager(Pager p) {
        if (p == null) {
            throw new IllegalArgumentException("null pager");
        }
        synchronized (this) {
            if (pager != bootPager) {
                throw new IllegalStateException("the pager is already set: " + pager);
            }
            pager = p;
        }
    }

    /** {@code ntotal}. */
    public long entriesTotal() {
        return pool.total();
    }

    /** {@code nfree}. */
    public long entriesFree() {
        return pool.free();
    }

    /** {@code vm_mapGetStats}: bytes of map entries in use. */
    public long allocatedBytes() {
        return pool.allocatedBytes();
    }

    /** {@code vm_getSharedMap}: the shared map of board memory map {@code mapId} (no-MMU), if any. */
    public Option<VmMap> sharedMap(int mapId) {
        return mapId >= 0 && mapId < shared.size() ? Option.of(shared.get(mapId)) : Option.none();
    }

    /** {@code map_common.mapssz}: the number of shared maps (0 with an MMU). */
    public int sharedMapCount() {
        return shared.size();
    }

    void addShared(VmMap map) {
        shared.add(map);
    }

    /** {@code vm_mapCreate} on no-MMU, for a shared map: no page directory, not a process's map. */
    VmMap createShared(long start, long stop) {
        return new VmMap(this, hal.create(kmap.pmap, Frame.NONE), start, stop);
    }

    /** Whether {@code map} is shared by several processes: the kernel map, or a no-MMU shared map. */
    boolean isShared(VmMap map) {
        return map == kmap || shared.contains(map);
    }

    // ---- vm_mapCreate / vm_mapCopy / vm_mapDestroy ---------------------------------------------------

    /**
     * {@code vm_mapCreate}: a new address space for {@code [start, stop)}, as the memory model
     * makes it (with an MMU its page directory is a fresh page mapped into the kernel map;
     * {@code ENOMEM}, nothing kept, when either runs out).
     */
    public Either<VmError, VmMap> create(VirtAddr start, VirtAddr stop) {
        if (stop.value() <= start.value() || (start.value() & (pageSize - 1)) != 0 || (stop.value() & (pageSize - 1)) != 0) {
            return Either.left(VmError.einval(String.format("map range [0x%x, 0x%x) is empty or not page-aligned", start.value(),
                    stop.value())));
        }
        return model.create(this, start.value(), stop.value()).peek(live::add);
    }

    /**
     * {@code vm_mapCopy}: fills the empty map {@code dst} with a copy of {@code src} for a fork;
     * {@code owner} is the child. See {@link VmMapCopy#copy}: on failure {@code dst} is destroyed.
     *
     * @param lazy whether the child is lazy (demand paging: pages shared read-only until written);
     *     otherwise its pages are populated now
     */
    public Either<VmError, Void> copy(MapOwner owner, VmMap dst, VmMap src, boolean lazy) {
        int r = VmMapCopy.copy(this, owner, dst, src, lazy);
        if (r < 0) {
            return Either.left(Errno.toError(r, r == Errno.EINVAL ? "fork copy: the target map must be another, empty map covering the source"
                    : "fork copy failed (" + Errno.name(r) + "); the child's map is destroyed"));
        }
        return Either.right(null);
    }

    /**
     * {@code vm_mapDestroy}. With an MMU ({@link PagedMaps}): frees the page tables the HAL hands
     * back, unmaps and frees the page directory, and drops every entry with its anons. Without one
     * ({@link FlatMaps}): drops only the entries {@code owner} mapped in the (shared) map, anons
     * included (Phoenix drops their amaps only).
     *
     * @throws IllegalArgumentException for the kernel map with an MMU, and for the kernel's own
     *     entries ({@code owner == null}) without one
     */
    public void destroy(MapOwner owner, VmMap map) {
        if (model.destroy(this, owner, map)) {
            live.remove(map);
        }
    }

    // ---- checking ---------------------------------------------------------------------------------------

    /** Maps made by {@link #create} and not destroyed. */
    public List<VmMap> liveMaps() {
        synchronized (live) {
            return List.copyOf(live);
        }
    }

    /**
     * The checker of the whole mapper: the pool, every map it knows (kernel, shared, created), and
     * that the entries in use are exactly the entries in those maps (an entry in no map is a leak).
     */
    public List<String> verify() {
        List<String> errors = new ArrayList<>(pool.verify());
        List<VmMap> all = new ArrayList<>();
        all.add(kmap);
        for (VmMap m : shared) {
            if (m != kmap) {
                all.add(m);
            }
        }
        for (VmMap m : liveMaps()) {
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        long inMaps = 0;
        for (VmMap m : all) {
            errors.addAll(m.verify());
            inMaps += m.entryCount();
        }
        long used = pool.used();
        if (used != inMaps) {
            errors.add(String.format("map: %d pool entries in use, %d in maps", used, inMaps));
        }
        checkKernelImage(errors);
        return errors;
    }

    /**
     * No kernel-image page is ever mapped anywhere but its own frame: each lies in an entry of the
     * kernel object of the map that holds it, and translates to the frame the loader put it in. A
     * kernel mapping laid over the image (a zone, a page directory, a temporary window) breaks both.
     */
    private void checkKernelImage(List<String> errors) {
        for (KernelImageRange r : hal.kernelImage()) {
            for (long va = r.start().value(); va < r.end().value(); va += pageSize) {
                VmMap holder = holderOf(va);
                if (holder == null) {
                    continue;
                }
                holder.lock.lock();
                try {
                    MapEntry e = holder.tree.find(va, 1);
                    if (e == null || e.object != kernelObject()) {
                        errors.add(String.format("%s page 0x%x is not in an entry of the kernel: %s", r.name(), va,
                                e == null ? "no entry" : e));
                    }
                    PhysAddr pa = holder.pmap.resolve(VirtAddr.of(va));
                    if (pa.value() != r.physOf(va)) {
                        errors.add(String.format("%s page 0x%x maps %s, not its own frame 0x%x", r.name(), va,
                                pa.isNone() ? "nothing" : String.format("0x%x", pa.value()), r.physOf(va)));
                    }
                } finally {
                    holder.lock.unlock();
                }
                if (errors.size() > 50) {
                    return;
                }
            }
        }
    }

    /** The kernel map or shared map whose range holds {@code va}, or null. */
    private VmMap holderOf(long va) {
        if (va >= kmap.start && va < kmap.stop) {
            return kmap;
        }
        for (VmMap m : shared) {
            if (va >= m.start && va < m.stop) {
                return m;
            }
        }
        return null;
    }
}
