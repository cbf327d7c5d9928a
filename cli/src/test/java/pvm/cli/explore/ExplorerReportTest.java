package pvm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pvm.cli.Cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import pvm.cli.Cli.Result;

/** {@code pvm report}'s explorer page, without a browser: what it is written from and when it is not written. */
@ResourceLock(Resources.SYSTEM_OUT)
class ExplorerReportTest {

    @TempDir
    Path dir;

    private Path scenario(String text) throws IOException {
        Path file = dir.resolve("lesson.pvm");
        Files.writeString(file, text);
        return file;
    }

    private static int count(String haystack, String needle) {
        return (int) Pattern.compile(Pattern.quote(needle)).matcher(haystack).results().count();
    }

    @Test
    void aScenarioThatDoesNotParseGetsItsErrorsAndStatusTwoAndNoPage() throws IOException {
        Path file = scenario("spawn p\np mmap 0 1P rw privat,anon\np store 8 0x1000\n");
        Path out = dir.resolve("out");
        Result r = run("report", "--out", out.toString(), file.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("lesson.pvm:2:"), r.err());
        assertTrue(r.err().contains("lesson.pvm:3:"), "every error, as pvm run prints them: " + r.err());
        assertFalse(Files.exists(out.resolve(ExplorerPage.FILE_NAME)));
    }

    @Test
    void thePageHoldsOneStepPerStatementAfterTheBootAndStandsAlone() throws IOException {
        Path file = scenario("""
                # a comment </script><script>alert(1)</script>
                spawn p
                $a = p mmap 0 2P rw private,anon
                p store 8 $a 1
                expect p load 8 $a == 1
                """);
        for (String arch : new String[] {"i686", "nommu"}) {
            Path out = dir.resolve(arch);
            Result r = run("report", "--arch", arch, "--out", out.toString(), file.toString());
            assertEquals(0, r.status(), r.err() + r.out());
            String page = Files.readString(out.resolve(ExplorerPage.FILE_NAME));
            assertEquals(5, count(page, "\"frames\":"), arch + ": the boot and four statements");
            assertEquals(0, count(page, "</script><script>alert"), arch + ": the scenario's text cannot end the data early");
            assertEquals(1, count(page, "\\u003c/script\\u003e\\u003cscript\\u003ealert"), arch + ": it is there, escaped");
            assertFalse(page.contains("http://") || page.contains("https://") || page.contains("src="), "no network, nothing loaded");
            assertTrue(page.contains("\"walk\":{\"process\":\"p\""), arch + ": the store's address is walked");
            assertTrue(page.contains("\"stats\":{\"virtual\":"), arch + ": each process's address-space figures (show stats)");
        }
    }

    @Test
    void aFailedStatementIsRecordedAndTheRestStillRuns() throws IOException {
        Path file = scenario("spawn p\np store 8 0x1000 1\nspawn q\n");
        Result r = run("report", "--out", dir.resolve("out").toString(), file.toString());
        assertEquals(1, r.status());
        String page = Files.readString(dir.resolve("out").resolve(ExplorerPage.FILE_NAME));
        assertTrue(page.contains("\"passed\":false"), page.substring(0, 200));
        assertEquals(4, count(page, "\"frames\":"), "the statement after the failure is recorded too");
    }

    @Test
    void aScenarioTheTargetDoesNotRunIsSkippedAsPvmRunSkipsIt() throws IOException {
        Path file = scenario("requires mmu\nspawn p\nfork p q\n");
        Result r = run("report", "--arch", "nommu", "--out", dir.resolve("out").toString(), file.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("skipped on nommu"), r.out());
        String page = Files.readString(dir.resolve("out").resolve(ExplorerPage.FILE_NAME));
        assertEquals(1, count(page, "\"frames\":"), "only the booted machine");
    }
}
