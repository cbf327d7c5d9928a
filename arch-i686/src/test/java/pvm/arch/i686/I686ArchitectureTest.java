package pvm.arch.i686;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PageFlags;

class I686ArchitectureTest {

    private final I686Architecture arch = new I686Architecture();

    @Test
    void describesTheI686Target() {
        assertEquals("i686", arch.name());
        assertEquals(4096, arch.pageSize());
        assertTrue(arch.hasMmu());
        assertEquals(new AddressLayout(0, 0xc000_0000L, 0xc000_0000L, 0x1_0000_0000L), arch.layout());
        assertEquals(128L << 20, arch.defaultRam());
        assertEquals(4L << 20, arch.minRam());
        assertEquals(4L << 30, arch.maxRam());
        assertTrue(arch.description().contains("i686") && !arch.description().contains("\n"));
    }

    @Test
    void isFoundWithTheServiceLoader() {
        assertTrue(Architectures.discover().stream().anyMatch(a -> a instanceof I686Architecture));
        assertInstanceOf(I686Architecture.class, Architectures.named("i686").get());
    }

    @Test
    void validationRefusesRamOutsideTheLimitsOrInPartPages() {
        assertTrue(arch.validate(new MachineConfig(4L << 20, 1)).isRight());
        assertTrue(arch.validate(new MachineConfig(4L << 30, 1)).isRight());
        assertEquals("EINVAL", arch.validate(new MachineConfig((4L << 20) - 4096, 1)).getLeft().errno());
        assertEquals("EINVAL", arch.validate(new MachineConfig((4L << 30) + 4096, 1)).getLeft().errno());
        assertEquals("EINVAL", arch.validate(new MachineConfig((128L << 20) + 100, 1)).getLeft().errno());
        assertThrows(IllegalArgumentException.class, () -> arch.bootMemoryMap(1L << 20));
        assertThrows(IllegalArgumentException.class, () -> new I686Hal(arch, new MachineConfig(1L << 20, 1)));
    }

    @Test
    void theBootMapIsThePcMapWithTheLoaderStructuresTaken() {
        BootMemoryMap map = arch.bootMemoryMap(128L << 20);
        assertEquals(List.of(new BootMemoryMap.Bank("conventional", 0, 0xA_0000),
                new BootMemoryMap.Bank("extended", 0x10_0000, 128L << 20)), map.banks());
        assertEquals(128L << 20, map.top());
        assertEquals((640L << 10) + (127L << 20), map.ramBytes(), "the 384 KiB hole is not RAM");

        int k = PageFlags.OWNER_KERNEL;
        List<BootMemoryMap.Taken> expected = List.of(
                new BootMemoryMap.Taken("BIOS data area", 0x0, 0x1000, k),
                new BootMemoryMap.Taken("GDT and IDT", 0x1000, 0x2000, k | PageFlags.KERNEL_CPU),
                new BootMemoryMap.Taken("syspage", 0x2000, 0x3000, k | PageFlags.KERNEL_SYSPAGE),
                new BootMemoryMap.Taken("page directory", 0x3000, 0x4000, k | PageFlags.KERNEL_PTABLE),
                new BootMemoryMap.Taken("page table", 0x4000, 0x5000, k | PageFlags.KERNEL_PTABLE),
                new BootMemoryMap.Taken("kernel stack", 0x5000, 0x6000, k | PageFlags.KERNEL_STACK),
                new BootMemoryMap.Taken("EBDA", 0x8_0000, 0xA_0000, PageFlags.OWNER_BOOT),
                new BootMemoryMap.Taken("kernel image", 0x10_0000, 0x15_a000, k));
        assertEquals(expected, map.taken());
        for (BootMemoryMap.Taken t : map.taken()) {
            BootMemoryMap.Bank bank = map.bankOf(t.start());
            assertTrue(bank != null && t.end() <= bank.end(), t.what() + " lies inside one bank");
        }
    }

    @Test
    void aFourGibMachineEndsAtTheTopOfThe32BitSpace() {
        BootMemoryMap map = arch.bootMemoryMap(4L << 30);
        assertEquals(0x1_0000_0000L, map.banks().getLast().end());
        assertEquals(0x1_0000_0000L, map.top());
    }

    @Test
    void theGuiceModuleBindsOneHalPerInjector() {
        MachineConfig config = new MachineConfig(16L << 20, 2);
        Injector one = Guice.createInjector(arch.module(config));
        Hal hal = one.getInstance(Hal.class);
        assertInstanceOf(I686Hal.class, hal);
        assertSame(hal, one.getInstance(Hal.class), "a singleton within the machine");
        assertSame(config, one.getInstance(MachineConfig.class));
        assertEquals(2, hal.cpus());
        assertSame(arch, hal.architecture());

        Hal other = Guice.createInjector(arch.module(config)).getInstance(Hal.class);
        assertNotSame(hal, other, "two machines share nothing");
        assertNotSame(hal.memory(), other.memory());
        Architecture back = hal.architecture();
        assertEquals("i686", back.name());
    }
}
