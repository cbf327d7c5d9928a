package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.hal.pmap.Architectures;

/** {@code spawn P stack SIZE} ({@link UserStack}): where the stack lies, its guard page, its failures. */
class UserStackTest {

    private static io.vavr.control.Either<pvm.hal.pmap.VmError, Process> withStack(Machine m, long bytes) {
        return m.spawn("p", java.util.OptionalLong.of(bytes), java.util.OptionalLong.empty());
    }

    private static Machine boot(String arch) {
        return Machine.bootDefault(Architectures.named(arch).get());
    }

    @Test
    void onI686TheStackEndsAtTheHobbyKernelsUserStackStart() {
        Machine m = boot("i686");
        UserStack s = withStack(m, 16 * 1024).get().stack();
        assertEquals(new UserStack(0xbffe_b000L, 0xbffe_c000L, 0xbfff_0000L), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void theStackIsDemandZeroAndItsGuardPageIsSigsegvWithItsReason(String arch) {
        Machine m = boot(arch);
        Accounting start = m.accounting();
        Process p = withStack(m, 3L * m.pageSize()).get();
        UserStack s = p.stack();
        assertEquals(m.architecture().userStackTop(), s.top());
        assertEquals(s.top() - 3L * m.pageSize(), s.bottom());
        assertEquals(s.bottom() - m.pageSize(), s.guard());
        Cpu cpu = m.cpu(0);
        assertEquals(0L, cpu.load(p, 32, s.top() - 4).get());
        assertTrue(cpu.store(p, 32, s.bottom(), 5).isRight());
        Segv segv = cpu.store(p, 8, s.bottom() - 1, 1).getLeft();
        assertEquals("stack guard page", segv.reason());
        assertTrue(segv.describe().contains("stack guard page: "), segv.describe());
        assertEquals("stack guard page", cpu.load(p, 8, s.guard()).getLeft().reason());
        assertEquals("", cpu.load(p, 8, s.guard() - 1).getLeft().reason(), "below the guard is no man's land, not the guard");
        assertEquals("EACCES", m.mprotect(p, pvm.hal.pmap.VirtAddr.of(s.guard()), pvm.hal.pmap.Size.of(m.pageSize()),
                pvm.hal.pmap.Prot.READ).getLeft().errno(), "the guard has no rights to gain");
        Process c = m.fork(p, "c").get();
        assertEquals(s, c.stack());
        assertEquals(5L, cpu.load(c, 32, s.bottom()).get());
        assertEquals("stack guard page", cpu.load(c, 8, s.guard()).getLeft().reason());
        Checks.exitAndCheck(m, start, c, p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i686", "riscv64"})
    void aStackThatCannotBeMadeLeavesNoProcessAndNothingAllocated(String arch) {
        Machine m = boot(arch);
        Accounting start = m.accounting();
        assertEquals("EINVAL", withStack(m, 0).getLeft().errno());
        assertEquals("ENOMEM", withStack(m, m.architecture().userStackTop()).getLeft().errno());
        assertEquals("ENOMEM", withStack(m, Long.MAX_VALUE).getLeft().errno());
        assertTrue(m.processes().isEmpty());
        Checks.assertUnchanged(m, start);
        Checks.assertConsistent(m);
    }

    @Test
    void aProcessSpawnedWithoutAStackHasNone() {
        Machine m = boot("i686");
        Process p = m.spawn("p").get();
        assertNull(p.stack());
        assertEquals("", m.cpu(0).load(p, 8, 0xbffe_b000L).getLeft().reason());
    }

    @Test
    void withoutAnMmuThereIsNoGuardPage() {
        Machine m = boot("nommu");
        Accounting start = m.accounting();
        var r = withStack(m, 4096);
        assertEquals("ENOSYS", r.getLeft().errno());
        assertTrue(r.getLeft().message().contains("guard page needs an MMU"));
        assertTrue(m.processes().isEmpty());
        Checks.assertUnchanged(m, start);
    }
}
