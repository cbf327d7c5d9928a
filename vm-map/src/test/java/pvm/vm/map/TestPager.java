package pvm.vm.map;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.vm.page.PageAllocator;

/**
 * A small amap.c and object.c for the mapper's tests: amaps of anons (reference-counted pages)
 * with Phoenix's copy-on-write rules, file-like objects whose pages are filled with a pattern, and
 * physical memory. Page contents are real (copied and zeroed in simulated RAM), so tests can check
 * what each side of a fork sees. Failures can be injected.
 */
final class TestPager implements Pager {

    /** The smallest amap, in slots (Phoenix's is about 120; small here to reach the capacity rules). */
    static final int MIN_SLOTS = 16;

    static final class Anon {
        int refs = 1;
        final int frame;

        Anon(int frame) {
            this.frame = frame;
        }
    }

    static final class TestAmap implements AnonMap {
        int refs = 1;
        final Anon[] anons;
        final int id;
        private final TestPager pager;

        TestAmap(int slots, int id, TestPager pager) {
            this.anons = new Anon[slots];
            this.id = id;
            this.pager = pager;
        }

        @Override
        public AnonMap ref() {
            refs++;
            return this;
        }

        @Override
        public void put() {
            pager.put(this);
        }

        @Override
        public int frameAt(int slot) {
            return anons[slot] == null ? pvm.hal.pmap.PageFrames.NONE : anons[slot].frame;
        }

        @Override
        public void putAnons(long offset, long size) {
            pager.putAnons(this, offset, size);
        }

        @Override
        public void getAnons(long offset, long size) {
            pager.getAnons(this, offset, size);
        }

        @Override
        public void clear(long offset, long size) {
            for (long i = offset / pager.ps; i < (offset + size) / pager.ps; i++) {
                anons[(int) i] = null;
            }
        }

        @Override
        public AnonMap create(MapEntry e, long size) {
            return pager.create(this, e, size);
        }

        @Override
        public int page(VmMap map, MemObject o, PageAt at, int prot) {
            return pager.page(map, this, o, at, prot);
        }

        @Override
        public int size() {
            return anons.length;
        }

        @Override
        public int anonCount() {
            return anonCount(0, anons.length);
        }

        @Override
        public int anonCount(int from, int count) {
            int n = 0;
            for (int i = Math.max(0, from); i < Math.min(anons.length, from + count); i++) {
                if (anons[i] != null && anons[i].refs > 0) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public boolean soleAnon(long offset) {
            Anon a = anons[(int) (offset / pager.ps)];
            return a != null && a.refs == 1;
        }

        @Override
        public String toString() {
            return "amap#" + id + "(refs " + refs + ")";
        }
    }

    /** A file: pages made on first use, each starting with a word naming the file and offset. */
    static final class TestObject implements MemObject {
        final int id;
        final long size;
        int refs = 1;
        final Map<Long, Integer> pages = new HashMap<>();

        TestObject(int id, long size) {
            this.id = id;
            this.size = size;
        }

        @Override
        public String oidText() {
            return "1." + id;
        }

        @Override
        public String describe() {
            return "file" + id;
        }
    }

    private final VmMaps maps;
    private final PageAllocator pages;
    private final PhysicalMemory memory;
    private final int ps;
    private final List<TestAmap> amaps = new ArrayList<>();
    private final List<TestObject> objects = new ArrayList<>();
    private int nextId;

    /** Make the next amapCreate fail (as when kmalloc runs out). */
    boolean failAmapCreate;
    int amapCreates;
    int pageCalls;

    TestPager(VmMaps maps) {
        this.maps = maps;
        this.pages = maps.pages();
        this.memory = maps.hal().memory();
        this.ps = maps.pageSize();
    }

    TestObject object(long size) {
        TestObject o = new TestObject(++nextId, size);
        objects.add(o);
        return o;
    }

    static long pattern(TestObject o, long offs) {
        return ((long) o.id << 32) | offs;
    }

    void put(TestAmap m) {
        if (--m.refs == 0) {
            amaps.remove(m);
        }
        if (m.refs < 0) {
            throw new IllegalStateException("amap put below zero: " + m);
        }
    }

    void putAnons(TestAmap m, long offset, long size) {
        for (long i = offset / ps; i < (offset + size) / ps; i++) {
            putAnon(m.anons[(int) i]);
        }
    }

    private void putAnon(Anon a) {
        if (a == null) {
            return;
        }
        if (--a.refs == 0) {
            int r = pages.freeFrame(a.frame);
            if (r != Errno.EOK) {
                throw new IllegalStateException("anon page free failed: " + Errno.describe(r));
            }
        }
        if (a.refs < 0) {
            throw new IllegalStateException("anon put below zero");
        }
    }

    void getAnons(TestAmap m, long offset, long size) {
        for (long i = offset / ps; i < (offset + size) / ps; i++) {
            Anon an = m.anons[(int) i];
            if (an != null) {
                an.refs++;
            }
        }
    }

    @Override
    public AnonMap amapNew(MapEntry e, long size) {
        return create(null, e, size);
    }

    AnonMap create(TestAmap o, MapEntry e, long size) {
        amapCreates++;
        if (o != null && o.refs == 1) {
            return o;
        }
        if (failAmapCreate) {
            failAmapCreate = false;
            return null;
        }
        int n = (int) Math.max(size / ps, MIN_SLOTS);
        TestAmap m = new TestAmap(n, ++nextId, this);
        int first = (int) (e.aoffs() / ps);
        for (int i = 0; i < size / ps && o != null; i++) {
            m.anons[i] = o.anons[first + i];
        }
        if (o != null) {
            o.refs--;
        }
        e.setAoffs(0);
        amaps.add(m);
        return m;
    }

    int page(VmMap map, TestAmap m, MemObject o, PageAt at, int prot) {
        long vaddr = at.vaddr();
        long aoffs = at.aoffs();
        long offs = at.offs();
        pageCalls++;
        int slot = (int) (aoffs / ps);
        Anon a = m.anons[slot];
        int page;
        if (a != null) {
            page = a.frame;
            if (!(a.refs > 1 && (prot & Prot.WRITE) != 0)) {
                return page;
            }
        } else {
            page = objectPage(map, o, vaddr, offs);
            if (page < 0) {
                return page;
            }
            if (o != null && (prot & Prot.WRITE) == 0) {
                return page;
            }
        }
        if (a != null || o != null) {
            int np = pages.allocFrame(ps, PageFlags.OWNER_APP);
            if (np == PageFrames.NONE) {
                return Errno.ENOMEM;
            }
            memory.copy(pages.frames().addr(page), pages.frames().addr(np), ps);
            page = np;
        } else {
            memory.fill(pages.frames().addr(page), ps, 0);
        }
        if (a != null) {
            a.refs--;
        }
        m.anons[slot] = new Anon(page);
        return page;
    }

    @Override
    public MemObject objectRef(MemObject o) {
        if (o instanceof TestObject t) {
            t.refs++;
        }
        return o;
    }

    @Override
    public void objectPut(MemObject o) {
        if (o instanceof TestObject t) {
            if (--t.refs == 0) {
                for (int f : t.pages.values()) {
                    pages.freeFrame(f);
                }
                t.pages.clear();
                objects.remove(t);
            }
        }
    }

    @Override
    public int objectPage(VmMap map, MemObject o, long vaddr, long offs) {
        pageCalls++;
        if (o == null) {
            int f = pages.allocFrame(ps, PageFlags.OWNER_APP);
            return f == PageFrames.NONE ? Errno.ENOMEM : f;
        }
        if (o == MemObject.PHYSMEM) {
            if (offs < 0 || offs > 0xffff_ffffL) {
                return Errno.ERANGE;
            }
            int f = pages.frames().find(offs);
            return f == PageFrames.NONE ? NO_PAGE : f;
        }
        if (o instanceof TestObject t) {
            if (offs < 0 || offs >= t.size) {
                return Errno.EINVAL;
            }
            Integer f = t.pages.get(offs);
            if (f == null) {
                int nf = pages.allocFrame(ps, PageFlags.OWNER_APP);
                if (nf == PageFrames.NONE) {
                    return Errno.ENOMEM;
                }
                long pa = pages.frames().addr(nf);
                memory.fill(pa, ps, 0);
                memory.write64(pa, pattern(t, offs));
                t.pages.put(offs, nf);
                f = nf;
            }
            return f;
        }
        return Errno.EINVAL;
    }

    /** Frames the pager holds: live anons' pages and objects' cached pages. */
    int heldFrames() {
        IdentityHashMap<Anon, Boolean> seen = new IdentityHashMap<>();
        for (TestAmap m : amaps) {
            for (Anon a : m.anons) {
                if (a != null && a.refs > 0) {
                    seen.put(a, true);
                }
            }
        }
        int n = seen.size();
        for (TestObject o : objects) {
            n += o.pages.size();
        }
        return n;
    }

    /**
     * The checker: every amap's count equals the entries using it; every anon reached through an
     * entry is alive and its count equals the (entry, page) pairs reaching it; every live anon is
     * reachable (else its page leaked).
     */
    List<String> verify(Collection<VmMap> all) {
        List<String> errors = new ArrayList<>();
        IdentityHashMap<TestAmap, Integer> amapRefs = new IdentityHashMap<>();
        IdentityHashMap<Anon, Integer> anonRefs = new IdentityHashMap<>();
        for (VmMap map : all) {
            for (MapEntry e = map.tree.first(); e != null; e = MapEntryTree.next(e)) {
                if (e.amap == null) {
                    continue;
                }
                TestAmap m = (TestAmap) e.amap;
                amapRefs.merge(m, 1, Integer::sum);
                for (long off = 0; off < e.size; off += ps) {
                    Anon a = m.anons[(int) ((e.aoffs + off) / ps)];
                    if (a != null) {
                        if (a.refs <= 0) {
                            errors.add(String.format("pager: dead anon reached at 0x%x in %s", e.vaddr + off, map));
                        }
                        anonRefs.merge(a, 1, Integer::sum);
                    }
                }
            }
        }
        // Copy-on-write safety: a present page of an amap entry is its anon's page, and a writable
        // one belongs to that entry alone.
        for (VmMap map : all) {
            for (MapEntry e = map.tree.first(); e != null && map.maps.model() == MapModel.PAGED && !map.destroyed; e = MapEntryTree.next(e)) {
                for (long off = 0; off < e.size; off += ps) {
                    long va = e.vaddr + off;
                    pvm.hal.pmap.PhysAddr pa = map.pmap.resolve(pvm.hal.pmap.VirtAddr.of(va));
                    if (pa.isNone() || e.object == MemObject.PHYSMEM) {
                        continue;
                    }
                    boolean writable = (map.pmap.attributes(pvm.hal.pmap.VirtAddr.of(va)) & pvm.hal.pmap.Attr.WRITE) != 0;
                    Anon a = e.amap == null ? null : ((TestAmap) e.amap).anons[(int) ((e.aoffs + off) / ps)];
                    if (a != null && a.refs > 0 && pages.frames().addr(a.frame) != pa.value()) {
                        errors.add(String.format("pager: 0x%x in %s maps %s, not its anon's page", va, map, pa));
                    }
                    if (writable && e.amap != null && (a == null || a.refs != 1)) {
                        errors.add(String.format("pager: 0x%x in %s is writable but its page is %s", va, map,
                                a == null ? "no anon's" : "shared by " + a.refs));
                    }
                    if (e.object == null && e.amap == null) {
                        errors.add(String.format("pager: 0x%x in %s is present in anonymous memory without an amap", va, map));
                    }
                }
            }
        }
        for (var en : amapRefs.entrySet()) {
            if (en.getKey().refs != en.getValue()) {
                errors.add("pager: " + en.getKey() + " used by " + en.getValue() + " entries");
            }
        }
        for (var en : anonRefs.entrySet()) {
            if (en.getKey().refs != en.getValue()) {
                errors.add(String.format("pager: anon of frame %d has %d refs, reached %d times", en.getKey().frame, en.getKey().refs,
                        en.getValue()));
            }
        }
        for (TestAmap m : amaps) {
            if (!amapRefs.containsKey(m) && m.refs > 0) {
                errors.add("pager: " + m + " is used by no entry");
            }
            for (Anon a : m.anons) {
                if (a != null && a.refs > 0 && !anonRefs.containsKey(a)) {
                    errors.add("pager: anon of frame " + a.frame + " in " + m + " is reached by no entry (leaked page)");
                }
            }
        }
        return errors;
    }
}
