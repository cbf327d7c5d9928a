package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pvm.kernel.Machine;

/** The shell's statement-at-a-time session. */
class SessionTest {

    @Test
    void statementsRunOneAtATimeOnOneMachine() {
        Session s = new Session(Scenarios.arch("i686"));
        assertTrue(s.machine().isEmpty(), "nothing boots before a statement needs it");
        assertEquals(List.of("  1  spawn p  -> pid 1"), s.execute("spawn p"));
        assertFalse(s.lastFailed());
        List<String> mapped = s.execute("$a = p mmap 0 1P rw private,anon  # one page");
        assertTrue(mapped.getFirst().startsWith("  2  $a = p mmap 0 1P rw private,anon  -> 0x"), mapped::toString);
        assertEquals(List.of(), s.execute(""));
        assertEquals(List.of("  4  p store 8 $a 0x42  -> ok"), s.execute("p store 8 $a 0x42"));
        assertEquals(List.of("  5  expect p load 8 $a == 0x42  -> 0x42"), s.execute("expect p load 8 $a == 0x42"));
        assertEquals(Set.of("p"), s.processNames());
        assertEquals(Set.of("a"), s.variables().keySet());
        s.execute("mark m");
        assertEquals(Set.of("m"), s.markNames());
        assertTrue(s.machine().isPresent());
    }

    @Test
    void failuresAndParseErrorsAreReportedAndTheSessionGoesOn() {
        Session s = new Session(Scenarios.arch("i686"));
        assertEquals(List.of("shell:1:6: expected a process name, found end of line"), s.execute("spawn "));
        assertTrue(s.lastFailed());
        List<String> segv = s.execute("spawn p\n".strip());
        assertFalse(s.lastFailed(), segv::toString);
        List<String> fault = s.execute("p load 8 0x1000");
        assertTrue(s.lastFailed());
        assertEquals("  3  p load 8 0x1000  -> FAILED: unresolved fault, the process gets SIGSEGV", fault.getFirst());
        assertTrue(fault.get(1).startsWith("       SIGSEGV: user read at 0x00001000"), fault::toString);
        s.execute("spawn q");
        assertFalse(s.lastFailed());
    }

    @Test
    void headersComeFirstAndBootTheMachine() {
        Session s = new Session(Scenarios.arch("i686"), "input");
        assertEquals(List.of("  1  requires mmu  -> ok"), s.execute("requires mmu"));
        assertEquals(List.of("  2  boot ram=16M  -> booted i686 with 16 MiB of RAM and 1 CPU"), s.execute("boot ram=16M"));
        assertEquals(List.of("  3  boot ram=32M  -> FAILED: 'boot' was already given on line 2"), s.execute("boot ram=32M"));
        s.execute("spawn p");
        assertEquals(List.of("input:5:1: expected a statement other than a header (requires, target and boot come "
                + "before the first other statement, on line 4), found 'target'"), s.execute("target i686"));
        assertTrue(s.lastFailed());
    }

    @Test
    void headersThatTheTargetDoesNotMeetSkipEveryLaterStatementAsRunDoes() {
        Session s = new Session(Scenarios.arch("nommu"));
        assertEquals(List.of("  1  target nommu  -> ok"), s.execute("target nommu"));
        assertEquals(List.of("  2  requires mmu  -> skipped on nommu (requires mmu; nommu has no MMU): no later statement runs, "
                + "as pvm run skips the scenario"), s.execute("requires mmu"));
        assertFalse(s.lastFailed(), "a skip is no failure");
        assertEquals(List.of("  3  spawn p  -> not run: skipped on nommu (requires mmu; nommu has no MMU)"), s.execute("spawn p"));
        assertFalse(s.lastFailed());
        assertTrue(s.machine().isEmpty(), "nothing ran, not even the boot");

        Session other = new Session(Scenarios.arch("i686"));
        other.execute("target nommu");
        assertEquals(java.util.Optional.of("target nommu only"), other.skipped());
        other.execute("spawn p");
        assertTrue(other.processNames().isEmpty());
    }

    @Test
    void aTargetNoneIsCalledIsAParseErrorThatSuggestsTheClosest() {
        Session s = new Session(Scenarios.arch("i686"), "input");
        List<String> out = s.execute("target i868");
        assertTrue(s.lastFailed());
        assertTrue(out.getFirst().startsWith("input:1:8: expected a target (i686, nommu"), out::toString);
        assertTrue(out.getFirst().endsWith("found 'i868' (no target is called i868; did you mean i686?)"), out::toString);
    }

    @Test
    void aSessionOnABootedMachineRefusesToBootAgain() {
        Machine m = Machine.bootDefault(Scenarios.arch("nommu"));
        Session s = Session.on(m);
        assertTrue(s.execute("boot").getFirst().startsWith("  1  boot  -> FAILED: the machine is already booted (nommu with"));
        assertEquals(m, s.machine().orElseThrow());
        s.execute("spawn p");
        assertFalse(s.lastFailed());
    }

    @Test
    void vforkRuleHoldsInTheShellToo() {
        Session s = new Session(Scenarios.arch("i686"));
        s.execute("spawn p");
        s.execute("vfork p c");
        assertTrue(s.execute("exit p").getFirst().contains("FAILED: p waits for its vforked child c"));
        s.execute("exit c");
        assertFalse(s.lastFailed());
        s.execute("exit p");
        assertFalse(s.lastFailed());
    }

    @Test
    void wordsForCompletion() {
        Set<String> w = Session.words();
        assertTrue(w.containsAll(List.of("spawn", "mmap", "checkfile", "private", "noinherit", "SEGV", "EINVAL", "walk", "verify")));
    }

    @Test
    void showProcessesAndVarsListWhatTheSessionKnows() {
        Session s = new Session(Scenarios.arch("i686"));
        assertEquals(List.of("  1  show processes", "       name           pid  map", "       (no process)"),
                s.execute("show processes"));
        s.execute("spawn parent");
        s.execute("$a = parent mmap 0 1P rw private,anon");
        s.execute("vfork parent child");
        List<String> processes = s.execute("show processes");
        assertTrue(processes.stream().anyMatch(l -> l.matches(" *parent +1  1 entries")), processes::toString);
        assertTrue(processes.stream().anyMatch(l -> l.matches(" *child +2  its parent's \\(vfork child of parent\\)")),
                processes::toString);
        List<String> vars = s.execute("show vars");
        assertTrue(vars.stream().anyMatch(l -> l.matches(" *\\$a +0x[0-9a-f]{8}  \\(\\d+\\)")), vars::toString);
    }
}
