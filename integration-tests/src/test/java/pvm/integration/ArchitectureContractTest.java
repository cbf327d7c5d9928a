package pvm.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.TargetAbi;
import pvm.hal.pmap.VirtAddr;
import pvm.kernel.Machine;
import pvm.kernel.Process;
import pvm.kernel.Segv;

/**
 * What every target says about itself through the {@code Architecture} SPI, checked on every
 * discovered one: the machine's figures are its ABI's, its letters are its own, its faults describe
 * themselves and say what protection the access needed, and the booted machine has one source of
 * its target.
 */
class ArchitectureContractTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void theHalIsTheOneSourceOfTheTarget(Architecture arch) {
        Machine machine = Machine.bootDefault(arch);
        assertSame(arch, machine.hal().architecture());
        assertSame(arch, machine.architecture());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void bootFiguresAreTheTargetsStructSizes(Architecture arch) {
        TargetAbi abi = arch.abi();
        Machine machine = Machine.bootDefault(arch);
        String log = String.join("\n", machine.bootLog());
        assertTrue(log.contains("page_t=" + abi.pageT()), "the page_t array is charged sizeof(page_t): " + log);
        assertTrue(log.matches("(?s).*vm: Initializing memory mapper: \\(\\d+\\*" + abi.mapEntryT() + "\\).*"),
                "the entry pool is charged sizeof(map_entry_t): " + log);
        assertEquals(abi.pageT(), machine.hal().pageDescriptorSize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void theLettersAreTheTargets(Architecture arch) {
        Machine machine = Machine.bootDefault(arch);
        for (int flags : new int[] {PageFlags.FREE, PageFlags.OWNER_KERNEL, PageFlags.OWNER_APP, PageFlags.OWNER_KERNEL | PageFlags.KERNEL_HEAP}) {
            assertEquals(arch.marker(flags), machine.hal().marker(flags));
        }
        if (machine.hal().showsPageMap()) {
            assertEquals('.', arch.marker(PageFlags.FREE), "a free page is '.' in every page map");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void aFaultDescribesItselfAndSaysWhatTheAccessNeeded(Architecture arch) {
        Machine machine = Machine.bootDefault(arch);
        Process p = machine.spawn("p").get();
        // With an MMU: a user address nothing is mapped at. Without: a memory map the process was
        // not given.
        long elsewhere = arch.hasMmu() ? 0x5000_0000L : machine.hal().maps().stream().map(m -> m.start())
                .filter(a -> !p.pmap().isAllowed(VirtAddr.of(a), Size.of(1))).findFirst().orElseThrow();
        Segv segv = machine.cpu(0).store(p, 8, elsewhere, 1).getLeft();
        Fault f = segv.fault();
        assertEquals(elsewhere, f.address());
        assertEquals(Access.USER | Access.WRITE, f.access());
        assertFalse(f.syndrome().registers().isBlank(), "the raw registers, in the target's words");
        assertTrue(f.describe().startsWith("user write at "), f.describe());
        assertTrue(segv.describe().contains("(" + f.syndrome().registers() + ")"), segv.describe());
        int needs = f.faultType();
        assertEquals(0, needs & ~(Prot.READ | Prot.WRITE | Prot.EXEC | Prot.USER), "faultType is protection bits");
        if (arch.hasMmu()) {
            assertEquals(Prot.WRITE | Prot.USER, needs & (Prot.WRITE | Prot.USER), "a user write needs write and user rights");
        } else {
            assertEquals(Prot.NONE, needs, "nothing resolves a fault without an MMU");
        }
    }
}
