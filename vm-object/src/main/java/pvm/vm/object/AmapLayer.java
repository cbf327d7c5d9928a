package pvm.vm.object;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Prot;
import pvm.vm.kmalloc.Kmalloc;
import pvm.vm.map.AnonMap;
import pvm.vm.map.MapEntry;
import pvm.vm.map.MemObject;
import pvm.vm.map.PageAt;
import pvm.vm.map.VmMap;
import pvm.vm.page.PageAllocator;

/**
 * The amap layer: Phoenix's {@code vm/amap.c}. Anonymous maps ({@link Amap}) and their anons
 * ({@link Anon}), UVM-style copy-on-write: {@code amap_ref}, {@code amap_put},
 * {@code amap_putanons}, {@code amap_getanons}, {@code amap_clear}, {@code amap_create},
 * {@code amap_page}, {@code anon_new} and {@code amap_putanon}. Each amap and anon is charged to
 * kmalloc at its C size on the target ({@link ObjectSizes}); a page is zeroed or copied through
 * temporary mappings in the kernel map ({@code amap_map}/{@code amap_unmap}, {@link KernelWindow}).
 * An empty slot asks the object layer ({@link ObjectStore#page}) for its page.
 *
 * <p>Differences from Phoenix, on out-of-memory paths and races: when the temporary mapping of a
 * fresh anonymous page fails, the page is freed (Phoenix leaks it); when the {@code anon_t} of a
 * private copy cannot be allocated, the shared anon keeps its reference (Phoenix has already
 * dropped it, leaving the slot pointing at an anon that counts one reference too few); and after a
 * fetch (every lock released) {@code amap_page} looks at the amap slot again: another fault may
 * have filled it meanwhile, and Phoenix would overwrite that anon, leaking it.
 *
 * <p>Locks: an amap's lock around each amap operation and the anon's monitor around its count, as
 * {@code amap->lock} and {@code anon->lock}.
 */
final class AmapLayer {

    private final PageAllocator pages;
    private final Kmalloc kmalloc;
    private final KernelWindow window;
    private final ObjectStore objects;
    private final ObjectSizes sizes;
    private final int pageSize;

    /** Every live amap, for the checker (Phoenix keeps none; amaps are reached from entries only). */
    private final Set<Amap> amaps = Collections.newSetFromMap(new IdentityHashMap<>());
    private int anons;

    AmapLayer(PageAllocator pages, Kmalloc kmalloc, KernelWindow window, ObjectStore objects, ObjectSizes sizes) {
        this.pages = pages;
        this.kmalloc = kmalloc;
        this.window = window;
        this.objects = objects;
        this.sizes = sizes;
        this.pageSize = pages.pageSize();
    }

    /** {@code amap_ref}. */
    AnonMap ref(Amap amap) {
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
    void put(Amap amap) {
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
    void putAnons(Amap amap, long offset, long size) {
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
    void getAnons(Amap amap, long offset, long size) {
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
    void clear(Amap amap, long offset, long size) {
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
    AnonMap create(Amap src, MapEntry e, long size) {
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
            Amap amap = new Amap(slots, k, this);
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
     *   <li>No anon: the object's page ({@link ObjectStore#page}); a read of an object page is answered
     *       with it; otherwise a new anon takes a fresh page, zeroed for anonymous memory (the page
     *       {@code objectPage} just allocated), a copy of the object's page for a write to one.
     * </ul>
     */
    int page(VmMap map, Amap amap, MemObject o, PageAt at, int prot) {
        long vaddr = at.vaddr();
        long aoffs = at.aoffs();
        long offs = at.offs();
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
        assert amap.lock.isHeldByCurrentThread() && (shared == null || Thread.holdsLock(shared)) : "newAnonLocked without the lock";
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
            if (code != Errno.EOK) {
                throw new IllegalStateException("amap: freeing the page of " + a + ": " + Errno.describe(code));
            }
            a.frame = PageFrames.NONE;
        }
        synchronized (amaps) {
            anons--;
        }
        kfree(a.kaddr);
    }

    /** Number of live amaps. */
    int amapCount() {
        synchronized (amaps) {
            return amaps.size();
        }
    }

    /** Number of live anons (each holds one application page). */
    int anonCount() {
        synchronized (amaps) {
            return anons;
        }
    }

    /** The live amaps, for views and checks. */
    List<Amap> amaps() {
        synchronized (amaps) {
            return new ArrayList<>(amaps);
        }
    }

    private void kfree(long k) {
        int err = kmalloc.free(k);
        if (err != Errno.EOK) {
            throw new IllegalStateException(String.format("amap layer: kfree of its own block 0x%08x failed (%s)", k, Errno.name(err)));
        }
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
