package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pvm.scenario.InterpreterTest.assertCounts;
import static pvm.scenario.Scenarios.run;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import pvm.kernel.Commit;
import pvm.scenario.Scenarios.Ran;

/** The statements, flags, view and outcome of SerenityOS's features (beyond Phoenix). */
class SerenityStatementsTest {

    @Test
    void theNewStatementsParse() {
        Statement.Volatile v = assertInstanceOf(Statement.Volatile.class, StatementParserTest.parse("c volatile $a 8P"));
        assertEquals("c", v.process());
        Statement.Nonvolatile n = assertInstanceOf(Statement.Nonvolatile.class, StatementParserTest.parse("$lost = c nonvolatile $a 8P"));
        assertEquals(Optional.of("lost"), n.variable());
        assertInstanceOf(Statement.Purge.class, StatementParserTest.parse("purge"));
        Statement.Show s = assertInstanceOf(Statement.Show.class, StatementParserTest.parse("show stats c"));
        assertEquals(View.STATS, s.view());
        Statement.Expect e = assertInstanceOf(Statement.Expect.class, StatementParserTest.parse("expect c fill $a 1G 1 -> OOM"));
        assertEquals("OOM", e.outcome().text());
        Statement.Mmap m = assertInstanceOf(Statement.Mmap.class, StatementParserTest.parse("$a = p mmap 0 4P rw private,anon,populate,noreserve"));
        assertEquals(Commit.MAP_POPULATE | Commit.MAP_NORESERVE, m.flags() & (Commit.MAP_POPULATE | Commit.MAP_NORESERVE));
    }

    @Test
    void purgeTakesNoArgumentsAndOomIsWrittenInCapitals() {
        assertTrue(ParseErrorTest.error("purge p").contains("expected end of line"), ParseErrorTest.error("purge p"));
        assertTrue(ParseErrorTest.error("expect p load 8 0 -> oom").contains("write ok in lower case"), ParseErrorTest.error("expect p load 8 0 -> oom"));
    }

    @Test
    void aPurgedRangeAnswersOneAndReadsZeros() {
        Ran r = run("i686", """
                requires mmu
                spawn c
                $a = c mmap 0 4P rw private,anon
                c fill $a 4P 0x77
                c volatile $a 4P
                $kept = c nonvolatile $a 2P
                purge
                $lost = c nonvolatile $a+2P 2P
                c check $a 2P 0x77
                c check $a+2P 2P 0
                c store 8 $a $kept
                c store 8 $a+1 $lost
                expect c load 16 $a == 0x100
                expect verify
                """);
        assertCounts(r, 13, 0, 0);
        assertEquals("  7  purge  -> 2 pages purged", r.line(7));
        assertEquals("  8  $lost = c nonvolatile $a+2P 2P  -> 1 (purged meanwhile: its pages read as zeros)", r.line(8));
    }

    @Test
    void aFaultThatFindsNoPageIsOomNotSegv() {
        Ran r = run("i686", """
                boot ram=16M
                spawn p
                $a = p mmap 0 32M rw private,anon
                expect p fill $a 32M 1 -> SEGV
                expect p fill $a 32M 1 -> OOM
                p fill $a 32M 1
                """, true);
        assertCounts(r, 3, 2, 0);
        assertTrue(r.line(4).contains("FAILED: expected SEGV, got OOM"), r.line(4));
        assertTrue(r.line(6).contains("FAILED: out of memory at a fault (OOM), the process ends"), r.line(6));
        assertTrue(r.output().contains("out of memory: user write at"), r::output);
    }

    @Test
    void strictCommitFailsAtMmapAndNoreserveDoesNot() {
        Ran r = run("i686", """
                boot ram=16M commit=strict
                mark empty
                spawn p
                expect p mmap 0 1G rw private,anon -> ENOMEM
                $a = p mmap 0 1G rw private,anon,noreserve
                $b = p mmap 0 8P rw private,anon
                show stats p
                exit p
                expect unchanged empty
                """);
        assertCounts(r, 8, 0, 0);
        assertTrue(r.output().contains("committed:          32 KiB"), r::output);
    }

    @Test
    void showStatsNeedsAProcessAndWorksWithoutAnMmu() {
        Ran kernel = run("i686", "show stats\n");
        assertCounts(kernel, 0, 1, 0);
        assertTrue(kernel.line(1).contains("show stats needs a process"), kernel.line(1));
        Ran flat = run("nommu", """
                spawn p
                $a = p mmap 0 4P rw private,anon
                show stats p
                expect p volatile $a 4P -> ENOSYS
                """);
        assertCounts(flat, 4, 0, 0);
        assertTrue(flat.output().contains("virtual:            2 KiB"), flat::output);
    }
}
