package pvm.arch.i686;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Attr;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PhysAddr;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.VirtAddr;

/**
 * Random operation sequences over two user address spaces, a shared kernel range and two CPUs,
 * checked after every step against a model that is a plain map from page to (frame, attributes).
 * What the model says an access must do (translate, or fault with which error code) the MMU must
 * do, whatever its TLBs hold. The seed is printed on failure.
 */
class PmapModelTest {

    private static final int STEPS = 3_000;
    private static final int RUNS = 12;

    private record Mapping(long pa, int attr) {
    }

    @Test
    void randomOperationsAgreeWithTheModel() {
        long base = Long.getLong("pvm.seed", System.nanoTime());
        System.out.println("PmapModelTest: pvm.seed=" + base);
        for (int run = 0; run < RUNS; run++) {
            long seed = base + run;
            try {
                runOnce(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("failed with seed " + seed + " (rerun with -Dpvm.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private void runOnce(long seed) {
        Random rnd = new Random(seed);
        TestMachine m = new TestMachine(32L << 20, 2);
        List<Pmap> spaces = List.of(m.user(), m.user());
        List<Map<Long, Mapping>> models = List.of(new HashMap<>(), new HashMap<>());
        Map<Long, Mapping> kernelModel = new HashMap<>();
        // Pages over a few slots: two user slots, a slot boundary, and kernel heap pages in slot 768.
        List<Long> userPages = new ArrayList<>();
        for (long slotBase : new long[] {0x0040_0000L, 0x0080_0000L, 0xbfc0_0000L}) {
            for (int i = 0; i < 6; i++) {
                userPages.add(slotBase + i * 4096L);
                userPages.add(slotBase + (1023 - i) * 4096L);
            }
        }
        List<Long> kernelPages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            kernelPages.add(0xc030_0000L + i * 4096L); // unmapped by _pmap_init, table shared
        }
        long[] frames = new long[10];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = m.page();
        }
        int[] attrs = {Attr.PRESENT | Attr.USER | Attr.WRITE, Attr.PRESENT | Attr.USER, Attr.PRESENT | Attr.WRITE, Attr.PRESENT,
                Attr.PRESENT | Attr.USER | Attr.DEVICE, Attr.USER, Attr.PRESENT | Attr.USER | Attr.EXEC};
        int[] running = {0, 0};
        spaces.get(0).switchTo(m.cpu(0));
        spaces.get(0).switchTo(m.cpu(1));

        for (int step = 0; step < STEPS; step++) {
            int op = rnd.nextInt(100);
            if (op < 30) {
                boolean kernel = rnd.nextInt(4) == 0;
                long va = kernel ? pick(rnd, kernelPages) : pick(rnd, userPages);
                Mapping mp = new Mapping(frames[rnd.nextInt(frames.length)], attrs[rnd.nextInt(attrs.length)]);
                if (kernel) {
                    m.map(m.kernel(), va, mp.pa(), mp.attr());
                    kernelModel.put(va, mp);
                } else {
                    int s = rnd.nextInt(2);
                    m.map(spaces.get(s), va, mp.pa(), mp.attr());
                    models.get(s).put(va, mp);
                }
            } else if (op < 40) {
                boolean kernel = rnd.nextInt(4) == 0;
                long va = kernel ? pick(rnd, kernelPages) : pick(rnd, userPages);
                long end = va + (1 + rnd.nextInt(3)) * 4096L;
                Pmap p = kernel ? m.kernel() : spaces.get(rnd.nextInt(2));
                p.remove(VirtAddr.of(va), VirtAddr.of(end));
                Map<Long, Mapping> model = kernel ? kernelModel : models.get(spaces.indexOf(p));
                for (long a = va; a < end; a += 4096) {
                    model.remove(a);
                }
            } else if (op < 45) {
                int c = rnd.nextInt(2);
                int s = rnd.nextInt(2);
                spaces.get(s).switchTo(m.cpu(c));
                running[c] = s;
            } else {
                int c = rnd.nextInt(2);
                boolean kernel = rnd.nextInt(4) == 0;
                long va = (kernel ? pick(rnd, kernelPages) : pick(rnd, userPages)) + rnd.nextInt(4096);
                int access = (rnd.nextBoolean() ? Access.USER : 0) | (rnd.nextInt(3) == 0 ? Access.WRITE : rnd.nextBoolean() ? Access.READ : Access.EXEC);
                Mapping mp = (kernel ? kernelModel : models.get(running[c])).get(va & ~0xfffL);
                check(m.cpu(c), va, access, mp, kernel, step);
                if (!kernel) {
                    Pmap p = spaces.get(running[c]);
                    boolean present = mp != null && (mp.attr() & Attr.PRESENT) != 0;
                    assertEquals(present ? PhysAddr.of(mp.pa() + (va & 0xfff)) : PhysAddr.NONE, p.resolve(VirtAddr.of(va)), "resolve");
                    // The walk may have set Accessed and Dirty: status the model does not track.
                    assertEquals(present ? expectedAttr(mp.attr()) : 0, p.attributes(VirtAddr.of(va)) & ~(Attr.ACCESSED | Attr.DIRTY),
                            "attributes");
                }
            }
        }

        // Every user table is handed back once per space.
        for (Pmap p : spaces) {
            Set<Long> seen = new HashSet<>();
            Pmap.DestroyCursor cur = new Pmap.DestroyCursor();
            for (PhysAddr t = p.destroy(cur); !t.isNone(); t = p.destroy(cur)) {
                assertEquals(true, seen.add(t.value()), "table twice");
            }
            assertEquals(true, seen.size() <= 3, "at most one table per user slot used");
        }
    }

    private static int expectedAttr(int attr) {
        return attr & ~Attr.EXEC;
    }

    private static void check(Mmu cpu, long va, int access, Mapping mp, boolean kernelPage, int step) {
        boolean user = (access & Access.USER) != 0;
        boolean write = (access & Access.WRITE) != 0;
        long got = cpu.translate(va, access);
        String what = String.format("step %d: %s at 0x%08x (mapping %s)", step, Access.describe(access), va, mp);
        if (mp == null || (mp.attr() & Attr.PRESENT) == 0) {
            assertEquals(Mmu.FAULT, got, what);
            assertEquals((write ? 2 : 0) | (user ? 4 : 0), PageFaultSyndrome.errorCode(cpu.lastFault()), what);
            return;
        }
        // Kernel pages are reached through the loader's PDE (supervisor); user pages through a
        // PTHD PDE, which grants everything.
        boolean userOk = (mp.attr() & Attr.USER) != 0 && !kernelPage;
        boolean writeOk = (mp.attr() & Attr.WRITE) != 0;
        if ((user && !userOk) || (write && user && !writeOk)) {
            assertEquals(Mmu.FAULT, got, what);
            assertEquals(1 | (write ? 2 : 0) | 4, PageFaultSyndrome.errorCode(cpu.lastFault()), what);
            return;
        }
        assertEquals(mp.pa() + (va & 0xfff), got, what);
    }

    private static long pick(Random rnd, List<Long> from) {
        return from.get(rnd.nextInt(from.size()));
    }
}
