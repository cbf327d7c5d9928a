package pvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** Input a hostile user gives the command line: one clear line and a non-zero status, never a trace or a hang. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock("java.lang.System.in")
class HostileInputTest {

    @TempDir
    Path dir;

    @Test
    void pagesRefusesMoreRamThanTheTargetCanHave() throws IOException {
        Path trace = Files.writeString(dir.resolve("t.txt"), "alloc 4096\n");
        for (String ram : new String[] {"2048G", "0x100000000000"}) {
            Cli.Result r = Cli.run("pages", "--ram", ram, "--trace", trace.toString());
            assertEquals(2, r.status(), ram);
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("pvm: --ram is at most 4 GiB"), r.err());
        }
    }

    @Test
    void anEndlessFileIsRefusedNotReadForever() {
        Path zero = Path.of("/dev/zero");
        if (!Files.isReadable(zero)) {
            return; // not a Unix host
        }
        for (String[] args : new String[][] {{"run", "/dev/zero"}, {"pages", "--ram", "16M", "--trace", "/dev/zero"},
                {"report", "--out", dir.resolve("r").toString(), "/dev/zero"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), args[0]);
            assertEquals("pvm: cannot read /dev/zero: longer than 16 MiB, the most pvm reads (is it a scenario or a trace?)\n", r.err());
        }
    }

    @Test
    void anEndlessLineOnAPipedShellIsRefused() {
        Cli.Result r = CommandLineTest.runWithInput("spawn p\n" + "x".repeat(ShellCommand.MAX_LINE + 10), "shell");
        assertEquals(2, r.status());
        assertTrue(r.out().contains("spawn p  -> pid 1"), r.out());
        assertEquals("pvm: a line of standard input is longer than 64 KiB; is it a scenario?\n", r.err());
        assertEquals(0, CommandLineTest.runWithInput("spawn p\r\nexit p", "shell").status(), "CR LF and a last line without its end");
    }

    @Test
    void aTraceThatIsNotUtf8SaysWhere() throws IOException {
        Path trace = Files.write(dir.resolve("t.txt"), new byte[] {'a', 'l', 'l', 'o', 'c', ' ', '1', '\n', (byte) 0xff, '\n'});
        Cli.Result r = Cli.run("pages", "--ram", "16M", "--trace", trace.toString());
        assertEquals(2, r.status());
        assertEquals("pvm: cannot read " + trace + ": not UTF-8 text: byte 0xff at offset 8 (line 2) does not decode\n", r.err());
    }

    @Test
    void reportOntoDevNullIsOneLine() {
        Cli.Result r = Cli.run("report", "--out", "/dev/null");
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("pvm: cannot write into /dev/null: "), r.err());
    }

    @Test
    void theShellHonoursRequiresAndTargetAsRunDoes() {
        Cli.Result r = CommandLineTest.runWithInput("requires nommu\nspawn p\n", "shell", "--arch", "i686");
        assertEquals(0, r.status(), "a skip is no failure: " + r.out());
        assertTrue(r.out().contains("requires nommu  -> skipped on i686 (requires nommu; i686 has an MMU)"), r.out());
        assertTrue(r.out().contains("spawn p  -> not run: skipped on i686"), r.out());
        assertFalse(r.out().contains("pid"), "nothing ran: " + r.out());
    }

    @Test
    void aMisspeltTargetFailsEveryCommandThatReadsTheScenario() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.pvm"), "target riscv46\nspawn p\n");
        String expected = typo + ":1:8: expected a target (i686, nommu, riscv64), found 'riscv46' "
                + "(no target is called riscv46; did you mean riscv64?)\n";
        for (String[] args : new String[][] {{"run", typo.toString()}, {"run", "--arch", "all", typo.toString()},
                {"report", "--out", dir.resolve("r").toString(), typo.toString()}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.out());
            assertEquals(expected, r.err(), String.join(" ", args));
        }
        Cli.Result shell = CommandLineTest.runWithInput("target riscv46\n", "shell");
        assertEquals(1, shell.status(), shell.out());
        assertTrue(shell.out().contains("did you mean riscv64?"), shell.out());
    }

    @Test
    void verifyEachIsAnOptionOfRun() throws IOException {
        Path s = Files.writeString(dir.resolve("s.pvm"), "spawn p\n$a = p mmap 0 1P rw private,anon\np store 8 $a 1\nexit p\n");
        Cli.Result r = Cli.run("run", "--verify-each", "--quiet", s.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().endsWith("4 passed, 0 failed\n"), r.out());
        assertTrue(Cli.run("run", "--help").out().contains("--verify-each"));
    }
}
