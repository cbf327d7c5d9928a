package pvm.vm.object;

import java.util.concurrent.locks.ReentrantLock;
import pvm.vm.map.AnonMap;
import pvm.vm.map.MapEntry;
import pvm.vm.map.MemObject;
import pvm.vm.map.PageAt;
import pvm.vm.map.VmMap;

/**
 * An anonymous map, Phoenix's {@code amap_t}: an array of slots, one per page of the entries that
 * use it, each holding an {@link Anon} or nothing, and the number of map entries that share the
 * array. Entries find their pages at slot {@code (aoffs + offset) / SIZE_PAGE}.
 *
 * <p>Its metadata is one kmalloc block of {@code sizeof(amap_t) + size * sizeof(anon_t *)} bytes
 * ({@link ObjectSizes}). The array is allocated in chunks of at least 512 bytes of block, so
 * the mapper can grow an entry into the unused tail of its amap when it merges neighbours.
 *
 * <p>Slots are not cleared when their anon is released ({@code amap_putanons}), as in Phoenix:
 * only slots inside some entry's range are meaningful, and the mapper clears a range
 * ({@code amap_clear}) before an entry grows over it again.
 */
public final class Amap implements AnonMap {

    /** {@code amap->lock}. */
    final ReentrantLock lock = new ReentrantLock();
    final Anon[] anons;
    final long kaddr;
    int refs;
    boolean freed;
    /** The amap layer that made it: its operations ({@code amap.c}) are that layer's. */
    private final AmapLayer layer;

    Amap(int slots, long kaddr, AmapLayer layer) {
        this.anons = new Anon[slots];
        this.kaddr = kaddr;
        this.refs = 1;
        this.layer = layer;
    }

    @Override
    public AnonMap ref() {
        return layer.ref(this);
    }

    @Override
    public void put() {
        layer.put(this);
    }

    @Override
    public void putAnons(long offset, long size) {
        layer.putAnons(this, offset, size);
    }

    @Override
    public void getAnons(long offset, long size) {
        layer.getAnons(this, offset, size);
    }

    @Override
    public void clear(long offset, long size) {
        layer.clear(this, offset, size);
    }

    @Override
    public AnonMap create(MapEntry e, long size) {
        return layer.create(this, e, size);
    }

    @Override
    public int page(VmMap map, MemObject o, PageAt at, int prot) {
        return layer.page(map, this, o, at, prot);
    }

    @Override
    public boolean soleAnon(long offset) {
        return layer.soleAnon(this, offset);
    }

    /** {@code amap->size}: the number of slots (pages). */
    @Override
    public int size() {
        return anons.length;
    }

    /**
     * The slots that hold an anon, as {@code vm_mapinfo} counts them: over the whole array, slots
     * left pointing at a released anon included (as in Phoenix).
     */
    @Override
    public int anonCount() {
        lock.lock();
        try {
            int n = 0;
            for (Anon a : anons) {
                if (a != null) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int frameAt(int slot) {
        lock.lock();
        try {
            Anon a = slot >= 0 && slot < anons.length ? anons[slot] : null;
            return a == null ? pvm.hal.pmap.PageFrames.NONE : a.frame;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int anonCount(int from, int count) {
        lock.lock();
        try {
            int n = 0;
            for (int i = Math.max(0, from); i < Math.min(anons.length, from + count); i++) {
                Anon a = anons[i];
                if (a != null && a.refs() > 0) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** {@code amap->refs}: the number of map entries sharing this amap. */
    public int refs() {
        lock.lock();
        try {
            return refs;
        } finally {
            lock.unlock();
        }
    }

    /** The anon in slot {@code slot}, or null (possibly one already released, see the class comment). */
    public Anon anon(int slot) {
        lock.lock();
        try {
            return anons[slot];
        } finally {
            lock.unlock();
        }
    }

    /** The kernel address of the kmalloc block holding the {@code amap_t}. */
    public long kaddr() {
        return kaddr;
    }

    /** Whether the last reference went and the metadata was freed. */
    public boolean isFreed() {
        lock.lock();
        try {
            return freed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return String.format("Amap(0x%08x, %d slots, refs %d)", kaddr, anons.length, refs);
    }
}
