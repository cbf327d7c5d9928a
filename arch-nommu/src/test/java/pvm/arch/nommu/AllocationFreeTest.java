package pvm.arch.nommu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.PageProbe;
import pvm.hal.pmap.Pmap;

/**
 * The paths run on every access and for every page at boot allocate nothing. The JVM itself may
 * allocate a little on the measuring thread (compilation, the counter's own first call), so the
 * bound is under one byte per call: one object per call would cost at least 16.
 */
class AllocationFreeTest {

    private static final int ROUNDS = 200_000;

    private final NommuHal hal = new NommuHal(new NommuArchitecture(), new MachineConfig(8L << 20, 1));

    @Test
    void translateAllocatesNothingWhenTheAccessPasses() {
        Pmap p = hal.create(hal.init().kernel(), Frame.NONE);
        p.addMap(NommuBoard.DRAM);
        Mmu cpu = hal.mmu(0);
        p.switchTo(cpu);
        long sum = translateMany(cpu); // warm up: let the JIT compile before measuring
        allocatedBytes();
        long before = allocatedBytes();
        sum += translateMany(cpu);
        long allocated = allocatedBytes() - before;
        assertEquals(2L * ROUNDS * (NommuBoard.DRAM_START + 0x40), sum, "every access passed");
        assertTrue(allocated < ROUNDS, "translate allocated " + allocated + " bytes over " + ROUNDS + " rounds");
    }

    @Test
    void getPageAllocatesNothing() {
        PageProbe probe = new PageProbe();
        for (int i = 0; i < 20; i++) {
            walk(probe);
        }
        allocatedBytes();
        long before = allocatedBytes();
        int pages = 0;
        for (int i = 0; i < 200; i++) {
            pages += walk(probe);
        }
        long allocated = allocatedBytes() - before;
        assertEquals(200 * 640, pages);
        assertTrue(allocated < pages, "getPage allocated " + allocated + " bytes over " + pages + " calls");
    }

    private static long translateMany(Mmu cpu) {
        long sum = 0;
        for (int i = 0; i < ROUNDS; i++) {
            sum += cpu.translate(NommuBoard.DRAM_START + 0x40, Access.USER | Access.WRITE);
        }
        return sum;
    }

    private int walk(PageProbe probe) {
        probe.cursor = 0;
        int n = 0;
        while (hal.getPage(probe) == Errno.EOK) {
            n++;
        }
        return n;
    }

    private static long allocatedBytes() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }
}
