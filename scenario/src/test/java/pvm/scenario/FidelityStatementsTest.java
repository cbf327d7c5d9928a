package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pvm.scenario.InterpreterTest.assertCounts;
import static pvm.scenario.StatementParserTest.parse;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.MapFlags;
import pvm.kernel.PolicyChoice;
import pvm.scenario.Scenarios.Ran;

/**
 * What a Phoenix user brings to a scenario: policy choices in the {@code boot} header, psh's
 * {@code mem}, and the {@code physmem} and {@code contiguous} mappings.
 */
class FidelityStatementsTest {

    @Test
    void bootTakesPhoenixAndPolicyChoices() {
        Statement.Boot b = (Statement.Boot) parse("boot ram=64M phoenix zones=keep-one-empty protnone=present");
        assertEquals(new PolicyChoice(true, List.of("zones=keep-one-empty", "protnone=present")), b.policies());
        assertEquals(Statement.Boot.DEFAULT, parse("boot"));
    }

    @Test
    void aPolicyNoTargetKnowsIsAParseErrorAtItsColumn() {
        assertEquals("s.pvm:3:6: expected 'ram=SIZE', 'cpus=N', 'phoenix', 'POLICY=VALUE' or end of line, found 'colaescing' "
                + "(no policy 'colaescing'; the policies are coalescing, zones, zeropage, paging, commit, protnone, nommuisolation, nommuanon)", ParseErrorTest.error("boot colaescing=phoenix"));
        assertTrue(ParseErrorTest.error("boot zones=never").contains("policy zones is one of phoenix, keep-one-empty, not 'never'"),
                ParseErrorTest.error("boot zones=never"));
        assertTrue(ParseErrorTest.error("boot zones=").startsWith("s.pvm:3:12: expected a policy value after 'zones='"));
    }

    /** The header's policies are the machine's: Phoenix's ia32 leaves a touched PROT_NONE page readable. */
    @Test
    void aPolicyInTheHeaderChangesWhatHappens() {
        String body = """
                spawn p
                $a = p mmap 0 1P rw private,anon
                p store 8 $a 7
                p mprotect $a 1P none
                """;
        Ran phoenix = Scenarios.run("i686", "boot protnone=present\n" + body + "expect p load 8 $a == 7\nshow mem\nexpect verify\n");
        assertCounts(phoenix, 7, 0, 0);
        assertTrue(phoenix.output().contains("policies: coalescing=complete zones=keep-one-empty zeropage=fresh paging=lazy commit=none protnone=present"),
                phoenix.output());
        Ran pvm = Scenarios.run("i686", body + "expect p load 8 $a -> SEGV\nexpect verify\n");
        assertCounts(pvm, 6, 0, 0);
        // A policy of another target's hardware is left out where it means nothing.
        assertCounts(Scenarios.run("nommu", "boot protnone=present\nspawn p\n"), 1, 0, 0);
    }

    @Test
    void memTakesPshsArguments() {
        assertEquals(new Statement.Mem(List.of()), parse("mem"));
        assertEquals(new Statement.Mem(List.of("-m", "kernel")), parse("mem -m kernel"));
        assertEquals(new Statement.Mem(List.of("-m", "12")), parse("mem -m 12"));
        assertEquals(new Statement.Mem(List.of("-p")), parse("mem -p"));
        assertEquals(new Statement.Expect(new Statement.Mem(List.of("-m", "7")), new Outcome.Errno("EINVAL")), parse("expect mem -m 7 -> EINVAL"));
    }

    @Test
    void memPrintsWhatPshPrintsAndFailsWhereItFails() {
        Ran r = Scenarios.run("i686", """
                spawn a
                $x = a mmap 0 2P rw private,anon
                mem -m a
                expect mem -m b -> EINVAL
                """);
        assertCounts(r, 4, 0, 0);
        assertTrue(r.output().contains("       SEGMENT            PROT  FLAGS            OFFSET  OBJECT\n"
                + "       00001000:00002fff  rw-                            (anonymous)"), r.output());
        assertTrue(r.line(4).endsWith("-> EINVAL (mem: could not parse process id: 'b')"), r.line(4));
    }

    @Test
    void physmemTakesAPhysicalAddressAndContiguousIsAFlag() {
        Statement.Mmap m = (Statement.Mmap) parse("$v = p mmap 0 1P rw shared,physmem phys 0x7f00000");
        assertEquals(MapFlags.PHYSMEM, m.flags() & MapFlags.PHYSMEM);
        assertEquals(0x7f00000L, StatementParserTest.value(m.physical().orElseThrow()));
        assertEquals(Optional.empty(), ((Statement.Mmap) parse("p mmap 0 4P rw private,contiguous")).physical());
        assertTrue(ParseErrorTest.error("p mmap 0 1P rw shared,physmem").contains("expected 'phys PADDR'"));
        for (String arch : List.of("i686", "nommu")) {
            Ran r = Scenarios.run(arch, """
                    spawn p
                    $v = p mmap 0 1P rw shared,physmem phys 0x80400000
                    $c = p mmap 0 4P rw private,contiguous
                    p store 32 $c+3P 7
                    expect p load 32 $c+3P == 7
                    exit p
                    expect verify
                    """);
            assertCounts(r, 7, 0, 0);
        }
    }
}
