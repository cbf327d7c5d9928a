package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pvm run}: summaries, the total, quiet output and the exit statuses. */
class ScenarioRunnerTest {

    @TempDir
    Path dir;

    record Result(int status, List<String> out, String err) {
    }

    Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static Result run(List<Path> files, String arch, boolean keepGoing, boolean quiet) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = new ScenarioRunner().run(files, arch, keepGoing, quiet,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPassingScenarioExitsZeroWithItsSummaryAndTheTotal() throws IOException {
        Result r = run(List.of(file("fork_cow.pvm", ScenarioParserTest.EXAMPLE)), "i686", false, false);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("scenario fork_cow on i686: 13 passed, 0 failed, 0 skipped"), r.out()::toString);
        assertEquals("13 passed, 0 failed", r.out().getLast());
        assertTrue(r.out().stream().anyMatch(l -> l.startsWith("  3  spawn parent  -> ")), r.out()::toString);
        assertEquals("", r.err());
    }

    @Test
    void quietPrintsOnlySummariesAndTheTotal() throws IOException {
        Path a = file("a.pvm", ScenarioParserTest.EXAMPLE);
        Path b = file("b.pvm", "spawn p\nexpect fork p q -> ENOSYS\n");
        Result r = run(List.of(a, b), "all", false, true);
        assertEquals(List.of(
                "scenario a on i686: 13 passed, 0 failed, 0 skipped",
                "scenario a on nommu: 0 passed, 0 failed, 13 skipped",
                "scenario b on i686: 1 passed, 1 failed, 0 skipped",
                "scenario b on nommu: 2 passed, 0 failed, 0 skipped",
                "on i686: 14 passed, 1 failed, 0 skipped",
                "on nommu: 2 passed, 0 failed, 13 skipped",
                "16 passed, 1 failed"), r.out());
        assertEquals(1, r.status());
    }

    @Test
    void keepGoingRunsPastAFailure() throws IOException {
        Path f = file("k.pvm", "spawn p\np munmap 0 0\nspawn q\n");
        assertEquals(List.of("scenario k on i686: 1 passed, 1 failed, 1 skipped", "1 passed, 1 failed"),
                run(List.of(f), "i686", false, true).out());
        assertEquals(List.of("scenario k on i686: 2 passed, 1 failed, 0 skipped", "2 passed, 1 failed"),
                run(List.of(f), "i686", true, true).out());
    }

    @Test
    void parseErrorsExitTwoAndNothingRuns() throws IOException {
        Path good = file("good.pvm", "spawn p\n");
        Path bad = file("bad.pvm", "spawn p\nfork p\nexit   P\n");
        Result r = run(List.of(good, bad), "i686", false, false);
        assertEquals(2, r.status());
        assertEquals(List.of(), r.out(), "nothing runs when a file does not parse");
        assertEquals(bad + ":2:7: expected a name for the child process, found end of line\n"
                + bad + ":3:8: expected a process name, found 'P' (names are lower case letters, digits and _, starting with a letter)\n",
                r.err());
    }

    @Test
    void explainPrintsEachCommentBlockBeforeTheStatementsItPrecedes() throws IOException {
        Path lesson = file("lesson.pvm", "# A lesson.\n#\n# Why it matters.\nrequires mmu\nspawn p\n\n"
                + "# Now a page.\n$a = p mmap 0 1P rw private,anon  # not a block\nexit p\n# The end.\n");
        var out = new ByteArrayOutputStream();
        int status = new ScenarioRunner().explain(true).run(List.of(lesson), "i686", false, false,
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        int intro = lines.indexOf("# Why it matters.");
        int now = lines.indexOf("# Now a page.");
        assertTrue(intro > 0 && lines.get(intro + 1).startsWith("  5  spawn p"), lines::toString);
        assertTrue(now > intro && lines.get(now + 1).startsWith("  8  $a = p mmap"), lines::toString);
        assertEquals("# The end.", lines.get(lines.indexOf("  9  exit p  -> ok") + 1));
        assertTrue(lines.stream().noneMatch(l -> l.equals("# not a block")), "a comment after a statement stays with it");
        assertTrue(run(List.of(lesson), "i686", false, false).out().stream().noneMatch(l -> l.startsWith("#")),
                "without --explain no comment is printed");
    }

    @Test
    void aDashReadsTheScenarioFromStandardInput() {
        var oldIn = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("spawn p\nexit p\n".getBytes(StandardCharsets.UTF_8)));
            Result r = run(List.of(Path.of(ScenarioRunner.STDIN)), "i686", false, true);
            assertEquals(0, r.status(), r.err());
            assertEquals(List.of("scenario stdin on i686: 2 passed, 0 failed, 0 skipped", "2 passed, 0 failed"), r.out());
        } finally {
            System.setIn(oldIn);
        }
    }

    @Test
    void unreadableFilesAndUnknownArchitecturesExitTwo() throws IOException {
        Path missing = dir.resolve("missing.pvm");
        Result r = run(List.of(missing), "i686", false, false);
        assertEquals(2, r.status());
        assertEquals("pvm: cannot read " + missing + ": no such file\n", r.err());
        Result arch = run(List.of(file("a.pvm", "spawn p\n")), "sparc", false, false);
        assertEquals(2, arch.status());
        assertTrue(arch.err().contains("unknown architecture 'sparc'; known: i686, nommu"), arch.err());
    }

    @Test
    void aDirectoryStandsForItsScenarioFiles() throws IOException {
        file("b.pvm", "spawn p\n");
        file("a.pvm", "spawn p\nspawn q\n");
        file("notes.txt", "not a scenario");
        Result r = run(List.of(dir), "nommu", false, true);
        assertEquals(List.of("scenario a on nommu: 2 passed, 0 failed, 0 skipped",
                "scenario b on nommu: 1 passed, 0 failed, 0 skipped", "3 passed, 0 failed"), r.out());
    }

    @Test
    void noFilesIsANothingThatPassed() {
        Result r = run(List.of(), "i686", false, false);
        assertEquals(0, r.status());
        assertEquals(List.of("0 passed, 0 failed"), r.out());
    }
}
