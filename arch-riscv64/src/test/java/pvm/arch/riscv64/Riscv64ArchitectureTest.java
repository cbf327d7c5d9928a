package pvm.arch.riscv64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.Hal;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PageFlags;

class Riscv64ArchitectureTest {

    private final Riscv64Architecture arch = new Riscv64Architecture();

    @Test
    void describesTheRiscv64Target() {
        assertEquals("riscv64", arch.name());
        assertEquals(4096, arch.pageSize());
        assertTrue(arch.hasMmu());
        assertEquals(new AddressLayout(0, 0x3f_c000_0000L, 0x3f_c000_0000L, 0x40_0000_0000L), arch.layout());
        assertEquals(128L << 20, arch.defaultRam());
        assertTrue(arch.maxRam() >= 8L << 30, "at least 8 GiB");
        assertTrue(arch.description().contains("Sv39") && !arch.description().contains("\n"));
    }

    @Test
    void isFoundWithTheServiceLoader() {
        assertInstanceOf(Riscv64Architecture.class, Architectures.named("riscv64").get());
    }

    @Test
    void validationRefusesRamOutsideTheLimitsOrInPartPages() {
        assertTrue(arch.validate(new MachineConfig(8L << 20, 1)).isRight());
        assertTrue(arch.validate(new MachineConfig(8L << 30, 1)).isRight());
        assertEquals("EINVAL", arch.validate(new MachineConfig((8L << 20) - 4096, 1)).getLeft().errno());
        assertEquals("EINVAL", arch.validate(new MachineConfig(arch.maxRam() + 4096, 1)).getLeft().errno());
        assertEquals("EINVAL", arch.validate(new MachineConfig((128L << 20) + 100, 1)).getLeft().errno());
        assertThrows(IllegalArgumentException.class, () -> arch.bootMemoryMap(1L << 20));
    }

    @Test
    void theBootMapIsVirtsDramWithFirmwareImageAndDeviceTreeTaken() {
        BootMemoryMap map = arch.bootMemoryMap(8L << 30);
        assertEquals(1, map.banks().size());
        assertEquals(0x8000_0000L, map.banks().getFirst().start());
        assertEquals(0x2_8000_0000L, map.top(), "DRAM above 4 GiB, in full");
        assertEquals(8L << 30, map.ramBytes());
        BootMemoryMap.Taken image = map.taken().stream().filter(t -> t.what().equals("kernel image")).findFirst().orElseThrow();
        assertEquals(0x8020_0000L, image.start());
        assertEquals(PageFlags.OWNER_KERNEL, image.pageFlags());
        assertTrue(map.taken().stream().anyMatch(t -> t.what().equals("device tree") && t.start() == 0xbfe0_0000L));
    }

    @Test
    void eachInjectorBuildsItsOwnMachine() {
        Injector a = Guice.createInjector(arch.module(new MachineConfig(16L << 20, 2)));
        Injector b = Guice.createInjector(arch.module(new MachineConfig(16L << 20, 1)));
        Hal ha = a.getInstance(Hal.class);
        assertInstanceOf(Riscv64Hal.class, ha);
        assertEquals(ha, a.getInstance(Hal.class), "one HAL per machine");
        assertNotSame(ha, b.getInstance(Hal.class));
        assertEquals(2, ha.cpus());
    }
}
