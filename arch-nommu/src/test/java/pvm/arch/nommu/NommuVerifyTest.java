package pvm.arch.nommu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Frame;
import pvm.hal.pmap.MachineConfig;

/** The no-MMU checker against planted corruption of the region sets. */
class NommuVerifyTest {

    private final NommuHal hal = new NommuHal(new NommuArchitecture(), new MachineConfig(8L << 20, 2));
    private final NommuPmap kernel = (NommuPmap) hal.init().kernel();
    private final NommuPmap user = (NommuPmap) hal.create(kernel, Frame.NONE);

    private void assertReports(String what) {
        List<String> problems = hal.verify(kernel, List.of(user));
        assertTrue(problems.stream().anyMatch(p -> p.contains(what)), "expected a problem with '" + what + "', got " + problems);
    }

    @Test
    void aProcessRunningOnItsOwnRegionsIsHealthy() {
        assertTrue(user.addMap(hal.board().mapCount() - 1));
        user.switchTo(hal.mmu(0));
        assertEquals(List.of(), hal.verify(kernel, List.of(user)));
    }

    @Test
    void anMpuEnablingARegionItsAddressSpaceLacksIsReported() {
        int other = 0;
        while (user.enabled(other)) {
            other++;
        }
        user.switchTo(hal.mmu(1));
        hal.mmu(1).load(user, user.regions() | hal.board().regionMask(other));
        assertReports(String.format("CPU 1: the MPU enables regions 0x%x that", hal.board().regionMask(other)));
    }

    @Test
    void aRegionNamingNoMemoryMapIsReported() {
        NommuPmap stray = new NommuPmap(hal.board(), new java.util.concurrent.locks.ReentrantLock(), 0, 1L << 32, 1 << 30);
        List<String> problems = hal.verify(kernel, List.of(stray));
        assertTrue(problems.stream().anyMatch(p -> p.contains("regions 0x40000000 name no memory map")), problems.toString());
    }

    @Test
    void aKernelWithoutEveryRegionIsReported() {
        NommuPmap narrow = new NommuPmap(hal.board(), new java.util.concurrent.locks.ReentrantLock(), 0, 1L << 32, 1);
        assertTrue(hal.verify(narrow, List.of()).stream().anyMatch(p -> p.contains("the kernel's region set is 0x1")));
    }
}
