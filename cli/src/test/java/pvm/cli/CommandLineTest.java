package pvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import picocli.CommandLine;

/** The command line as users type it: help, typos, completion, standard input, errors without stack traces. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock("java.lang.System.in")
class CommandLineTest {

    static final List<String> SUBCOMMANDS = List.of("demo", "run", "shell", "boot", "archs", "pages", "report", "test", "completion");

    /** {@link Cli#run} with {@code input} on standard input. */
    static Cli.Result runWithInput(String input, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return Cli.run(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void everySubcommandTakesHelpAndTheTopLevelListsThemAll() {
        for (String command : SUBCOMMANDS) {
            Cli.Result r = Cli.run(command, "--help");
            assertEquals(0, r.status(), command + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: pvm " + command), r.out());
        }
        Cli.Result top = Cli.run("--help");
        for (String command : SUBCOMMANDS) {
            assertTrue(top.out().contains("\n  " + command + " "), command + " in " + top.out());
        }
        Cli.Result bare = Cli.run();
        assertEquals(0, bare.status());
        assertTrue(bare.out().startsWith("Usage: pvm"), "pvm alone prints the usage: " + bare.out());
    }

    @Test
    void aTypoGetsOneLineWithASuggestion() {
        Cli.Result command = Cli.run("rnu", "x.pvm");
        assertEquals(2, command.status());
        assertEquals("pvm: unknown command 'rnu'; did you mean run? (pvm --help lists them)\n", command.err());
        Cli.Result option = Cli.run("run", "--keepgoing", "x.pvm");
        assertEquals(2, option.status());
        assertTrue(option.err().contains("did you mean --keep-going?"), option.err());
        assertEquals(1, option.err().lines().count(), option.err());
        assertEquals(1, pvm.hal.pmap.Spelling.distance("shel", "shell"));
        assertEquals(1, pvm.hal.pmap.Spelling.distance("rnu", "run"));
    }

    @Test
    void testIsRunByTheScriptAndSaysSo() {
        Cli.Result r = Cli.run("test");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bin/pvm test"), r.err());
    }

    @Test
    void completionScriptsComeFromTheCommandsThemselves() {
        Cli.Result bash = Cli.run("completion", "bash");
        assertEquals(0, bash.status(), bash.err());
        assertTrue(bash.out().contains("complete -F _complete_pvm") && bash.out().contains("--keep-going"), "options are in the script");
        for (String command : SUBCOMMANDS) {
            assertTrue(bash.out().contains(command), command);
        }
        Cli.Result zsh = Cli.run("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit"), zsh.out().lines().findFirst().orElse(""));
        assertTrue(zsh.out().endsWith(bash.out()), "the same script, behind zsh's bash compatibility");
        assertEquals(2, Cli.run("completion", "fish").status());
    }

    @Test
    void runReadsStandardInputAndExplainsWhenAsked(@TempDir Path dir) throws IOException {
        Cli.Result stdin = runWithInput("spawn p\nexpect p load 8 0x1000 == 1\n", "run", "-");
        assertEquals(1, stdin.status());
        assertTrue(stdin.out().contains("scenario stdin on i686: 1 passed, 1 failed, 0 skipped"), stdin.out());
        Path lesson = dir.resolve("lesson.pvm");
        Files.writeString(lesson, "# Why we spawn.\nspawn p\n");
        Cli.Result explained = Cli.run("run", "--explain", lesson.toString());
        assertTrue(explained.out().contains("# Why we spawn.\n  2  spawn p  -> pid 1\n"), explained.out());
        assertFalse(Cli.run("run", lesson.toString()).out().contains("# Why"));
    }

    @Test
    void runAllPrintsATotalPerTarget(@TempDir Path dir) throws IOException {
        Path s = dir.resolve("s.pvm");
        Files.writeString(s, "requires mmu\nspawn p\n");
        Cli.Result r = Cli.run("run", "--arch", "all", "--quiet", s.toString());
        for (var arch : pvm.hal.pmap.Architectures.discover()) {
            String expected = arch.hasMmu() ? "on " + arch.name() + ": 1 passed, 0 failed, 0 skipped"
                    : "on " + arch.name() + ": 0 passed, 0 failed, 1 skipped";
            assertTrue(r.out().lines().anyMatch(expected::equals), expected + " in " + r.out());
        }
    }

    @Test
    void cannotReadIsSaidOneWayByEveryCommand(@TempDir Path dir) {
        Path missing = dir.resolve("missing.txt");
        for (String[] args : List.of(new String[] {"run", missing.toString()}, new String[] {"report", "--out",
                dir.resolve("r").toString(), missing.toString()}, new String[] {"pages", "--ram", "16M", "--trace", missing.toString()})) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), args[0]);
            assertEquals("pvm: cannot read " + missing + ": no such file\n", r.err(), args[0]);
        }
    }

    @Test
    void reportOntoAFileOrAnUnwritableFolderIsOneLineNotAStackTrace(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Cli.Result onFile = Cli.run("report", "--out", file.toString());
        assertEquals(2, onFile.status());
        assertEquals("pvm: cannot write into " + file + ": " + file + " exists and is not a folder\n", onFile.err());
        Path inside = file.resolve("sub");
        Cli.Result under = Cli.run("report", "--out", inside.toString());
        assertEquals(2, under.status());
        assertEquals(1, under.err().lines().count(), under.err());
        assertTrue(under.err().startsWith("pvm: cannot write into " + inside + ": "), under.err());
    }

    @Test
    void anUnexpectedExceptionIsOneLine() {
        @CommandLine.Command(name = "boom")
        class Boom implements Runnable {
            @Override
            public void run() {
                throw new IllegalStateException("it broke");
            }
        }
        var err = new java.io.ByteArrayOutputStream();
        var old = System.err;
        try {
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine line = new CommandLine(new Boom()).setExecutionExceptionHandler(Main::oneLine);
            assertEquals(2, line.execute());
        } finally {
            System.setErr(old);
        }
        assertEquals("pvm: it broke\n", err.toString(StandardCharsets.UTF_8));
    }
}
