package pvm.vm.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.PhysicalMemory;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakeHal;
import pvm.vm.map.VmMap;
import pvm.vm.object.VmPagerTest.Proc;

/**
 * A seeded, model-based test of private anonymous memory across forks: processes map, write, read,
 * fork (lazily or not), unmap and exit at random, accessing memory as an MMU would (a present page
 * with the needed right is used directly, anything else faults through {@link VmMap#force}).
 * Processes populate their mappings at once (Phoenix's {@code lazy = 0} with an MMU); a demand-paged
 * process would read-fault untouched pages of a shared amap, which map.c's {@code _map_force} does
 * not give a private amap first (UVM does), so the anon it creates is seen by both sides with one
 * reference. The
 * model is each process's expected page contents; every read must match it, so a page shared when
 * it should have been copied (or copied when it should stay shared) shows up as a wrong value.
 * Every layer's checker runs after every step, and at the end everything is given back.
 */
class CopyOnWriteModelTest {

    private static final int PAGE = FakeHal.PAGE;
    private static final int STEPS = 700;

    /** Replay a failure with {@code -Dpvm.seed=N}; {@code -Dpvm.trace=true} prints every step and the maps. */
    private final long seed = Long.getLong("pvm.seed", System.nanoTime());
    private final Random rnd = new Random(seed);
    private final boolean trace = Boolean.getBoolean("pvm.trace");

    private void log(String s) {
        if (trace) {
            System.out.println(s);
        }
    }
    private final BootedVm m = BootedVm.init();
    private final PhysicalMemory ram = m.hal.memory();
    private final Map<Proc, VmMap> maps = new LinkedHashMap<>();
    private final Map<Proc, TreeMap<Long, Long>> model = new LinkedHashMap<>();
    private int names;

    @Test
    void privateMemoryBehavesAsIfEveryProcessHadItsOwnCopy() {
        System.out.println("CopyOnWriteModelTest: pvm.seed=" + seed);
        long kmem = m.kmalloc.allocatedBytes();
        long free = m.pages.freeBytes();
        spawn();
        for (int step = 0; step < STEPS; step++) {
            String where = "seed " + seed + " step " + step;
            int op = rnd.nextInt(100);
            Proc p = pick();
            if (p == null) {
                spawn();
            } else if (op < 15) {
                mmap(p, where);
            } else if (op < 45) {
                write(p, where);
            } else if (op < 70) {
                read(p, where);
            } else if (op < 80 && maps.size() < 6) {
                fork(p, where);
            } else if (op < 92) {
                munmap(p, where);
            } else if (maps.size() > 1) {
                exit(p);
            }
            if (trace) {
                for (var e : maps.entrySet()) {
                    log("  " + e.getKey() + ": " + e.getValue().entries());
                }
            }
            assertEquals(List.of(), m.verify(), where);
        }
        for (Proc p : new ArrayList<>(maps.keySet())) {
            for (Map.Entry<Long, Long> e : model.get(p).entrySet()) {
                assertEquals(e.getValue(), load(p, e.getKey(), "seed " + seed + " at the end"), "seed " + seed);
            }
            exit(p);
        }
        assertEquals(0, m.pager.anonCount(), "seed " + seed);
        assertEquals(0, m.pager.amapCount(), "seed " + seed);
        assertEquals(kmem, m.kmalloc.allocatedBytes(), "seed " + seed);
        assertEquals(free, m.pages.freeBytes(), "seed " + seed);
        assertEquals(List.of(), m.verify(), "seed " + seed);
    }

    private Proc pick() {
        if (maps.isEmpty()) {
            return null;
        }
        List<Proc> all = new ArrayList<>(maps.keySet());
        return all.get(rnd.nextInt(all.size()));
    }

    private Proc spawn() {
        Proc p = new Proc("p" + names++, false);
        VmMap map = m.maps.create(VirtAddr.of(0x10000), VirtAddr.of(0x100000)).getOrElseThrow(e -> new AssertionError(e.message()));
        maps.put(p, map);
        model.put(p, new TreeMap<>());
        return p;
    }

    private void mmap(Proc p, String where) {
        int n = 1 + rnd.nextInt(4);
        var r = maps.get(p).mmap(VirtAddr.NULL, Frame.NONE, Size.of((long) n * PAGE), Prot.READ | Prot.WRITE, null, -1, MapFlags.NONE, p);
        if (r.isLeft()) {
            return; // the small map is full
        }
        long va = r.get().value();
        log("mmap " + p + " 0x" + Long.toHexString(va) + " " + n);
        for (int i = 0; i < n; i++) {
            model.get(p).put(va + (long) i * PAGE, 0L);
        }
    }

    private Long somePage(Proc p) {
        TreeMap<Long, Long> pages = model.get(p);
        if (pages.isEmpty()) {
            return null;
        }
        List<Long> keys = new ArrayList<>(pages.keySet());
        return keys.get(rnd.nextInt(keys.size()));
    }

    private void write(Proc p, String where) {
        Long va = somePage(p);
        if (va == null) {
            return;
        }
        VmMap map = maps.get(p);
        if ((map.pmap().attributes(VirtAddr.of(va)) & Attr.WRITE) == 0) {
            assertEquals(Errno.EOK, map.force(va, Prot.READ | Prot.WRITE), where + ": write fault at 0x" + Long.toHexString(va));
        }
        long tag = rnd.nextLong() | 1;
        log("write " + p + " 0x" + Long.toHexString(va));
        long pa = map.pmap().resolve(VirtAddr.of(va)).value();
        ram.write64(pa, tag);
        ram.write64(pa + PAGE / 2, tag ^ va);
        ram.write64(pa + PAGE - 8, ~tag);
        model.get(p).put(va, tag);
    }

    private void read(Proc p, String where) {
        Long va = somePage(p);
        if (va != null) {
            log("read " + p + " 0x" + Long.toHexString(va));
            assertEquals(model.get(p).get(va), load(p, va, where), where + ": page 0x" + Long.toHexString(va) + " of " + p);
        }
    }

    /** The tag the page holds, 0 for a zero page; fails on a page that is neither. */
    private long load(Proc p, long va, String where) {
        VmMap map = maps.get(p);
        PhysAddr pa = map.pmap().resolve(VirtAddr.of(va));
        if (pa.isNone()) {
            assertEquals(Errno.EOK, map.force(va, Prot.READ), where + ": read fault at 0x" + Long.toHexString(va));
            pa = map.pmap().resolve(VirtAddr.of(va));
        }
        long tag = ram.read64(pa.value());
        if (tag == 0) {
            assertEquals(0, ram.read64(pa.value() + PAGE / 2), where);
            assertEquals(0, ram.read64(pa.value() + PAGE - 8), where);
        } else {
            assertEquals(tag ^ va, ram.read64(pa.value() + PAGE / 2), where);
            assertEquals(~tag, ram.read64(pa.value() + PAGE - 8), where);
        }
        return tag;
    }

    private void fork(Proc p, String where) {
        Proc c = new Proc("p" + names++, false);
        boolean lazy = rnd.nextBoolean();
        log("fork " + p + " -> " + c + (lazy ? " lazily" : ""));
        VmMap child = m.maps.create(VirtAddr.of(0x10000), VirtAddr.of(0x100000)).getOrElseThrow(e -> new AssertionError(e.message()));
        assertTrue(m.maps.copy(c, child, maps.get(p), lazy).isRight(), where);
        maps.put(c, child);
        model.put(c, new TreeMap<>(model.get(p)));
    }

    private void munmap(Proc p, String where) {
        Long va = somePage(p);
        if (va == null) {
            return;
        }
        int n = model.get(p).containsKey(va + PAGE) && rnd.nextBoolean() ? 2 : 1;
        log("munmap " + p + " 0x" + Long.toHexString(va) + " " + n);
        assertTrue(maps.get(p).munmap(VirtAddr.of(va), Size.of((long) n * PAGE)).isRight(), where);
        for (int i = 0; i < n; i++) {
            model.get(p).remove(va + (long) i * PAGE);
        }
    }

    private void exit(Proc p) {
        log("exit " + p);
        m.maps.destroy(p, maps.remove(p));
        model.remove(p);
    }
}
