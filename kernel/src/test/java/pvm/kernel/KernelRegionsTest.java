package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.BootMemoryMap;
import pvm.hal.pmap.VirtAddr;
import pvm.hal.pmap.VmError;
import pvm.kernel.KernelRegion.Kind;
import pvm.kernel.KernelRegion.MemoryType;

/** DMA and MMIO regions of the kernel map on every target, and the failures that change nothing. */
class KernelRegionsTest {

    private static Machine boot(String target) {
        return Machine.bootDefault(Architectures.named(target).get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64", "nommu"})
    void aDmaRegionIsZeroedContiguousRamAndGoesBackWhole(String target) {
        Machine m = boot(target);
        Accounting before = m.accounting();
        int ps = m.pageSize();
        KernelRegion r = m.regions().dma(3L * ps, MemoryType.UNCACHED).get();
        assertEquals(Kind.DMA, r.kind());
        assertEquals(4L * ps, r.size(), "the buddy and queue allocators hand out powers of two: 3 pages take 4");
        for (long off = 0; off < r.size(); off += ps) {
            assertEquals(r.paddr() + off, m.kernelPmap().resolve(VirtAddr.of(r.vaddr() + off)).value(), "page +" + off);
        }
        for (long off = 0; off < r.size(); off += 64) {
            assertEquals(0, m.hal().memory().read64(r.paddr() + off), "zeroed at +" + off);
        }
        assertTrue(m.hal().memory().isRam(r.paddr(), r.size()));
        assertEquals(List.of(r), m.regions().list());
        Checks.assertConsistent(m);
        assertEquals(r, m.regions().unmap(r.vaddr()).get());
        assertEquals(before, m.accounting());
        Checks.assertConsistent(m);
    }

    @Test
    void onI686TheMemoryTypeIsThePcdAndPwtBits() {
        Machine m = boot("i686");
        for (MemoryType t : MemoryType.values()) {
            KernelRegion r = m.regions().dma(1, t).get();
            assertEquals(t.word(), m.regions().hardwareType(r));
            KernelRegion io = m.regions().mmio(0xb8000, 1, t).get();
            assertEquals(t.word(), m.regions().hardwareType(io));
        }
        Checks.assertConsistent(m);
    }

    /** With {@code --policy pbmt=svpbmt} Sv39's leaves carry Svpbmt's NC and IO types. */
    @Test
    void riscv64WithSvpbmtWritesTheMemoryTypeIntoTheLeaf() {
        var arch = Architectures.named("riscv64").get();
        var config = new pvm.hal.pmap.MachineConfig(arch.defaultRam(), 1)
                .withPolicies(pvm.hal.pmap.Policies.DEFAULT.with("pbmt=svpbmt", arch.policies()).get());
        Machine m = Machine.boot(arch, config, line -> { }).get();
        for (MemoryType t : MemoryType.values()) {
            KernelRegion r = m.regions().dma(1, t).get();
            assertEquals(t.word(), m.regions().hardwareType(r));
        }
        Checks.assertConsistent(m);
    }

    /** Phoenix's riscv64 PGHD_DEV and PGHD_NOT_CACHED are 0: Sv39 without Svpbmt has no cache bits. */
    @Test
    void riscv64AndNommuHaveNoCacheBitsInTheirEntries() {
        Machine rv = boot("riscv64");
        KernelRegion r = rv.regions().dma(1, MemoryType.IO).get();
        assertEquals("normal", rv.regions().hardwareType(r));
        Machine nommu = boot("nommu");
        KernelRegion n = nommu.regions().dma(1, MemoryType.IO).get();
        assertEquals("none", nommu.regions().hardwareType(n), "no page entries: the MPU region of the memory map decides");
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64", "nommu"})
    void anMmioRegionMapsADeviceRangeAndLeavesNoTrace(String target) {
        Machine m = boot(target);
        Accounting before = m.accounting();
        int ps = m.pageSize();
        KernelRegion r = m.regions().mmio(0xb8000, 2L * ps, MemoryType.IO).get();
        assertEquals(0xb8000, r.paddr());
        assertEquals(2L * ps, r.size());
        assertEquals(0xb8000 + ps, m.kernelPmap().resolve(VirtAddr.of(r.vaddr() + ps)).value());
        Checks.assertConsistent(m);
        m.regions().unmap(r.vaddr()).get();
        assertEquals(before, m.accounting());
        assertEquals(List.of(), m.regions().list());
        Checks.assertConsistent(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64", "nommu"})
    void badRegionsAreRefusedAndChangeNothing(String target) {
        Machine m = boot(target);
        int ps = m.pageSize();
        KernelRegion live = m.regions().dma(1, MemoryType.NORMAL).get();
        Accounting before = m.accounting();
        List<String> kernelMap = m.showMap(null);
        BootMemoryMap.Bank last = m.hal().memory().layout().banks().getLast();
        assertEinval(m.regions().mmio(live.paddr(), ps, MemoryType.IO), "over RAM");
        assertEinval(m.regions().mmio(last.start() - ps, 2L * ps, MemoryType.IO), "from a hole into a bank");
        assertEinval(m.regions().mmio(0xb8001, ps, MemoryType.IO), "misaligned");
        assertEinval(m.regions().mmio(0xb8000, 0, MemoryType.IO), "empty");
        assertEinval(m.regions().mmio((1L << 32) - ps, 2L * ps, MemoryType.IO), "past 4 GiB");
        assertEinval(m.regions().dma(0, MemoryType.NORMAL), "empty");
        assertInstanceOf(VmError.ENOMEM.class, m.regions().dma(1L << 30, MemoryType.NORMAL).getLeft(), "more than the RAM");
        assertEinval(m.regions().unmap(live.vaddr() + ps).map(r -> null), "inside a region");
        assertEinval(m.regions().unmap(0x1000).map(r -> null), "no region");
        assertEquals(before, m.accounting());
        assertEquals(kernelMap, m.showMap(null));
        assertEquals(List.of(live), m.regions().list());
        Checks.assertConsistent(m);
    }

    private static void assertEinval(io.vavr.control.Either<VmError, ?> r, String what) {
        assertTrue(r.isLeft(), what + ": succeeded");
        assertInstanceOf(VmError.EINVAL.class, r.getLeft(), what + ": " + r.getLeft());
    }
}
