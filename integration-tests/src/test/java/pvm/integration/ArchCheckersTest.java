package pvm.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.MapFlags;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;
import pvm.kernel.Machine;
import pvm.kernel.Process;

/**
 * The architecture layer's checker as the kernel runs it: {@link Machine#verify} asks the HAL
 * without knowing the target, and what the HAL finds comes back prefixed {@code pmap:}. Each
 * architecture's own tests plant every kind of damage; here one is planted on every target with
 * an MMU to show the report reaches the top.
 */
class ArchCheckersTest {

    /** A machine with a process that stored to a page, and its forked child that stored too. */
    private static Machine busy(Architecture arch) {
        Machine m = Machine.bootDefault(arch);
        Process p = m.spawn("p").get();
        long a = m.mmap(p, VirtAddr.NULL, Size.of(4L * m.pageSize()), Prot.READ | Prot.WRITE, MapFlags.PRIVATE | MapFlags.ANONYMOUS, null, 0)
                .get().value();
        assertTrue(m.cpu(0).store(p, 32, a, 1).isRight());
        if (arch.hasMmu()) {
            Process c = m.fork(p, "c").get();
            assertTrue(m.cpu(0).store(c, 32, a + m.pageSize(), 2).isRight());
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void aBusyMachinePassesEveryChecker(Architecture arch) {
        assertEquals(List.of(), busy(arch).verify());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pvm.integration.Targets#named")
    void aTopLevelTableNotMarkedAsOneIsReportedByTheKernel(Architecture arch) {
        assumeTrue(arch.hasMmu(), "no tables without an MMU");
        Machine m = busy(arch);
        long root = m.processes().getFirst().pmap().root().value();
        PageFrames frames = m.hal().frames();
        frames.setFlags(frames.find(root), PageFlags.OWNER_APP);
        List<String> problems = m.verify();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("pmap: ") && p.contains("is in a frame marked app")), problems.toString());
    }
}
