package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Access;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.Errno;
import pvm.hal.pmap.Fault;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.Mmu;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.vm.map.MapModel;

/**
 * Each memory model on its own, on the machine the composition root installs it for: the paged
 * model with an MMU, the flat one without; and each layer got the model of the same kind.
 */
class MemoryModelTest {

    private static Machine boot(String arch) {
        return Machine.bootDefault(Architectures.named(arch).get());
    }

    /** The fault {@code p}'s CPU takes on a user access to {@code va}, before any kernel handles it. */
    private static Fault rawFault(Machine m, Process p, long va, int access) {
        Mmu mmu = m.cpu(0).mmu();
        p.pmap().switchTo(mmu);
        assertEquals(Mmu.FAULT, mmu.translate(va, access));
        return mmu.lastFault();
    }

    @Test
    void thePagedModelGivesEachProcessItsOwnMapAndResolvesFaults() {
        Machine m = boot("i686");
        assertInstanceOf(PagedModel.class, m.model());
        assertSame(MapModel.PAGED, m.maps().model());
        Process p = m.spawn("p").get();
        Process q = m.spawn("q").get();
        assertNotSame(p.map(), q.map(), "a map per process");
        assertFalse(p.map().isShared());
        long a = m.mmap(p, VirtAddr.NULL, Size.of(m.pageSize()), Prot.READ | Prot.WRITE, MapFlags.PRIVATE | MapFlags.ANONYMOUS, null, 0)
                .get().value();
        assertEquals(Errno.EOK, m.model().pageFault(m, p, rawFault(m, p, a, Access.USER | Access.WRITE)), "demand paging");
        assertTrue(m.fork(p, "child").isRight(), "copy-on-write fork");
        assertEquals(List.of(), m.model().describe());
        assertEquals(List.of(), m.verify());
    }

    @Test
    void theFlatModelSharesMapsAndLeavesFaultsToTheMpu() {
        Machine m = boot("nommu");
        assertInstanceOf(FlatModel.class, m.model());
        assertSame(MapModel.FLAT, m.maps().model());
        Process p = m.spawn("p").get();
        Process q = m.spawn("q").get();
        assertSame(p.map(), q.map(), "processes share their memory map's vm map");
        assertTrue(p.map().isShared());
        assertEquals("ENOSYS", m.fork(p, "child").getLeft().errno(), "fork needs an MMU");
        assertTrue(m.vfork(p, "child").isRight(), "vfork does not");
        long elsewhere = m.hal().maps().stream().map(mm -> mm.start())
                .filter(s -> !q.pmap().isAllowed(VirtAddr.of(s), Size.of(1))).findFirst().orElseThrow();
        assertEquals(MemoryModel.NO_FAULT_HANDLER, m.model().pageFault(m, q, rawFault(m, q, elsewhere, Access.USER | Access.READ)),
                "no fault handler without an MMU");
        assertTrue(m.sharedRegions().isEmpty());
        assertEquals(List.of(), m.verify());
    }
}
