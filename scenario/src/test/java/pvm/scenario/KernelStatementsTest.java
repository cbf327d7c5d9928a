package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pvm.scenario.InterpreterTest.assertCounts;
import static pvm.scenario.ParseErrorTest.assertError;
import static pvm.scenario.StatementParserTest.parse;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pvm.kernel.KernelRegion.MemoryType;
import pvm.scenario.Scenarios.Ran;

/** The {@code kernel} statements: kmalloc's family, the heap self-test, DMA and MMIO regions. */
class KernelStatementsTest {

    private static KernelStatements.Op op(String text) {
        return ((Statement.Kernel) parse(text)).op();
    }

    @Test
    void eachOperationParses() {
        Statement.Kernel k = (Statement.Kernel) parse("$k = kernel kmalloc 100");
        assertEquals(Optional.of("k"), k.variable());
        assertInstanceOf(KernelStatements.Kmalloc.class, k.op());
        assertInstanceOf(KernelStatements.Kcalloc.class, op("kernel kcalloc 10 24"));
        assertInstanceOf(KernelStatements.Krealloc.class, op("kernel krealloc $k 200"));
        assertInstanceOf(KernelStatements.SelfTest.class, op("kernel selftest"));
        assertEquals(MemoryType.NORMAL, ((KernelStatements.Dma) op("kernel dma 1P")).type());
        assertEquals(MemoryType.UNCACHED, ((KernelStatements.Dma) op("kernel dma 1P uncached")).type());
        assertEquals(MemoryType.IO, ((KernelStatements.Mmio) op("kernel mmio 0xb8000 4K")).type(), "MMIO is device memory unless told");
        assertInstanceOf(KernelStatements.Kfree.class, ((Statement.Expect) parse("expect kernel kfree $k+8 -> EINVAL")).statement() instanceof
                Statement.Kernel e ? e.op() : null);
        // A process may still be called kernel.
        assertInstanceOf(Statement.Mmap.class, parse("$a = kernel mmap 0 1P rw private,anon"));
    }

    @Test
    void mistakesAreParseErrorsAtTheirColumn() {
        assertError("s.pvm:3:8: expected a kernel operation (kmalloc, kzalloc, kcalloc, krealloc, kfree, selftest, dma, mmio, unmap, "
                + "phys, regions), found 'malloc'", "kernel malloc 16");
        assertError("s.pvm:3:17: expected 'normal', 'uncached' or 'io' (a memory type), found 'cached'", "kernel dma 4096 cached");
        assertError("s.pvm:3:13: expected one of kmalloc, kzalloc, kcalloc, krealloc, dma, mmio, phys (the kernel operations whose "
                + "result can be assigned), found 'kfree'", "$k = kernel kfree $k");
        assertError("s.pvm:3:17: expected an element size in bytes, found end of line", "kernel kcalloc 4");
    }

    /**
     * The failure cases: a bad krealloc, a kcalloc overflow, DMA out of memory, MMIO over RAM
     * (riscv64 runs the same in the integration suite's lessons and the kernel's region tests).
     */
    @ParameterizedTest
    @ValueSource(strings = {"i686", "nommu"})
    void failuresAreErrnosAndChangeNothing(String target) {
        Ran r = Scenarios.run(target, """
                kernel selftest
                mark m
                kernel selftest
                expect unchanged m
                $k = kernel kmalloc 100
                $d = kernel dma 1P io
                mark live
                expect kernel krealloc $k+4 200 -> EINVAL
                expect kernel krealloc 0x1000 200 -> EINVAL
                expect kernel kfree $k+4 -> EINVAL
                expect kernel kcalloc 0x10000 0x10001 -> EINVAL
                expect kernel kmalloc 16M -> EINVAL
                expect kernel dma 1G -> ENOMEM
                $p = kernel phys $d
                expect kernel mmio $p 1P -> EINVAL
                expect kernel mmio 0xb8001 1P -> EINVAL
                expect kernel unmap $k -> EINVAL
                expect unchanged live
                $k = kernel krealloc $k 5000
                kernel kfree $k
                kernel unmap $d
                expect unchanged m
                expect verify
                """);
        assertCounts(r, 23, 0, 0);
        assertTrue(r.line(1).contains("size classes from 16 B"), r.line(1));
        assertTrue(r.line(19).contains("moved from"), r.line(19));
    }

    @Test
    void kreallocSaysWhetherTheBlockMoved() {
        Ran r = Scenarios.run("i686", """
                $k = kernel kzalloc 40
                $k = kernel krealloc $k 64
                $k = kernel krealloc $k 65
                $k = kernel krealloc $k 0
                """);
        assertCounts(r, 4, 0, 0);
        assertTrue(r.line(1).endsWith("a block of 64 bytes, zeroed"), r.line(1));
        assertTrue(r.line(2).endsWith("a block of 64 bytes, in place"), r.line(2));
        assertTrue(r.line(3).contains("a block of 128 bytes, moved from"), r.line(3));
        assertTrue(r.line(4).endsWith("0, the block freed"), r.line(4));
    }

    @Test
    void regionsListsWhatWasAskedAndWhatThePageEntrySays() {
        Ran r = Scenarios.run("i686", """
                $d = kernel dma 2P uncached
                $m = kernel mmio 0xb8000 1P
                kernel regions
                show walk $d
                """);
        assertCounts(r, 4, 0, 0);
        assertTrue(r.output().contains("dma 8 KiB of physical"), r.output());
        assertTrue(r.output().contains("uncached (page entry: uncached)"), r.output());
        assertTrue(r.output().contains("mmio 4 KiB of physical 0x000b8000, io (page entry: io)"), r.output());
        assertTrue(r.output().contains(" PCD"), "the walk shows the PTE's PCD bit: " + r.output());
    }
}
