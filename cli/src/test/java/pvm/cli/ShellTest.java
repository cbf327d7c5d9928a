package pvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import pvm.hal.pmap.Architectures;
import pvm.scenario.Session;
import pvm.scenario.View;

/** {@code pvm shell}: piped input, help, quit, and completion that knows where it is in a statement. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock("java.lang.System.in")
class ShellTest {

    @Test
    void pipedInputIsATranscriptThatFailsWhenAStatementFailed() {
        Cli.Result ok = CommandLineTest.runWithInput("spawn p\n$a = p mmap 0 1P rw private,anon\nshow vars\n", "shell");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().startsWith("  1  spawn p  -> pid 1\n"), "each statement once, with its result: " + ok.out());
        assertTrue(ok.out().contains("$a "), ok.out());
        Cli.Result failed = CommandLineTest.runWithInput("spawn p\np load 8 0x1000\nspawn q\n", "shell");
        assertEquals(1, failed.status(), failed.out());
        assertTrue(failed.out().contains("spawn q  -> pid"), "the shell goes on after a failure: " + failed.out());
        assertEquals(1, CommandLineTest.runWithInput("spawn P\n", "shell").status(), "a parse error fails too");
    }

    @Test
    void quitAndExitAloneLeaveButExitPIsAStatement() {
        Cli.Result r = CommandLineTest.runWithInput("spawn p\nexit p\nexit\nspawn never\n", "shell");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("exit p  -> ok"), r.out());
        assertFalse(r.out().contains("never"), r.out());
        assertFalse(CommandLineTest.runWithInput("quit\nspawn never\n", "shell").out().contains("never"));
        assertTrue(ShellCommand.leaves("  quit ") && !ShellCommand.leaves("exit p"));
    }

    @Test
    void helpNamesEveryStatementAndView() {
        Cli.Result r = CommandLineTest.runWithInput("help\n", "shell");
        assertEquals(0, r.status());
        for (View v : View.values()) {
            assertTrue(ShellHelp.VIEWS.containsKey(v), v + " has a line in help");
            assertTrue(r.out().contains("  " + v.keyword() + " "), v.keyword());
        }
        for (String keyword : Session.statementKeywords()) {
            assertTrue(r.out().contains(keyword), keyword);
        }
        for (String operation : Session.operations()) {
            assertTrue(r.out().contains(" " + operation + " "), operation);
        }
    }

    @Test
    void completionOffersTheWordsThatFitWhereTheCursorIs() {
        Session session = new Session(Architectures.named("i686").get());
        ShellCompleter c = new ShellCompleter(session);
        session.execute("spawn parent");
        session.execute("$a = parent mmap 0 1P rw private,anon");
        session.execute("mark before");
        List<String> first = c.candidates(List.of(), "");
        assertTrue(first.containsAll(List.of("spawn", "show", "parent", "help", "quit")), first::toString);
        assertEquals(Arrays.stream(View.values()).map(View::keyword).toList(), c.candidates(List.of("show"), "p"));
        assertEquals(List.of("parent"), c.candidates(List.of("show", "map"), ""));
        assertEquals(List.of("parent"), c.candidates(List.of("show", "walk", "$a"), ""));
        assertEquals(Session.operations(), c.candidates(List.of("parent"), "m"));
        assertEquals(Session.operations(), c.candidates(List.of("$b", "=", "parent"), ""));
        assertEquals(List.of("parent"), c.candidates(List.of("$b", "="), ""));
        assertEquals(List.of("$a"), c.candidates(List.of("parent", "store", "8"), "$"));
        assertTrue(c.candidates(List.of("parent", "mmap", "0", "1P"), "r").contains("rw"));
        assertTrue(c.candidates(List.of("parent", "mprotect", "$a", "1P"), "").contains("none"));
        List<String> flags = c.candidates(List.of("parent", "mmap", "0", "1P", "rw"), "private,a");
        assertTrue(flags.contains("private,anon") && !flags.contains("private,private"), flags::toString);
        assertEquals(List.of("parent"), c.candidates(List.of("fork"), ""));
        assertEquals(List.of("before"), c.candidates(List.of("expect", "unchanged"), ""));
        assertTrue(c.candidates(List.of("expect"), "").containsAll(List.of("verify", "parent", "spawn")));
        assertEquals(Session.operations(), c.candidates(List.of("expect", "parent"), ""));
        assertTrue(c.candidates(List.of("expect", "parent", "munmap", "$a", "1P", "->"), "").containsAll(List.of("ok", "SEGV", "EINVAL")));
        assertEquals(List.of(), c.candidates(List.of("spawn"), ""), "a new name is the user's to choose");
        assertEquals(List.of("stack", "heap"), c.candidates(List.of("spawn", "child"), ""));
    }
}
