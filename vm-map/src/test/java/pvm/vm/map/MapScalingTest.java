package pvm.vm.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.testkit.FakeHal;

/**
 * mmap and munmap with 100 000 entries in one map: every search stays logarithmic, counted in tree
 * steps (the time it takes is benchmarks/run's mmapScaling).
 */
class MapScalingTest {

    @Test
    void oneHundredThousandEntries() {
        TestMachine m = TestMachine.mmu();
        int n = 100_000;
        // A pool big enough for the test, beside the machine's own.
        MapEntryPool pool = new MapEntryPool(n + 10, 60, 0, s -> { });
        VmMaps maps = new VmMaps(m.hal, m.pages, MapModel.PAGED, pool, m.kmap().pmap(), FakeHal.VADDR_KERNEL, FakeHal.VADDR_END);
        maps.setPager(m.pager);
        VmMap map = new VmMap(maps, m.kmap().pmap(), 0x1000, 0x1000 + 4L * n * 4096);
        TestMachine.Lazy lazy = new TestMachine.Lazy("p", true);
        int[] prots = {Prot.READ | Prot.USER, Prot.READ | Prot.WRITE | Prot.USER};
        int worst = 0;
        for (int i = 0; i < n; i++) {
            // Alternating protections: no two neighbours merge.
            long v = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(4096), prots[i & 1], null, -1, 0, lazy).get().value();
            assertEquals(0x1000 + i * 4096L, v);
            worst = Math.max(worst, map.tree.findSteps);
        }
        assertEquals(n, map.entryCount());
        // Holes everywhere, then fill them from a hint at the start: first fit climbs to each one.
        for (int i = 1; i < n; i += 97) {
            map.munmap(VirtAddr.of(0x1000 + i * 4096L), Size.of(4096)).get();
        }
        for (int i = 1; i < n; i += 97) {
            long v = map.mmap(VirtAddr.NULL, Frame.NONE, Size.of(4096), Prot.READ | Prot.EXEC | Prot.USER, null, -1, 0, lazy)
                    .get().value();
            assertEquals(0x1000 + i * 4096L, v);
            worst = Math.max(worst, map.tree.findSteps);
        }
        assertTrue(worst <= 4 * 17 + 4, "a search took " + worst + " steps");
        assertTrue(MapVerify.checkTree("scaling", map.tree).isEmpty());
    }
}
