package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pvm.scenario.InterpreterTest.assertCounts;
import static pvm.scenario.StatementParserTest.parse;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pvm.scenario.Scenarios.Ran;

/** {@code spawn P stack SIZE}, {@code sbrk}, {@code brk} and {@code $P.stack}: parsed, run, and refused where they cannot be. */
class ProcessMemoryStatementsTest {

    @Test
    void theStatementsParse() {
        assertEquals(new Statement.Spawn("p", Optional.of(new Expr.Num(16, true, "16P")), Optional.empty()), parse("spawn p stack 16P"));
        assertEquals(new Statement.Spawn("p", Optional.of(new Expr.Num(16, true, "16P")), Optional.of(new Expr.Num(8192, false, "8K"))),
                parse("spawn p heap 8K stack 16P"));
        assertEquals(new Statement.Sbrk(Optional.of("h"), "p", new Expr.Num(4096, false, "4096")), parse("$h = p sbrk 4096"));
        Expr shrink = ((Statement.Sbrk) parse("p sbrk -1P-10")).increment();
        assertEquals("-1P-10", shrink.text());
        assertEquals(-4106L, shrink.evaluate(4096, java.util.Map.of()).get(), "the minus negates the first term only");
        assertEquals(new Statement.Brk(Optional.empty(), "p", new Expr.Sum(new Expr.Var("h"), List.of(new Expr.Sum.Term(false, new Expr.Num(2, true, "2P"))))),
                parse("p brk $h+2P"));
        assertEquals(new Statement.Store("p", 32, new Expr.Sum(new Expr.Var("p.stacktop"), List.of(new Expr.Sum.Term(true, new Expr.Num(4, false, "4")))),
                new Expr.Num(1, false, "1")), parse("p store 32 $p.stacktop-4 1"));
        assertTrue(parse("expect p sbrk -2P -> EINVAL") instanceof Statement.Expect);
    }

    @Test
    void mistakesAreParseErrorsAtTheirColumn() {
        assertEquals("s.pvm:3:1: expected a variable to assign ($ and a name such as $a), found '$p.stack' "
                + "($P.stack is set by the kernel, not assigned)", ParseErrorTest.error("$p.stack = p load 8 0x1000"));
        assertEquals("s.pvm:3:10: expected a variable ($ and a name such as $a), found '$p.heap' "
                + "(a process's properties are $P.stack and $P.stacktop)", ParseErrorTest.error("p load 8 $p.heap"));
        assertTrue(ParseErrorTest.error("spawn p stack").startsWith("s.pvm:3:14: expected a stack size such as 64K or 16P"));
        assertEquals("s.pvm:3:9: expected end of line, found 'size'", ParseErrorTest.error("spawn p size 4K"));
        assertEquals("s.pvm:3:18: expected end of line, found 'stack'", ParseErrorTest.error("spawn p stack 1P stack 2P"));
    }

    @Test
    void theHeapGrowsShrinksAndRunsIntoAMappingWithNothingLeaked() {
        Ran r = Scenarios.run("i686", """
                mark start
                spawn p
                $h = p sbrk 3P
                p fill $h 3P 0x5a
                $m = p mmap $h+4P 1P r private,anon,fixed
                mark full
                expect p sbrk 2P -> ENOMEM
                expect unchanged full
                expect p sbrk -4P -> EINVAL
                expect p brk $h -> ok
                p sbrk 1P
                expect p load 8 $h == 0
                p munmap $m 1P
                expect p brk $h -> ok
                expect verify
                exit p
                expect unchanged start
                """);
        assertCounts(r, 17, 0, 0);
        assertEquals("  3  $h = p sbrk 3P  -> 0x10000000 (break now 0x10003000)", r.line(3));
        assertTrue(r.line(7).contains("ENOMEM (the heap cannot grow over 0x10003000-0x10005000: a mapping lies there)"), r.line(7));
        assertTrue(r.line(9).contains("EINVAL (break 0xffff000 is below the heap base 0x10000000)"), r.line(9));
    }

    @Test
    void aStackNamesItsBoundsAndItsGuardPageIsSigsegvWithItsReason() {
        Ran r = Scenarios.run("i686", """
                mark start
                spawn p stack 16K
                p store 32 $p.stacktop-4 0x1234
                expect p store 8 $p.stack-1 1 -> SEGV
                fork p c
                expect c load 32 $c.stacktop-4 == 0x1234
                exit c
                exit p
                expect unchanged start
                show vars
                """);
        assertCounts(r, 10, 0, 0);
        assertEquals("  2  spawn p stack 16K  -> pid 1, stack 0xbffec000-0xbfff0000, guard page at 0xbffeb000", r.line(2));
        assertTrue(r.output().contains("SIGSEGV: user write at 0xbffebfff, stack guard page: "), r.output());
        assertTrue(!r.output().contains("$p.stack "), "an exited process's stack is forgotten:\n" + r.output());
    }

    @Test
    void withoutAnMmuABreakNeedsRoomAtSpawnAndAStackIsRefused() {
        Ran r = Scenarios.run("nommu", """
                mark start
                spawn p
                expect p sbrk 1P -> ENOMEM
                expect spawn q stack 4K -> ENOSYS
                exit p
                spawn p heap 4P
                $h = p sbrk 2P
                p fill $h 2P 0x11
                expect p sbrk 3P -> ENOMEM
                p sbrk -2P
                exit p
                expect unchanged start
                """);
        assertCounts(r, 12, 0, 0);
        assertTrue(r.line(3).contains("spawn P heap SIZE"), r.line(3));
        assertTrue(r.line(4).contains("guard page needs an MMU"), r.line(4));
        assertTrue(r.line(6).matches("  6  spawn p heap 4P  -> pid 3, heap from 0x[0-9a-f]{8}"), r.line(6));
    }

    @Test
    void aScenarioWithoutThemSeesNoStackVariables() {
        Ran r = Scenarios.run("i686", """
                spawn p
                $a = p mmap 0 1P rw private,anon
                show vars
                """);
        assertTrue(r.output().contains("$a") && !r.output().contains("stack"), r.output());
    }
}
