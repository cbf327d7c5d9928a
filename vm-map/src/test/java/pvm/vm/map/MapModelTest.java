package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;

/**
 * Random sequences of mmap, munmap, mprotect, loads, stores, forks and exits on a few address
 * spaces, checked after every step against a page-by-page model (what is mapped, with which
 * protections, holding which value) and against every checker. At the end everything is
 * destroyed and every page and pool entry must be back.
 */
class MapModelTest {

    private static final long P = 4096;
    private static final long START = 0x1000;
    private static final long STOP = 0x10_0000;
    private static final int[] PROTS = {Prot.READ | Prot.WRITE | Prot.USER, Prot.READ | Prot.USER, Prot.USER,
        Prot.READ | Prot.WRITE | Prot.EXEC | Prot.USER};

    /** One page as the model sees it. */
    record Page(int prot, int protOrig, long value, boolean noinherit) {
        Page with(long v) {
            return new Page(prot, protOrig, v, noinherit);
        }
    }

    static final class Proc {
        final String name;
        final VmMap map;
        final TestMachine.Lazy owner;
        final TreeMap<Long, Page> pages = new TreeMap<>();

        Proc(String name, VmMap map, boolean lazy) {
            this.name = name;
            this.map = map;
            this.owner = new TestMachine.Lazy(name, lazy);
        }
    }

    /**
     * Seeds 1..25 of 250 steps by default; {@code -Dmodel.from=, -Dmodel.to=, -Dmodel.steps=} run
     * more (and {@code -Dmodel.trace=true} prints a line per seed).
     */
    @Test
    void randomOperationsMatchThePageModel() {
        for (long seed = Long.getLong("model.from", 1); seed <= Long.getLong("model.to", 25); seed++) {
            run(seed, Integer.getInteger("model.steps", 250));
        }
    }

    private void run(long seed, int steps) {
        Random rnd = new Random(seed);
        TestMachine m = TestMachine.mmu(16 << 20);
        long free0 = m.pages.freeBytes();
        long pool0 = m.maps.pool().free();
        int kernelEntries0 = m.kmap().entryCount();
        List<Proc> procs = new ArrayList<>();
        procs.add(new Proc("p0", newMap(m), rnd.nextBoolean()));
        int made = 1;
        String op = "";
        List<String> history = new ArrayList<>();
        try {
            for (int step = 0; step < steps; step++) {
                Proc p = procs.get(rnd.nextInt(procs.size()));
                int what = rnd.nextInt(100);
                // Now and then memory is nearly gone: a failure must then leave everything as it was.
                boolean squeeze = rnd.nextInt(8) == 0 && !(what >= 37 && what < 50);
                List<MapEntry> drained = List.of();
                Snapshot before = null;
                if (squeeze) {
                    m.hogAllBut(rnd.nextInt(3));
                    drained = m.drainPoolBut(rnd.nextInt(3));
                    before = Snapshot.of(m);
                }
                if (what < 25) {
                    op = mmap(m, p, rnd, before);
                } else if (what < 37) {
                    op = munmap(m, p, rnd, before);
                } else if (what < 50) {
                    op = mprotect(p, rnd);
                } else if (what < 70) {
                    op = store(m, p, rnd, before);
                } else if (what < 88) {
                    op = load(m, p, rnd, before);
                } else if (what < 95 && procs.size() < 5) {
                    op = fork(m, p, procs, "p" + made++, rnd, before);
                } else if (procs.size() > 1) {
                    procs.remove(p);
                    m.maps.destroy(p.owner, p.map);
                    op = "exit " + p.name;
                } else {
                    op = "nothing";
                }
                if (squeeze) {
                    m.returnEntries(drained);
                    m.releaseHog();
                    op = op + " (squeezed)";
                }
                history.add(step + ": " + op);
                String ctx = "seed " + seed + " step " + step + " (" + op + ")\n  history:\n  " + String.join("\n  ", history.subList(Math.max(0, history.size() - 40), history.size())) + "\n";
                List<String> errors = m.verify();
                assertTrue(errors.isEmpty(), ctx + ": " + errors);
                for (Proc q : procs) {
                    assertEquals(q.pages.size(), expand(q).size(), ctx + ": pages of " + q.name);
                    assertEquals(protsOf(q), expand(q), ctx + ": protections of " + q.name);
                }
            }
            if (Boolean.getBoolean("model.trace")) {
                System.out.println("seed " + seed + ": " + history.size() + " ops, last " + op + ", " + procs.size() + " procs, "
                        + procs.stream().mapToInt(q -> q.map.entryCount()).sum() + " entries");
            }
            for (Proc q : procs) {
                m.maps.destroy(q.owner, q.map);
            }
            List<String> errors = m.verify();
            assertTrue(errors.isEmpty(), "seed " + seed + " at the end: " + errors);
            assertEquals(free0, m.pages.freeBytes(), "seed " + seed + ": pages leaked");
            // Page directories come and go in the kernel map, whose entries may end up split
            // differently; every entry not free is one of them.
            assertEquals(pool0 - (m.kmap().entryCount() - kernelEntries0), m.maps.pool().free(), "seed " + seed + ": entries leaked");
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + " after " + op, e);
        }
    }

    private static VmMap newMap(TestMachine m) {
        return m.maps.create(VirtAddr.of(START), VirtAddr.of(STOP)).get();
    }

    /** The map's entries, page by page: page -> {prot, protOrig}. */
    private static TreeMap<Long, List<Integer>> expand(Proc p) {
        TreeMap<Long, List<Integer>> out = new TreeMap<>();
        for (EntryInfo e : p.map.entries()) {
            for (long va = e.vaddr().value(); va < e.end(); va += P) {
                out.put(va, List.of(e.prot(), e.protOrig()));
            }
        }
        return out;
    }

    private static TreeMap<Long, List<Integer>> protsOf(Proc p) {
        TreeMap<Long, List<Integer>> out = new TreeMap<>();
        p.pages.forEach((va, pg) -> out.put(va, List.of(pg.prot(), pg.protOrig())));
        return out;
    }

    private static long firstFit(Proc p, long hint, long size) {
        for (long a = Math.max(hint, START); a + size <= STOP; a += P) {
            boolean free = true;
            for (long v = a; v < a + size && free; v += P) {
                free = !p.pages.containsKey(v);
            }
            if (free) {
                return a;
            }
        }
        return -1;
    }

    /** On a squeezed step: a failure is allowed, and must have changed nothing. */
    private static boolean failedCleanly(TestMachine m, Snapshot before, Either<VmError, ?> r, String op) {
        if (before == null || r.isRight() || !r.getLeft().errno().equals("ENOMEM")) {
            return false;
        }
        assertEquals(before.tablesAsFree((int) P), Snapshot.of(m).tablesAsFree((int) P), op + ": a failure changed something");
        return true;
    }

    private static void assertConserved(TestMachine m, Snapshot before, String op) {
        Snapshot now = Snapshot.of(m);
        assertEquals(before.freeBytes() + ((long) before.pagerFrames() + before.tablePages()) * P,
                now.freeBytes() + ((long) now.pagerFrames() + now.tablePages()) * P, op + ": pages neither free, the pager's nor tables");
        assertEquals(before.poolFree(), m.maps.pool().free(), op);
    }

    private static String fork(TestMachine m, Proc p, List<Proc> procs, String name, Random rnd, Snapshot before) {
        boolean lazy = rnd.nextBoolean();
        String op = "fork " + p.name + " -> " + name + (lazy ? " (lazy)" : "");
        Either<VmError, VmMap> made = m.maps.create(VirtAddr.of(START), VirtAddr.of(STOP));
        if (failedCleanly(m, before, made, op)) {
            return op + " -> ENOMEM (create)";
        }
        Proc child = new Proc(name, made.get(), lazy);
        Either<VmError, Void> r = m.maps.copy(child.owner, child.map, p.map, lazy);
        if (failedCleanly(m, before, r, op)) {
            return op + " -> ENOMEM";
        }
        r.get();
        for (Map.Entry<Long, Page> e : p.pages.entrySet()) {
            if (!e.getValue().noinherit()) {
                child.pages.put(e.getKey(), e.getValue());
            }
        }
        procs.add(child);
        return op;
    }

    private static String mmap(TestMachine m, Proc p, Random rnd, Snapshot before) {
        long size = (1 + rnd.nextInt(8)) * P;
        long hint = START + rnd.nextInt((int) ((STOP - START) / P) + 2) * P;
        int prot = PROTS[rnd.nextInt(PROTS.length)];
        boolean fixed = rnd.nextInt(3) == 0;
        boolean noinherit = rnd.nextInt(8) == 0;
        int flags = (fixed ? MapFlags.FIXED : 0) | (noinherit ? MapFlags.NOINHERIT : 0);
        String op = String.format("mmap %s 0x%x+0x%x %s%s", p.name, hint, size, Prot.letters(prot), fixed ? " fixed" : "");
        Either<VmError, VirtAddr> r = p.map.mmap(VirtAddr.of(hint), Frame.NONE, Size.of(size), prot, null, -1, flags, p.owner);
        long expect = fixed ? (hint + size <= STOP ? hint : -1) : firstFit(p, hint, size);
        if (expect >= 0 && fixed && before != null && r.isLeft() && r.getLeft().errno().equals("ENOMEM")) {
            // A fixed mapping that fails before unmapping its range changes nothing; one that fails
            // after leaves the range unmapped (POSIX allows it). The step's checks follow.
            if (Snapshot.of(m).tablesAsFree((int) P).equals(before.tablesAsFree((int) P))) {
                return op + " -> ENOMEM";
            }
            p.pages.subMap(expect, expect + size).clear();
            return op + " -> ENOMEM, range unmapped";
        }
        if (expect >= 0 && failedCleanly(m, before, r, op)) {
            return op + " -> ENOMEM";
        }
        if (expect < 0) {
            assertEquals("ENOMEM", r.getLeft().errno(), op);
            return op + " -> ENOMEM";
        }
        assertEquals(expect, r.get().value(), op);
        for (long va = expect; va < expect + size; va += P) {
            p.pages.put(va, new Page(prot, prot, 0, noinherit));
        }
        return op + String.format(" -> 0x%x", expect);
    }

    private static String munmap(TestMachine m, Proc p, Random rnd, Snapshot before) {
        long va = START + rnd.nextInt((int) ((STOP - START) / P)) * P;
        long size = (1 + rnd.nextInt(12)) * P;
        Either<VmError, Void> r = p.map.munmap(VirtAddr.of(va), Size.of(size));
        if (failedCleanly(m, before, r, "munmap")) {
            return String.format("munmap %s 0x%x+0x%x -> ENOMEM", p.name, va, size);
        }
        r.get();
        p.pages.subMap(va, va + size).clear();
        return String.format("munmap %s 0x%x+0x%x", p.name, va, size);
    }

    private static String mprotect(Proc p, Random rnd) {
        long va;
        if (!p.pages.isEmpty() && rnd.nextInt(4) != 0) {
            List<Long> keys = new ArrayList<>(p.pages.keySet());
            va = keys.get(rnd.nextInt(keys.size()));
        } else {
            va = START + rnd.nextInt((int) ((STOP - START) / P)) * P;
        }
        long size = (1 + rnd.nextInt(10)) * P;
        int prot = PROTS[rnd.nextInt(PROTS.length)];
        String op = String.format("mprotect %s 0x%x+0x%x %s", p.name, va, size, Prot.letters(prot));
        String expect = null;
        for (long v = va; v < va + size; v += P) {
            Page pg = p.pages.get(v);
            if (pg == null) {
                expect = "ENOMEM";
                break;
            }
            if (MapAttr.checkProt(pg.protOrig(), prot) != 0) {
                expect = "EACCES";
                break;
            }
        }
        Either<VmError, Void> r = p.map.mprotect(VirtAddr.of(va), Size.of(size), prot, p.owner);
        if (expect != null) {
            assertEquals(expect, r.isLeft() ? r.getLeft().errno() : "ok", op);
            return op + " -> " + expect;
        }
        assertTrue(r.isRight(), op + ": " + r);
        for (long v = va; v < va + size; v += P) {
            Page pg = p.pages.get(v);
            p.pages.put(v, new Page(prot, pg.protOrig(), pg.value(), pg.noinherit()));
        }
        return op;
    }

    private static long pick(Proc p, Random rnd) {
        if (!p.pages.isEmpty() && rnd.nextInt(6) != 0) {
            List<Long> keys = new ArrayList<>(p.pages.keySet());
            return keys.get(rnd.nextInt(keys.size()));
        }
        return START + rnd.nextInt((int) ((STOP - START) / P)) * P;
    }

    private static String store(TestMachine m, Proc p, Random rnd, Snapshot before) {
        long va = pick(p, rnd);
        long value = rnd.nextLong();
        Page pg = p.pages.get(va);
        String op = String.format("store %s 0x%x", p.name, va);
        int access = Prot.WRITE | Prot.USER;
        int attr = p.map.pmap.attributes(VirtAddr.of(va));
        int r = 0;
        if ((attr & Attr.PRESENT) == 0 || (attr & Attr.WRITE) == 0) {
            r = p.map.force(va, access);
        }
        int expect = pg == null ? Errno.EFAULT : (pg.prot() & Prot.WRITE) == 0 ? Errno.EINVAL : 0;
        if (expect == 0 && r == Errno.ENOMEM && before != null) {
            // A fault that ran out of pages may have left its entry a private amap, or a page in
            // an anon (the page table was what ran out): every page is still free or the pager's.
            assertConserved(m, before, op);
            return op + " -> ENOMEM";
        }
        assertEquals(expect, r, op);
        if (r == 0) {
            m.hal.memory().write64(p.map.pmap.resolve(VirtAddr.of(va)).value(), value);
            p.pages.put(va, pg.with(value));
        }
        return op + " -> " + Errno.name(r);
    }

    private static String load(TestMachine m, Proc p, Random rnd, Snapshot before) {
        long va = pick(p, rnd);
        Page pg = p.pages.get(va);
        String op = String.format("load %s 0x%x", p.name, va);
        int attr = p.map.pmap.attributes(VirtAddr.of(va));
        int r = 0;
        if ((attr & Attr.PRESENT) == 0) {
            r = p.map.force(va, Prot.READ | Prot.USER);
        }
        int expect = pg == null ? Errno.EFAULT : (pg.prot() & Prot.READ) == 0 ? Errno.EINVAL : 0;
        if (pg != null && (attr & Attr.PRESENT) != 0 && (pg.prot() & Prot.READ) == 0) {
            fail(op + ": a page without read rights is present");
        }
        if (expect == 0 && r == Errno.ENOMEM && before != null) {
            assertConserved(m, before, op);
            return op + " -> ENOMEM";
        }
        assertEquals(expect, r, op);
        if (r == 0) {
            assertEquals(pg.value(), m.hal.memory().read64(p.map.pmap.resolve(VirtAddr.of(va)).value()), op + ": value");
        }
        return op + " -> " + Errno.name(r);
    }
}
