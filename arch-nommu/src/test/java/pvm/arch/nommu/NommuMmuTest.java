package pvm.arch.nommu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.Pmap;
import pvm.hal.pmap.Prot;

class NommuMmuTest {

    private static final int USER_READ = Access.USER | Access.READ;
    private static final int USER_WRITE = Access.USER | Access.WRITE;
    private static final long OCRAM = NommuBoard.OCRAM_START;
    private static final long DRAM = NommuBoard.DRAM_START;
    private static final long HOLE = 0x4000_0000L;

    private final NommuHal hal = new NommuHal(new NommuArchitecture(), new MachineConfig(8L << 20, 2));
    private final Pmap kernel = hal.init().kernel();
    private final Pmap a = hal.create(kernel, Frame.NONE);
    private final Pmap b = hal.create(kernel, Frame.NONE);

    NommuMmuTest() {
        a.addMap(NommuBoard.DRAM);
        b.addMap(NommuBoard.OCRAM);
    }

    @Test
    void privilegedAccessesGoAnywhereThereIsMemory() {
        Mmu cpu = hal.mmu(0);
        a.switchTo(cpu);
        for (long va : new long[] {0, NommuBoard.DTCM_START + 0x100, OCRAM + 0x7fffc, DRAM + 0x10}) {
            assertEquals(va, cpu.translate(va, Access.READ));
            assertEquals(va, cpu.translate(va, Access.WRITE));
            assertEquals(va, cpu.translate(va, Access.EXEC));
        }
    }

    @Test
    void privilegedAccessOutsideEveryMapIsABusFault() {
        Mmu cpu = hal.mmu(0);
        assertEquals(Mmu.FAULT, cpu.translate(HOLE, Access.WRITE));
        Fault f = cpu.lastFault();
        assertEquals(HOLE, f.address());
        assertEquals(Access.WRITE, f.access());
        assertEquals("CFSR 0x8200, BFAR 0x40000000", f.syndrome().registers(), "PRECISERR with a valid BFAR");
        assertEquals(Prot.NONE, f.faultType(), "hal_exceptionsFaultType on armv7m");
        assertTrue(f.cause().startsWith("BusFault: no memory at 0x40000000"), f.cause());
    }

    @Test
    void unprivilegedAccessesPassOnlyInsideEnabledMaps() {
        Mmu cpu = hal.mmu(0);
        a.switchTo(cpu);
        assertEquals(DRAM + 0x123, cpu.translate(DRAM + 0x123, USER_WRITE));
        assertEquals(0x200, cpu.translate(0x200, Access.USER | Access.EXEC), "the kernel code map is enabled for every process");

        assertEquals(Mmu.FAULT, cpu.translate(OCRAM + 0x10, USER_READ));
        Fault f = cpu.lastFault();
        assertEquals(OCRAM + 0x10, f.address());
        assertEquals(USER_READ, f.access());
        assertEquals("CFSR 0x82, MMFAR 0x20200010", f.syndrome().registers(), "DACCVIOL with a valid MMFAR");
        assertEquals("MemManage: no enabled MPU region covers 0x20200010 (map ocram is not enabled for this process)", f.cause());

        assertEquals(Mmu.FAULT, cpu.translate(HOLE, USER_READ));
        assertEquals("MemManage: no enabled MPU region covers 0x40000000 (outside every memory map)", cpu.lastFault().cause());

        assertEquals(Mmu.FAULT, cpu.translate(DRAM + (8L << 20), USER_READ), "first byte past SDRAM");
    }

    @Test
    void noProtectionIsEnforcedInsideAnEnabledMap() {
        Mmu cpu = hal.mmu(0);
        a.switchTo(cpu);
        for (int kind : new int[] {Access.READ, Access.WRITE, Access.EXEC}) {
            assertEquals(DRAM, cpu.translate(DRAM, Access.USER | kind));
        }
    }

    @Test
    void switchToChangesWhatACpuAllows() {
        Mmu cpu0 = hal.mmu(0);
        Mmu cpu1 = hal.mmu(1);
        a.switchTo(cpu0);
        b.switchTo(cpu1);
        assertSame(a, cpu0.current());
        assertSame(b, cpu1.current());
        assertEquals(DRAM, cpu0.translate(DRAM, USER_READ));
        assertEquals(Mmu.FAULT, cpu0.translate(OCRAM, USER_READ));
        assertEquals(OCRAM, cpu1.translate(OCRAM, USER_READ));
        assertEquals(Mmu.FAULT, cpu1.translate(DRAM, USER_READ));

        b.switchTo(cpu0);
        assertEquals(Mmu.FAULT, cpu0.translate(DRAM, USER_READ));
        assertEquals(OCRAM, cpu0.translate(OCRAM, USER_READ));

        kernel.switchTo(cpu0);
        assertEquals(DRAM, cpu0.translate(DRAM, USER_READ), "the kernel's address space enables every map");
        assertEquals(OCRAM, cpu0.translate(OCRAM, USER_READ));
    }

    @Test
    void aNewMapReachesTheMpuAtTheNextSwitch() {
        Mmu cpu = hal.mmu(0);
        a.switchTo(cpu);
        a.addMap(NommuBoard.OCRAM);
        assertEquals(Mmu.FAULT, cpu.translate(OCRAM, USER_READ), "the MPU registers change only in pmap_switch");
        a.switchTo(cpu);
        assertEquals(OCRAM, cpu.translate(OCRAM, USER_READ));
    }

    @Test
    void aCpuWithNothingLoadedAllowsNoUserAccess() {
        NommuMmu fresh = new NommuMmu(hal.board(), 7);
        assertNull(fresh.current());
        assertEquals(Mmu.FAULT, fresh.translate(0, USER_READ));
        assertEquals(0, fresh.translate(0, Access.READ));
        assertEquals(7, fresh.id());
    }

    @Test
    void switchToRefusesAForeignMmu() {
        Mmu foreign = new Mmu() {
            @Override public void beginAccess() { }
            @Override public void endAccess() { }
            @Override public long translate(long va, int access) { return va; }
            @Override public Fault lastFault() { return null; }
            @Override public Pmap current() { return null; }
            @Override public void invalidate(long va) { }
            @Override public void flush() { }
            @Override public int id() { return 0; }
            @Override public long tlbHits() { return 0; }
            @Override public long tlbMisses() { return 0; }
            @Override public String describeWalk(Pmap pmap, long va) { return ""; }
        };
        assertThrows(IllegalArgumentException.class, () -> a.switchTo(foreign));
    }

    @Test
    void thereIsNoTlbToCount() {
        Mmu cpu = hal.mmu(0);
        a.switchTo(cpu);
        for (int i = 0; i < 100; i++) {
            cpu.translate(DRAM + i * 4L, USER_READ);
            cpu.translate(OCRAM, USER_READ);
        }
        cpu.invalidate(DRAM);
        cpu.flush();
        assertEquals(0, cpu.tlbHits());
        assertEquals(0, cpu.tlbMisses());
        assertEquals(DRAM, cpu.translate(DRAM, USER_READ), "flush changes no verdict");
    }

    @Test
    void describeWalkNamesTheMapTheRegionAndTheVerdict() {
        Mmu cpu = hal.mmu(0);
        String enabled = cpu.describeWalk(a, DRAM + 0x40);
        assertTrue(enabled.contains("map dram") && enabled.contains("enabled") && enabled.contains("user access: allowed"), enabled);
        String disabled = cpu.describeWalk(a, OCRAM);
        assertTrue(disabled.contains("map ocram") && disabled.contains("disabled") && disabled.contains("MemManage"), disabled);
        String hole = cpu.describeWalk(a, HOLE);
        assertTrue(hole.contains("no memory map") && hole.contains("bus fault"), hole);
    }
}
