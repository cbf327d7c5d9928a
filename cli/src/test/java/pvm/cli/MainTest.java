package pvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pvm.cli.Cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import pvm.cli.Cli.Result;

/** The {@code pvm} command end to end: output and exit statuses as users see them. */
@ResourceLock(Resources.SYSTEM_OUT)
class MainTest {

    @Test
    void archsListsBothTargets() {
        Result r = run("archs");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("i686") && r.out().contains("nommu"), r.out());
    }

    @Test
    void bootPrintsPhoenixsLinesAndRefusesBadArguments() {
        Result ok = run("boot", "--arch", "nommu");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().contains("vm: Initializing page allocator"), ok.out());
        Result badArch = run("boot", "--arch", "sparc");
        assertEquals(2, badArch.status());
        assertEquals(1, badArch.err().lines().count(), "one clear line: " + badArch.err());
        Result badRam = run("boot", "--ram", "3M");
        assertEquals(2, badRam.status());
        assertTrue(badRam.err().contains("4 MiB"), badRam.err());
    }

    @Test
    void pagesReplaysATraceAddressForAddress(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("trace.txt");
        Files.writeString(trace, "# two pages, then a 2 MiB block\nalloc 4K\nalloc 4K\nalloc 2M\nfree 0\n");
        Result r = run("pages", "--ram", "128M", "--reserve", "2M", "--trace", trace.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("0x00200000\n0x00201000\n0x00400000\n"), r.out());
        Files.writeString(trace, "free 3\n");
        assertEquals(2, run("pages", "--ram", "128M", "--trace", trace.toString()).status());
    }

    @Test
    void runReportsSummariesAndExitStatuses(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.pvm");
        Files.writeString(good, "spawn p\n$a = p mmap 0 1P rw private,anon\np store 8 $a 1\nexpect p load 8 $a == 1\n");
        Result ok = run("run", "--arch", "all", good.toString());
        assertEquals(0, ok.status(), ok.out());
        assertTrue(ok.out().contains("scenario good on i686: 4 passed, 0 failed, 0 skipped"), ok.out());
        int targets = pvm.hal.pmap.Architectures.discover().size();
        assertTrue(ok.out().lines().anyMatch(l -> l.equals(4 * targets + " passed, 0 failed")), ok.out());
        Path bad = dir.resolve("bad.pvm");
        Files.writeString(bad, "spawn p\nexpect p load 8 0x1000 == 1\n");
        assertEquals(1, run("run", bad.toString()).status());
        Path broken = dir.resolve("broken.pvm");
        Files.writeString(broken, "spawn P\n");
        Result parse = run("run", broken.toString());
        assertEquals(2, parse.status());
        assertTrue(parse.err().contains("broken.pvm:1:7"), parse.err());
    }

    @Test
    void reportWritesPicturesAndText(@TempDir Path dir) throws IOException {
        Path scenario = dir.resolve("s.pvm");
        Files.writeString(scenario, "spawn p\n$a = p mmap 0 4P rw private,anon\np fill $a 4P 1\n");
        Result r = run("report", "--out", dir.resolve("out").toString(), scenario.toString());
        assertEquals(0, r.status(), r.err());
        String pages = Files.readString(dir.resolve("out/pages.svg"));
        assertTrue(pages.startsWith("<svg") && pages.contains(PageMapSvg.colour('A')), "application pages are drawn");
        assertTrue(Files.readString(dir.resolve("out/maps.svg")).contains(">p</text>"));
        assertTrue(Files.readString(dir.resolve("out/report.txt")).contains("invariants: ok"));
    }
}
