package pvm.vm.object;

import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.VmError;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.AnonMap;
import pvm.vm.map.Errno;
import pvm.vm.map.MapEntry;
import pvm.vm.map.MemObject;
import pvm.vm.map.Pager;
import pvm.vm.map.VmMap;
import pvm.vm.map.VmMaps;
import pvm.vm.page.PageAllocator;

/**
 * The object layer as the mapper sees it: Phoenix's {@code vm/amap.c} and {@code vm/object.c}
 * ({@code vm_objectGet}, {@code vm_objectRef}, {@code vm_objectPut}, {@code vm_objectPage},
 * {@code vm_objectContiguous}). The objects themselves live in the {@link ObjectStore}: a tree by
 * oid, pages fetched from a {@link BackingStore} on the first fault and cached until the last
 * reference goes.
 *
 * <p>Amaps, anons and objects are charged to kmalloc at their C sizes on the target
 * ({@link ObjectSizes}: {@code sizeof(amap_t)} plus a slot pointer per page, {@code sizeof(anon_t)},
 * {@code sizeof(vm_object_t)} plus a page pointer per page), so the kernel's memory use is what
 * Phoenix's would be. A fresh anonymous page is zeroed, a copy-on-write copy made and a fetched
 * page filled through temporary mappings in the kernel map ({@code amap_map}/{@code amap_unmap},
 * {@code object_fetch}), the bytes moved in simulated RAM at the physical addresses those mappings
 * resolve to.
 *
 * <p>Private object mappings: an entry of an object marked {@code MAP_NEEDSCOPY} (or holding an
 * amap) reads the object's pages, and the first write fault gives the entry an amap
 * ({@code amap_create} in {@code _map_force}) and copies the object's page into a new anon
 * ({@link #amapPage}); the object's page is never written through it.
 *
 * <p>Differences from Phoenix, on out-of-memory paths and races: when the temporary mapping of a
 * fresh anonymous page fails, the page is freed (Phoenix leaks it); when the {@code anon_t} of a
 * private copy cannot be allocated, the shared anon keeps its reference (Phoenix has already
 * dropped it, leaving the slot pointing at an anon that counts one reference too few); and after a
 * fetch (every lock released) {@code amap_page} looks at the amap slot again: another fault may
 * have filled it meanwhile, and Phoenix would overwrite that anon, leaking it.
 *
 * <p>Locks: an amap's lock around each amap operation and the anon's monitor around its count, as
 * {@code amap->lock} and {@code anon->lock}; the object store's lock as {@code object_common.lock}.
 * The mapper calls in with the faulting map's lock held; the kernel map's lock is reentrant, so
 * mapping a page into it while it is the faulting map is safe (Phoenix calls the unlocked
 * {@code _vm_mmap} there instead).
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

    /** Every live amap, for the checker (Phoenix keeps none; amaps are reached from entries only). */
    private final Set<Amap> amaps = Collections.newSetFromMap(new IdentityHashMap<>());
    private int anons;

    private VmPager(VmMaps maps, PageAllocator pages, Kmalloc kmalloc, BackingStore store) {
        this.maps = maps;
        this.pages = pages;
        this.frames = pages.frames();
        this.kmalloc = kmalloc;
        this.pageSize = pages.pageSize();
        this.sizes = ObjectSizes.of(maps.hal().architecture().abi());
        PhysicalMemory memory = maps.hal().memory();
        this.window = new KernelWindow(maps.kernelMap(), maps.kernelObject(), memory, pageSize);
        this.objects = new ObjectStore(store, pages, memory, kmalloc, window, sizes, maps.kernelObject());
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
        console.accept("vm: Initializing memory objects");
        VmPager pager = new VmPager(maps, pages, kmalloc, store);
        maps.setPager(pager);
        return pager;
    }

    // ---- amap.c -----------------------------------------------------------------------------------

    /** {@code amap_ref}. */
    @Override
    public AnonMap amapRef(AnonMap a) {
        if (a == null) {
            return null;
        }
        Amap amap = (Amap) a;
        amap.lock.lock();
        try {
            requireLive(amap);
            amap.refs++;
        } finally {
            amap.lock.unlock();
        }
        return amap;
    }

    /** {@code amap_put}: the last reference frees the {@code amap_t} (the anons are the entries' to put). */
    @Override
    public void amapPut(AnonMap a) {
        if (a == null) {
            return;
        }
        Amap amap = (Amap) a;
        amap.lock.lock();
        try {
            requireLive(amap);
            if (--amap.refs != 0) {
                return;
            }
            amap.freed = true;
        } finally {
            amap.lock.unlock();
        }
        synchronized (amaps) {
            amaps.remove(amap);
        }
        kfree(amap.kaddr);
    }

    /** {@code amap_putanons}. */
    @Override
    public void amapPutAnons(AnonMap a, long offset, long size) {
        if (a == null) {
            return;
        }
        Amap amap = (Amap) a;
        amap.lock.lock();
        try {
            for (int i = (int) (offset / pageSize); i < (offset + size) / pageSize; i++) {
                putAnon(amap.anons[i]);
            }
        } finally {
            amap.lock.unlock();
        }
    }

    /** {@code amap_getanons}. */
    @Override
    public void amapGetAnons(AnonMap a, long offset, long size) {
        if (a == null) {
            return;
        }
        Amap amap = (Amap) a;
        amap.lock.lock();
        try {
            for (int i = (int) (offset / pageSize); i < (offset + size) / pageSize; i++) {
                Anon anon = amap.anons[i];
                if (anon != null) {
                    synchronized (anon) {
                        requireLive(anon);
                        anon.refs++;
                    }
                }
            }
        } finally {
            amap.lock.unlock();
        }
    }

    /** {@code amap_clear}: forgets the slots without dropping references. */
    @Override
    public void amapClear(AnonMap a, long offset, long size) {
        if (a == null) {
            return;
        }
        Amap amap = (Amap) a;
        amap.lock.lock();
        try {
            for (int i = (int) (offset / pageSize); i < (offset + size) / pageSize; i++) {
                amap.anons[i] = null;
            }
        } finally {
            amap.lock.unlock();
        }
    }

    /**
     * {@code amap_create}: {@code old} itself when only this entry uses it; otherwise a new amap of
     * at least {@link ObjectSizes#minSlots()} slots holding {@code old}'s anons of the entry's range (their
     * counts already include this entry), with the entry's reference to {@code old} dropped and its
     * {@code aoffs} reset to 0. Null when kmalloc fails, with nothing changed.
     */
    @Override
    public AnonMap amapCreate(AnonMap old, MapEntry e, long size) {
        Amap src = (Amap) old;
        int n = (int) (size / pageSize);
        if (src != null) {
            src.lock.lock();
        }
        try {
            if (src != null) {
                requireLive(src);
                if (src.refs == 1) {
                    return src;
                }
            }
            int slots = Math.max(n, sizes.minSlots());
            long k = kmalloc.kmalloc(sizes.amapBytes(slots));
            if (k == 0) {
                return null;
            }
            Amap amap = new Amap(slots, k);
            if (src != null) {
                int from = (int) (e.aoffs() / pageSize);
                System.arraycopy(src.anons, from, amap.anons, 0, n);
                src.refs--;
            }
            e.setAoffs(0);
            synchronized (amaps) {
                amaps.add(amap);
            }
            return amap;
        } finally {
            if (src != null) {
                src.lock.unlock();
            }
        }
    }

    /**
     * {@code amap_page}: the page behind slot {@code aoffs / SIZE_PAGE}.
     *
     * <ul>
     *   <li>An anon that is not shared, or a read: its page.
     *   <li>A shared anon and a write: a private copy in a fresh page, a new anon for it, one
     *       reference less on the shared one.
     *   <li>No anon: the object's page ({@link #objectPage}); a read of an object page is answered
     *       with it; otherwise a new anon takes a fresh page, zeroed for anonymous memory (the page
     *       {@code objectPage} just allocated), a copy of the object's page for a write to one.
     * </ul>
     */
    @Override
    public int amapPage(VmMap map, AnonMap a, MemObject o, long vaddr, long aoffs, long offs, int prot) {
        Amap amap = (Amap) a;
        boolean write = (prot & Prot.WRITE) != 0;
        int slot = (int) (aoffs / pageSize);
        int holds = amap.lock.getHoldCount();
        amap.lock.lock();
        try {
            requireLive(amap);
            Anon anon = amap.anons[slot];
            if (anon == null) {
                // vm_objectPage with the amap: a fetch releases the amap lock (and the map lock)
                // and takes it back only if the mapping is still there.
                int page = objects.page(map, amap, o, vaddr, offs);
                if (page < 0) {
                    // An error, or NO_PAGE (physical memory outside RAM): the mapper decides.
                    return page;
                }
                anon = amap.anons[slot];
                if (anon == null) {
                    if (o != null && !write) {
                        return page;
                    }
                    return newAnonLocked(amap, slot, null, o, page);
                }
                // Another fault filled the slot while the fetch had the locks released: go on
                // with its anon, as if it had been there from the start. (Only an object's fetch
                // releases the locks, so the page is the object's, not ours to free.)
            }
            synchronized (anon) {
                requireLive(anon);
                if (!(anon.refs > 1 && write)) {
                    return anon.frame;
                }
                return newAnonLocked(amap, slot, anon, o, anon.frame);
            }
        } finally {
            while (amap.lock.getHoldCount() > holds) {
                amap.lock.unlock();
            }
        }
    }

    /**
     * The second half of {@code amap_page}, amap (and shared anon) locked: fills a page for a new
     * anon in {@code slot}, either zeroing {@code page} (a fresh anonymous page) or copying it
     * (the shared anon's or the object's page) into a fresh one.
     */
    private int newAnonLocked(Amap amap, int slot, Anon shared, MemObject o, int page) {
        boolean fresh = shared == null && o == null;
        long v = window.map(page);
        if (v == 0) {
            if (fresh) {
                pages.freeFrame(page);
            }
            return Errno.ENOMEM;
        }
        int result = page;
        if (!fresh) {
            int copy = pages.allocFrame(pageSize, PageFlags.OWNER_APP);
            if (copy == PageFrames.NONE) {
                window.unmap(v);
                return Errno.ENOMEM;
            }
            long w = window.map(copy);
            if (w == 0) {
                pages.freeFrame(copy);
                window.unmap(v);
                return Errno.ENOMEM;
            }
            window.copy(v, w);
            window.unmap(w);
            result = copy;
        } else {
            window.zero(v);
        }
        window.unmap(v);

        Anon anon = anonNew(result);
        if (anon == null) {
            pages.freeFrame(result);
            return Errno.ENOMEM;
        }
        if (shared != null) {
            shared.refs--;
        }
        amap.anons[slot] = anon;
        return result;
    }

    /** {@code anon_new}: an anon of one reference for {@code frame}, or null when kmalloc fails. */
    private Anon anonNew(int frame) {
        long k = kmalloc.kmalloc(sizes.anonSize());
        if (k == 0) {
            return null;
        }
        synchronized (amaps) {
            anons++;
        }
        return new Anon(frame, k);
    }

    /** {@code amap_putanon}: drops a reference; the last one frees the page and the {@code anon_t}. */
    private void putAnon(Anon a) {
        if (a == null) {
            return;
        }
        synchronized (a) {
            requireLive(a);
            if (--a.refs != 0) {
                return;
            }
            int code = pages.freeFrame(a.frame);
            if (code != PageAllocator.OK) {
                throw new IllegalStateException("amap: freeing the page of " + a + ": " + PageAllocator.describe(code));
            }
            a.frame = PageFrames.NONE;
        }
        synchronized (amaps) {
            anons--;
        }
        kfree(a.kaddr);
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
        synchronized (amaps) {
            return amaps.size();
        }
    }

    /** Number of live anons (each holds one application page). */
    public int anonCount() {
        synchronized (amaps) {
            return anons;
        }
    }

    /** The live amaps, for views and checks. */
    public List<Amap> amaps() {
        synchronized (amaps) {
            return new ArrayList<>(amaps);
        }
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

    private void kfree(long k) {
        int err = kmalloc.free(k);
        if (err != Errno.EOK) {
            throw new IllegalStateException(String.format("object layer: kfree of its own block 0x%08x failed (%s)", k, Errno.name(err)));
        }
    }

    ObjectStore store() {
        return objects;
    }

    private static void requireLive(Amap a) {
        if (a.freed) {
            throw new IllegalStateException("use of a freed amap: " + a);
        }
    }

    private static void requireLive(Anon a) {
        if (a.frame == PageFrames.NONE) {
            throw new IllegalStateException("use of a freed anon: " + a);
        }
    }
}
