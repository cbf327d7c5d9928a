package pvm.vm.object;

import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.VmError;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.AnonMap;
import pvm.vm.map.MapEntry;
import pvm.vm.map.MemObject;
import pvm.vm.map.Pager;
import pvm.vm.map.VmMap;
import pvm.vm.map.VmMaps;
import pvm.vm.page.PageAllocator;

/**
 * The layers above the mapper as it sees them: the {@link Pager} it asks for pages, made of the
 * amap layer ({@link AmapLayer}, Phoenix's {@code vm/amap.c}) and the object layer
 * ({@link ObjectStore}, {@code vm/object.c}: {@code vm_objectGet}, {@code vm_objectRef},
 * {@code vm_objectPut}, {@code vm_objectPage}, {@code vm_objectContiguous}). Objects live in a tree
 * by oid, their pages fetched from a {@link BackingStore} on the first fault and cached until the
 * last reference goes.
 *
 * <p>Amaps, anons and objects are charged to kmalloc at their C sizes on the target
 * ({@link ObjectSizes}), so the kernel's memory use is what Phoenix's would be.
 *
 * <p>Private object mappings: an entry of an object marked {@code MAP_NEEDSCOPY} (or holding an
 * amap) reads the object's pages, and the first write fault gives the entry an amap
 * ({@code amap_create} in {@code _map_force}) and copies the object's page into a new anon
 * ({@link #amapPage}); the object's page is never written through it.
 *
 * <p>Locks: see {@link AmapLayer} and {@link ObjectStore}. The mapper calls in with the faulting
 * map's lock held; the kernel map's lock is reentrant, so mapping a page into it while it is the
 * faulting map is safe (Phoenix calls the unlocked {@code _vm_mmap} there instead).
 */
public final class VmPager implements Pager {

    private final VmMaps maps;
    private final PageAllocator pages;
    private final PageFrames frames;
    private final Kmalloc kmalloc;
    private final KernelWindow window;
    private final ObjectStore objects;
    private final int pageSize;
    private final ObjectSizes sizes;

    private final AmapLayer amapLayer;
    /** The shared zero page, or {@link PageFrames#NONE} ({@link ZeroPage}). */
    private final int zeroFrame;

    private VmPager(VmMaps maps, PageAllocator pages, Kmalloc kmalloc, BackingStore store, ZeroPage zeroPage) {
        this.maps = maps;
        this.pages = pages;
        this.frames = pages.frames();
        this.kmalloc = kmalloc;
        this.pageSize = pages.pageSize();
        this.sizes = ObjectSizes.of(maps.hal().architecture().abi());
        PhysicalMemory memory = maps.hal().memory();
        this.window = new KernelWindow(maps.kernelMap(), maps.kernelObject(), memory, pageSize);
        this.objects = new ObjectStore(store, pages, memory, kmalloc, window, sizes, maps.kernelObject());
        // Without an MMU (the flat model) nothing faults, so there is nothing to share a page of zeros with.
        this.zeroFrame = zeroPage == ZeroPage.SHARED && maps.model() == pvm.vm.map.MapModel.PAGED
                ? SharedZeroPage.allocate(pages, window) : PageFrames.NONE;
        this.amapLayer = new AmapLayer(pages, kmalloc, window, objects, sizes, zeroFrame);
    }

    /**
     * {@code _object_init} and {@code _amap_init} with no backing store (no object can be got by
     * oid): makes this the mapper's pager; the boot line goes nowhere.
     */
    public static VmPager init(VmMaps maps, PageAllocator pages, Kmalloc kmalloc) {
        return init(maps, pages, kmalloc, BackingStore.NONE, line -> { });
    }

    /** {@link #init(VmMaps, PageAllocator, Kmalloc)}, printing the boot line to {@code console}. */
    public static VmPager init(VmMaps maps, PageAllocator pages, Kmalloc kmalloc, Consumer<String> console) {
        return init(maps, pages, kmalloc, BackingStore.NONE, console);
    }

    /**
     * {@code _object_init} and {@code _amap_init}: prints {@code vm: Initializing memory objects},
     * makes this the mapper's pager, and fetches object pages from {@code store}.
     */
    public static VmPager init(VmMaps maps, PageAllocator pages, Kmalloc kmalloc, BackingStore store, Consumer<String> console) {
        return init(maps, pages, kmalloc, store, console, ZeroPage.FRESH);
    }

    /**
     * {@link #init(VmMaps, PageAllocator, Kmalloc, BackingStore, Consumer)} with a choice of what a
     * read of untouched anonymous memory maps ({@link ZeroPage}); with {@link ZeroPage#SHARED} the
     * page of zeros is allocated here, once ({@code ENOMEM} at boot is a broken machine).
     */
    public static VmPager init(VmMaps maps, PageAllocator pages, Kmalloc kmalloc, BackingStore store, Consumer<String> console,
            ZeroPage zeroPage) {
        console.accept("vm: Initializing memory objects");
        VmPager pager = new VmPager(maps, pages, kmalloc, store, zeroPage);
        maps.setPager(pager);
        return pager;
    }

    // ---- amap.c: the amap layer ---------------------------------------------------------------------

    /**
     * {@code amap_create} with no old amap: a new amap of at least {@link ObjectSizes#minSlots()}
     * slots (see {@link AmapLayer#create}); the operations on an amap are the amap's own
     * ({@link Amap}, {@link pvm.vm.map.AnonMap}).
     */
    @Override
    public AnonMap amapNew(MapEntry e, long size) {
        return amapLayer.create(null, e, size);
    }

    // ---- object.c ---------------------------------------------------------------------------------

    /** {@code vm_objectRef}. */
    @Override
    public MemObject objectRef(MemObject o) {
        objects.ref(o);
        return o;
    }

    /**
     * {@code vm_objectPut}: the last reference to an object frees its cached pages (a contiguous
     * object's block) and its metadata. The kernel object is never freed.
     */
    @Override
    public void objectPut(MemObject o) {
        objects.put(o);
    }

    /**
     * {@code vm_objectPage} with no amap: a fresh application page for anonymous memory, the RAM page
     * at a physical address for {@code PHYSMEM} ({@link #NO_PAGE} outside RAM, {@code -ERANGE} above
     * 32 bits), an object's page (fetched from the backing store on first use, with the map's lock
     * released meanwhile), {@code -EINVAL} at or beyond its size (the kernel object's size is 0).
     * See {@link ObjectStore#page}.
     */
    @Override
    public int objectPage(VmMap map, MemObject o, long vaddr, long offs) {
        return objects.page(map, null, o, vaddr, offs);
    }

    /**
     * {@code vm_objectGet}: the object {@code oid} with one reference more for the caller (who puts
     * it with {@link #objectPut}), made from the backing store's size when it is not live yet.
     *
     * @return the object, or {@code ENOENT} (unknown to the store), {@code ENOMEM} (no kernel memory
     *     for its metadata), or the store's error
     */
    public Either<VmError, VmObject> objectGet(Oid oid) {
        return objects.get(oid);
    }

    /** {@link #objectGet(Oid)} of the object the backing store calls {@code name}; {@code ENOENT} when none. */
    public Either<VmError, VmObject> objectGet(String name) {
        return objects.backingStore().lookup(name)
                .toEither(() -> (VmError) new VmError.ENOENT("no file '" + name + "'"))
                .flatMap(objects::get);
    }

    /**
     * {@code vm_objectContiguous}: an object of one physically contiguous block of at least
     * {@code size} bytes, all its pages present, with one reference for the caller.
     *
     * @return the object, or {@code ENOMEM} (no block that large, or no kernel memory)
     */
    public Either<VmError, VmObject> objectContiguous(long size) {
        VmObject o = size > 0 ? objects.contiguous(size) : null;
        return o != null ? Either.right(o)
                : Either.left(VmError.enomem("no contiguous block of " + size + " bytes (or no memory for its object)"));
    }

    /** The backing store objects are fetched from. */
    public BackingStore backingStore() {
        return objects.backingStore();
    }

    /** The live object {@code oid}, if there is one; no reference is taken. */
    public Option<VmObject> findObject(Oid oid) {
        return Option.of(objects.find(oid));
    }

    /**
     * Reads object {@code oid} as a shared mapping of it sees it: the cached pages, with whatever was
     * written through shared mappings, and the backing store for the rest. Loads nothing.
     *
     * @return bytes read (fewer at the end of the object), or a negative errno
     */
    public int readObject(Oid oid, long offset, byte[] into, int length) {
        if (offset < 0 || length < 0 || length > into.length) {
            return Errno.EINVAL;
        }
        return objects.read(oid, offset, into, length);
    }

    // ---- views and the checker --------------------------------------------------------------------

    /** The frame of the shared zero page ({@link ZeroPage#SHARED}), or {@link PageFrames#NONE}. */
    public int zeroFrame() {
        return zeroFrame;
    }

    /** The sizes amaps and anons are charged to kmalloc with on this target. */
    public ObjectSizes sizes() {
        return sizes;
    }

    /** The kernel object's bookkeeping (oid 0.0, size 0): its reference count. */
    public VmObject kernelObject() {
        return objects.kernel();
    }

    /** Every live object: the tree by oid (the kernel object first), then the contiguous objects. */
    public List<VmObject> objects() {
        return objects.objects();
    }

    /** Number of live objects other than the kernel object (the figure {@code mark} records). */
    public int objectCount() {
        return objects.count();
    }

    /**
     * {@code show objects}: one line per live object with its oid, name, size, references and
     * resident pages, and the amap and anon counts (a flat machine's shared regions are
     * {@link SharedRegions#describe}'s).
     */
    public List<String> describeObjects() {
        return ObjectViews.describe(this);
    }

    /** Number of live amaps. */
    public int amapCount() {
        return amapLayer.amapCount();
    }

    /** Number of live anons (each holds one application page). */
    public int anonCount() {
        return amapLayer.anonCount();
    }

    /** The live amaps, for views and checks. */
    public List<Amap> amaps() {
        return amapLayer.amaps();
    }

    /**
     * The invariant checker over every map the mapper knows: the kernel map, the no-MMU shared maps
     * and the maps created and not destroyed. See {@link PagerInvariants}.
     */
    public List<String> verify() {
        return verify(knownMaps());
    }

    /** Every map the mapper knows: the kernel map, the no-MMU shared maps, the maps created and not destroyed. */
    List<VmMap> knownMaps() {
        List<VmMap> all = new ArrayList<>();
        all.add(maps.kernelMap());
        for (int i = 0; i < maps.sharedMapCount(); i++) {
            VmMap m = maps.sharedMap(i).get();
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        for (VmMap m : maps.liveMaps()) {
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        return all;
    }

    /**
     * The invariant checker over the given maps (every map whose entries may hold amaps); an amap
     * used only by maps not given counts as leaked. See {@link PagerInvariants}.
     */
    public List<String> verify(Iterable<VmMap> allMaps) {
        return verify(allMaps, Map.of());
    }

    /**
     * The checker, with references held outside map entries: {@code otherHolders} gives for an
     * object how many such references it has (a caller between {@link #objectGet} and its put).
     * See {@link PagerInvariants} and {@link ObjectInvariants}.
     */
    public List<String> verify(Iterable<VmMap> allMaps, Map<? extends MemObject, Integer> otherHolders) {
        List<String> out = new ArrayList<>(PagerInvariants.check(this, allMaps, frames));
        SharedZeroPage.verify(zeroFrame, frames, maps.hal().memory(), out);
        out.addAll(ObjectInvariants.check(this, objects, allMaps, frames, otherHolders));
        return out;
    }

    int liveAnonCount() {
        return anonCount();
    }

    int pageSize() {
        return pageSize;
    }

    VmMaps maps() {
        return maps;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    Kmalloc kmalloc() {
        return kmalloc;
    }

    ObjectStore store() {
        return objects;
    }
}
