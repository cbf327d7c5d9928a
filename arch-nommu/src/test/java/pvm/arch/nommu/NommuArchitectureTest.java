package pvm.arch.nommu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.AddressLayout;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.MachineConfig;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.VmError;

class NommuArchitectureTest {

    private final NommuArchitecture arch = new NommuArchitecture();

    @Test
    void describesACortexMTargetWithoutMmu() {
        assertEquals("nommu", arch.name());
        assertEquals(512, arch.pageSize());
        assertFalse(arch.hasMmu());
        assertTrue(arch.description().contains("512 B pages"), arch.description());
        assertEquals(8L << 20, arch.defaultRam());
        assertEquals(1L << 20, arch.minRam());
        assertEquals(64L << 20, arch.maxRam());
    }

    @Test
    void userAndKernelBothSpanTheWhole32BitSpace() {
        AddressLayout l = arch.layout();
        assertEquals(new AddressLayout(0, 1L << 32, 0, 1L << 32), l);
        assertTrue(l.isUser(0) && l.isKernel(0));
        assertTrue(l.isUser(0xffff_ffffL) && l.isKernel(0xffff_ffffL));
        assertFalse(l.isUser(1L << 32) || l.isKernel(1L << 32));
    }

    @Test
    void bootMemoryMapHasOneBankPerMemoryMap() {
        BootMemoryMap map = arch.bootMemoryMap(8L << 20);
        assertEquals(List.of(
                new BootMemoryMap.Bank("itcm", 0x0000_0000L, 0x0002_8000L),
                new BootMemoryMap.Bank("dtcm", 0x2000_0000L, 0x2005_8000L),
                new BootMemoryMap.Bank("ocram", 0x2020_0000L, 0x2028_0000L),
                new BootMemoryMap.Bank("dram", 0x8000_0000L, 0x8080_0000L)), map.banks());
        assertEquals(0x8080_0000L, map.top());
        assertEquals((160 + 352 + 512) * 1024L + (8L << 20), map.ramBytes());
    }

    @Test
    void configuredRamSizesOnlyTheSdram() {
        BootMemoryMap small = arch.bootMemoryMap(1L << 20);
        BootMemoryMap big = arch.bootMemoryMap(64L << 20);
        assertEquals(1L << 20, small.bankOf(0x8000_0000L).size());
        assertEquals(64L << 20, big.bankOf(0x8000_0000L).size());
        for (int i = 0; i < 3; i++) {
            assertEquals(small.banks().get(i), big.banks().get(i), "on-chip maps do not depend on the RAM size");
        }
    }

    @Test
    void takenRangesAreTheKernelImageAndTheSyspage() {
        BootMemoryMap map = arch.bootMemoryMap(arch.defaultRam());
        BootMemoryMap.Taken code = taken(map, "kernel code");
        assertEquals(0, code.start());
        assertEquals("itcm", map.bankOf(code.start()).name());
        assertEquals(PageFlags.OWNER_KERNEL, code.pageFlags());

        BootMemoryMap.Taken data = taken(map, "kernel data and bss");
        assertEquals(0x2000_0000L, data.start(), "kernel .data/.bss at the start of DTCM");
        assertTrue(data.end() > NommuBoard.BSS_START);
        assertEquals("dtcm", map.bankOf(data.start()).name());

        BootMemoryMap.Taken syspage = taken(map, "syspage");
        assertEquals(PageFlags.OWNER_BOOT | PageFlags.KERNEL_SYSPAGE, syspage.pageFlags());
        assertEquals(data.end(), syspage.start());

        for (BootMemoryMap.Taken t : map.taken()) {
            BootMemoryMap.Bank bank = map.bankOf(t.start());
            assertNotNull(bank, t.what());
            assertTrue(t.end() <= bank.end() && t.end() > t.start(), t.what() + " lies inside one bank");
            assertTrue(t.end() <= NommuBoard.HEAP_START || t.start() < NommuBoard.DTCM_START,
                    t.what() + " lies below the kernel heap");
        }
    }

    @Test
    void validateAcceptsTheLimitsAndRefusesBeyondThem() {
        assertTrue(arch.validate(new MachineConfig(1L << 20, 1)).isRight());
        assertTrue(arch.validate(new MachineConfig(64L << 20, 2)).isRight());
        assertTrue(arch.validate(new MachineConfig(arch.defaultRam(), 1)).isRight());

        VmError low = arch.validate(new MachineConfig(512L << 10, 1)).getLeft();
        assertInstanceOf(VmError.EINVAL.class, low);
        assertTrue(low.message().contains("1 MiB") && low.message().contains("64 MiB"), low.message());
        assertTrue(arch.validate(new MachineConfig((64L << 20) + 512, 1)).isLeft());
        VmError ragged = arch.validate(new MachineConfig((2L << 20) + 100, 1)).getLeft();
        assertTrue(ragged.message().contains("512-byte pages"), ragged.message());
    }

    @Test
    void bootMemoryMapRefusesWhatValidateRefuses() {
        assertThrows(IllegalArgumentException.class, () -> arch.bootMemoryMap(512L << 10));
        assertThrows(IllegalArgumentException.class, () -> arch.bootMemoryMap(128L << 20));
        assertThrows(IllegalArgumentException.class, () -> arch.bootMemoryMap((2L << 20) + 1));
    }

    @Test
    void serviceLoaderFindsTheArchitecture() {
        Architecture found = Architectures.named("nommu").getOrElseThrow((String m) -> new IllegalStateException(m));
        assertInstanceOf(NommuArchitecture.class, found);
        assertEquals("pvm.arch.nommu", found.getClass().getModule().getName(), "found through the module's provides clause");
        assertTrue(Architectures.discover().stream().anyMatch(a -> a instanceof NommuArchitecture));
    }

    private static BootMemoryMap.Taken taken(BootMemoryMap map, String what) {
        return map.taken().stream().filter(t -> t.what().equals(what)).findFirst()
                .orElseThrow(() -> new AssertionError("no taken range '" + what + "' in " + map.taken()));
    }
}
