package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pvm.scenario.Scenarios.run;

import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import pvm.scenario.Scenarios.Ran;

/** Scenarios run on real machines of both targets, judged as docs/scenario-language.md says. */
class InterpreterTest {

    static void assertCounts(Ran r, int passed, int failed, int skipped) {
        Summary s = r.summary();
        assertEquals(passed + "/" + failed + "/" + skipped, s.passed() + "/" + s.failed() + "/" + s.skipped(), r::output);
    }

    static void assertMatches(String regex, String line) {
        assertTrue(Pattern.compile(regex).matcher(line).matches(), () -> "'" + line + "' does not match " + regex);
    }

    @Test
    void theExampleOfTheContractPassesOnI686() {
        Ran r = run("i686", ScenarioParserTest.EXAMPLE);
        assertCounts(r, 13, 0, 0);
        assertEquals("scenario t on i686: 13 passed, 0 failed, 0 skipped", r.summary().line());
        assertMatches("  4  \\$a = parent mmap 0 1P rw private,anon  -> 0x[0-9a-f]{8}", r.line(4));
        assertEquals("  5  parent store 8 $a 0x42  -> ok", r.line(5));
        assertEquals(" 10  expect child load 8 $a == 0x42  -> 0x42", r.line(10));
        assertEquals(" 12  expect child store 8 $a 1 -> SEGV  -> SEGV", r.line(12));
        assertTrue(r.output().contains("SIGSEGV: user write at"), r::output);
    }

    @Test
    void aScenarioThatRequiresAnMmuIsSkippedWithoutOne() {
        Ran r = run("nommu", ScenarioParserTest.EXAMPLE);
        assertCounts(r, 0, 0, 13);
        assertEquals(Optional.of("requires mmu; nommu has no MMU"), r.summary().skipReason());
        assertEquals("scenario t on nommu: 0 passed, 0 failed, 13 skipped", r.summary().line());
        assertTrue(r.lines().getFirst().contains("skipped (requires mmu; nommu has no MMU)"), r::output);
        assertCounts(run("i686", "requires nommu\nspawn p\n"), 0, 0, 1);
        assertCounts(run("i686", "target nommu\nspawn p\nspawn q\n"), 0, 0, 2);
        assertCounts(run("nommu", "target nommu\nspawn p\nspawn q\n"), 2, 0, 0);
    }

    @Test
    void theFirstFailureStopsTheScenario() {
        String text = """
                spawn p
                $a = p mmap 0 1P rw private,anon
                expect p load 8 $a == 1
                p store 8 $a 1
                expect p load 8 $a == 1
                """;
        Ran stopped = run("i686", text);
        assertCounts(stopped, 2, 1, 2);
        assertMatches("  3  expect p load 8 \\$a == 1  -> FAILED: loaded 0x0 from 0x[0-9a-f]{8}, expected 0x1", stopped.line(3));
        assertTrue(stopped.output().contains("2 statements not run"), stopped::output);
        Ran going = run("i686", text, true);
        assertCounts(going, 4, 1, 0);
    }

    @Test
    void anUnresolvedFaultOutsideExpectFailsWithTheReport() {
        Ran r = run("i686", "spawn p\np store 32 0x10000000 7\n");
        assertCounts(r, 1, 1, 0);
        assertEquals("  2  p store 32 0x10000000 7  -> FAILED: unresolved fault, the process gets SIGSEGV", r.line(2));
        String report = r.lines().get(r.lines().indexOf(r.line(2)) + 1);
        assertTrue(report.contains("user write at 0x10000000"), report);
        assertTrue(report.contains("error code 0x6"), report + " (#PF: not present, write, user)");
        assertTrue(report.contains("no map entry covers 0x10000000"), report);
    }

    @Test
    void aFaultInsideExpectSegvIsExpectedAndTheProcessCarriesOn() {
        Ran r = run("i686", """
                spawn p
                $a = p mmap 0 1P r private,anon
                expect p store 8 $a 1 -> SEGV
                expect p load 8 $a == 0
                expect p load 8 $a -> SEGV
                """);
        assertCounts(r, 4, 1, 0);
        assertEquals("  5  expect p load 8 $a -> SEGV  -> FAILED: expected SEGV, got ok (0x0)", r.line(5));
    }

    @Test
    void anErrnoFailsUnlessExpected() {
        Ran bare = run("i686", "spawn p\np munmap 0x40000000 0\n");
        assertCounts(bare, 1, 1, 0);
        assertEquals("  2  p munmap 0x40000000 0  -> FAILED: EINVAL: munmap of zero bytes", bare.line(2));
        Ran expected = run("i686", "spawn p\nexpect p munmap 0x40000000 0 -> EINVAL\n");
        assertCounts(expected, 2, 0, 0);
        assertEquals("  2  expect p munmap 0x40000000 0 -> EINVAL  -> EINVAL (munmap of zero bytes)", expected.line(2));
        Ran wrong = run("i686", "spawn p\nexpect p munmap 0x40000000 0 -> ENOMEM\n");
        assertEquals("  2  expect p munmap 0x40000000 0 -> ENOMEM  -> FAILED: expected ENOMEM, got EINVAL (munmap of zero bytes)",
                wrong.line(2));
        Ran notOk = run("i686", "spawn p\nexpect p mmap 0 0 rw anon -> ok\n");
        assertTrue(notOk.line(2).contains("FAILED: expected ok, got EINVAL"), notOk::output);
    }

    @Test
    void forkIsEnosysWithoutAnMmu() {
        assertCounts(run("nommu", "spawn p\nexpect fork p q -> ENOSYS\n"), 2, 0, 0);
        Ran bare = run("nommu", "spawn p\nfork p q\n");
        assertTrue(bare.line(2).contains("FAILED: ENOSYS"), bare::output);
    }

    /**
     * A first process makes the kernel grow structures it keeps (kmalloc zones, page tables of the
     * kernel map), so marks are taken after one process has come and gone.
     */
    static final String WARM_UP = """
            spawn w
            $w = w mmap 0 8P rw private,anon
            w fill $w 8P 1
            exit w
            """;

    @Test
    void marksCatchLeaksAndAcceptWhatWasGivenBack() {
        Ran leak = run("i686", WARM_UP + """
                mark start
                spawn p
                $a = p mmap 0 4P rw private,anon
                p fill $a 4P 0x5a
                expect unchanged start
                """);
        assertCounts(leak, 8, 1, 0);
        assertTrue(leak.line(9).contains("FAILED: accounting differs from mark 'start': free bytes"), leak::output);
        Ran noMark = run("i686", "expect unchanged nowhere\n");
        assertEquals("  1  expect unchanged nowhere  -> FAILED: no mark 'nowhere'", noMark.line(1));
    }

    @Test
    void exitGivesEverythingBack() {
        for (String arch : new String[] {"i686", "nommu"}) {
            Ran r = run(arch, WARM_UP + """
                    mark start
                    spawn p
                    $a = p mmap 0 8P rw private,anon
                    p fill $a 8P 1
                    fork p q
                    exit p
                    expect unchanged start
                    expect verify
                    """.replace("fork p q\n", arch.equals("i686") ? "fork p q\nq fill $a 2P 3\nexit q\n" : ""));
            assertCounts(r, arch.equals("i686") ? 14 : 11, 0, 0);
        }
    }

    @Test
    void fillAndCheckGoByteByByteAndNameTheFirstDifference() {
        Ran r = run("i686", """
                spawn p
                $a = p mmap 0 2P rw private,anon
                p fill $a 2P 0xaa
                p check $a 2P 0xaa
                p store 8 $a+1P+5 0
                p check $a 2P 0xaa
                """);
        assertCounts(r, 5, 1, 0);
        assertMatches("  6  p check \\$a 2P 0xaa  -> FAILED: byte at 0x[0-9a-f]{5}005 is 0x00, expected 0xaa \\(4101 bytes matched\\)",
                r.line(6));
    }

    @Test
    void aCheckThatFaultsIsSegv() {
        Ran r = run("i686", """
                spawn p
                $a = p mmap 0 1P none private,anon
                expect p check $a 1P 0 -> SEGV
                expect p fill $a 1 0 -> SEGV
                """);
        assertCounts(r, 4, 0, 0);
    }

    @Test
    void copyWithinAProcessGoesAsALoopAndFaultsWhereItWould() {
        Ran r = run("i686", """
                spawn p
                $a = p mmap 0 3P rw private,anon
                p fill $a 1P 0x5a
                p copy $a+1P $a 1P
                p check $a+1P 1P 0x5a
                p mprotect $a+2P 1P r
                expect p copy $a+1P+10 $a 1P -> SEGV
                p check $a+1P 1P 0x5a
                p check $a+2P 1P 0
                """, true);
        assertCounts(r, 9, 0, 0);
        assertMatches("  4  p copy \\$a\\+1P \\$a 1P  -> 4096 bytes from 0x[0-9a-f]{8} to 0x[0-9a-f]{8}", r.line(4));
        assertTrue(r.output().contains("SIGSEGV: user write at"), r::output);
        Ran nommu = run("nommu", "spawn p\n$a = p mmap 0 2P rw private,anon\np fill $a 1P 7\np copy $a+1P $a 1P\np check $a 2P 7\n");
        assertCounts(nommu, 5, 0, 0);
    }

    @Test
    void copyBetweenProcessesIsTheKernelsAndFailsWithEfault() {
        Ran r = run("i686", """
                spawn p
                spawn q
                $a = p mmap 0 2P rw private,anon
                $b = q mmap 0 1P rw private,anon
                p fill $a 2P 0x33
                copy q $b p $a 1P
                q check $b 1P 0x33
                expect copy q $b p $a 2P -> EFAULT
                expect copy q $b p $a+2P 1 -> EFAULT
                expect verify
                """, true);
        assertCounts(r, 10, 0, 0);
        assertMatches("  6  copy q \\$b p \\$a 1P  -> 4096 bytes from p 0x[0-9a-f]{8} to q 0x[0-9a-f]{8}", r.line(6));
    }

    @Test
    void vforkParentMayNotBeNamedUntilTheChildExits() {
        Ran r = run("i686", """
                spawn p
                vfork p c
                $a = c mmap 0 1P rw private,anon
                c store 8 $a 9
                p load 8 $a
                exit c
                expect p load 8 $a == 9
                """, true);
        assertCounts(r, 6, 1, 0);
        assertEquals("  5  p load 8 $a  -> FAILED: p waits for its vforked child c (as on Phoenix); nothing may name it "
                + "before 'exit c'", r.line(5));
        assertTrue(r.line(2).contains("p waits until it exits"), r::output);
        Ran expectToo = run("i686", "spawn p\nvfork p c\nexpect p munmap 0x40000000 1P -> EBUSY\n");
        assertCounts(expectToo, 2, 1, 0);
    }

    @Test
    void vforkWorksWithoutAnMmu() {
        Ran r = run("nommu", """
                spawn p
                vfork p c
                $a = c mmap 0 1P rw private,anon
                c store 32 $a 0xdeadbeef
                exit c
                expect p load 32 $a == 0xdeadbeef
                """);
        assertCounts(r, 6, 0, 0);
    }

    @Test
    void namesThatDoNotResolveFailTheStatement() {
        Ran r = run("i686", "spawn p\nq munmap 0 1P\np munmap $zz 1P\nspawn p\nexit p\nexit p\n", true);
        assertCounts(r, 2, 4, 0);
        assertEquals("  2  q munmap 0 1P  -> FAILED: no process 'q' (spawn it first); processes: p", r.line(2));
        assertEquals("  3  p munmap $zz 1P  -> FAILED: address: variable $zz has no value (nothing assigned it yet)", r.line(3));
        assertEquals("  4  spawn p  -> FAILED: a process called 'p' already exists", r.line(4));
        assertEquals("  6  exit p  -> FAILED: process 'p' has exited", r.line(6));
    }

    @Test
    void valuesAreCheckedAgainstTheirWidthAtRunTime() {
        Ran r = run("i686", "spawn p\n$a = p mmap 0 1P rw anon\np store 8 $a $a\n");
        assertTrue(r.line(3).contains("FAILED: value to store $a = "), r::output);
        assertTrue(r.line(3).contains("does not fit in 8 bits"), r::output);
    }

    @Test
    void accessesOutsideTheAddressSpaceAreRefused() {
        Ran r = run("i686", "spawn p\np load 32 0xfffffffe\n");
        assertTrue(r.line(2).contains("FAILED: address 0xfffffffe (4294967294) lies outside i686's address space"), r::output);
    }

    @Test
    void fileStatementsGoToTheKernelsFileServer() {
        for (String arch : new String[] {"i686", "nommu"}) {
            Ran r = run(arch, "file f 3P\nfile g 2K fill 0x5a\n", true);
            assertEquals("  1  file f 3P  -> " + (arch.equals("i686") ? "12 KiB" : "1536 B") + " of pattern", r.line(1));
            assertEquals("  2  file g 2K fill 0x5a  -> 2 KiB of 0x5a", r.line(2));
        }
    }

    @Test
    void checkfileComparesWithTheFilesBytesAndZerosPastItsEnd() {
        Ran r = run("i686", """
                file f 2 pattern
                file f 4
                spawn p
                $a = p mmap 0 1P rw private,anon
                p store 8 $a 7
                p store 8 $a+1 38
                p checkfile $a 2 f 0
                p checkfile $a+2 16 f 2
                p checkfile $a 2 f 1
                p checkfile $a 2 nofile 0
                """, true);
        assertCounts(r, 7, 3, 0);
        assertEquals("  2  file f 4  -> FAILED: file 'f' already exists", r.line(2));
        assertEquals("  7  p checkfile $a 2 f 0  -> 2 bytes match f from offset 0x0", r.line(7));
        assertMatches("  9  p checkfile \\$a 2 f 1  -> FAILED: byte at 0x[0-9a-f]{8} is 0x07, file f has 0x26 at offset 0x1 "
                + "\\(0 bytes matched\\)", r.line(9));
        assertEquals(" 10  p checkfile $a 2 nofile 0  -> FAILED: no file 'nofile' (files: f)", r.line(10));
    }

    @Test
    void checkfileWithoutAFileFails() {
        Ran r = run("i686", "spawn p\n$a = p mmap 0 1P rw private,anon\np checkfile $a 2 nofile 0\n");
        assertEquals("  3  p checkfile $a 2 nofile 0  -> FAILED: no file 'nofile'", r.line(3));
    }

    @Test
    void pagesAreTheTargetsPages() {
        String text = "spawn p\n$a = p mmap 0 3P rw private,anon\np fill $a 3P 1\n";
        assertEquals("  3  p fill $a 3P 1  -> 12288 bytes of 0x01", run("i686", text).line(3));
        assertEquals("  3  p fill $a 3P 1  -> 1536 bytes of 0x01", run("nommu", text).line(3));
    }

    @Test
    void bootConfiguresTheMachine() {
        Ran r = run("i686", "boot ram=64M cpus=2\nspawn p\nspawn q\n$a = q mmap 0 1P rw anon\nq store 8 $a 1\nexpect verify\n");
        assertCounts(r, 5, 0, 0);
        assertTrue(r.lines().getFirst().startsWith("--- t on i686 with 64 MiB of RAM and 2 CPUs"), r::output);
        Ran bad = run("i686", "requires mmu\nboot ram=4K\nspawn p\nspawn q\n");
        assertCounts(bad, 0, 1, 2);
        assertTrue(bad.line(2).startsWith("  2  boot ram=4K  -> FAILED: cannot boot: EINVAL: i686 needs between"), bad::output);
        Ran badCpus = run("i686", "boot cpus=100\nspawn p\n");
        assertCounts(badCpus, 0, 1, 1);
        assertTrue(badCpus.line(1).contains("cpus must be 1..64"), badCpus::output);
    }

    @Test
    void viewsPrintBelowTheirStatement() {
        Ran r = run("i686", """
                spawn p
                $a = p mmap 0 1P rw private,anon
                show map p
                show mem
                show walk $a p
                show buddy
                show kmalloc
                show objects
                show pages
                show map
                """);
        assertCounts(r, 10, 0, 0);
        assertEquals("  3  show map p", r.line(3));
        int at = r.lines().indexOf(r.line(3));
        assertTrue(r.lines().get(at + 1).startsWith("       p's map"), r::output);
    }

    @Test
    void viewsWorkWithoutAProcessAndWithoutAnMmu() {
        String text = "spawn p\n$a = p mmap 0 1P rw anon\nshow walk $a p\nshow walk 0x1000\nshow pages\nshow buddy\n"
                + "show map\nshow mem p\n";
        assertCounts(run("i686", text), 8, 0, 0);
        assertCounts(run("nommu", text), 8, 0, 0);
        Ran gone = run("i686", "show map nobody\n");
        assertEquals("  1  show map nobody  -> FAILED: no process 'nobody' (spawn it first)", gone.line(1));
    }

    @Test
    void expectVerifyRunsTheCheckers() {
        Ran r = run("i686", "expect verify\n");
        assertEquals("  1  expect verify  -> every layer's invariants hold", r.line(1));
    }

    @Test
    void anEmptyScenarioPasses() {
        assertCounts(run("i686", "# nothing\n"), 0, 0, 0);
    }
}
