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

/** {@code --phoenix}, {@code --policy} and {@code pages --coalescing}, as a user types them. */
@ResourceLock(Resources.SYSTEM_OUT)
class PolicyOptionsTest {

    @Test
    void bootWithPhoenixNamesEveryPolicyItChanged() {
        Result r = run("boot", "--phoenix");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("pvm: policies coalescing=phoenix zones=phoenix zeropage=fresh paging=eager commit=none protnone=present\n"), r.out());
        Result one = run("boot", "--policy", "zones=phoenix");
        assertTrue(one.out().contains("pvm: policies coalescing=complete zones=phoenix zeropage=fresh paging=lazy commit=none protnone=not-present\n"), one.out());
        assertTrue(!run("boot").out().contains("pvm: policies"), "pvm's defaults need no line");
    }

    @Test
    void aBadPolicyIsOneLineAndStatusTwo() {
        Result unknown = run("boot", "--policy", "colaescing=phoenix");
        assertEquals(2, unknown.status());
        assertEquals("pvm: bad --policy colaescing=phoenix: no policy 'colaescing'; the policies are coalescing, zones, zeropage, paging, commit, protnone\n",
                unknown.err());
        Result value = run("run", "--policy", "zones=sometimes", "x.pvm");
        assertEquals(2, value.status());
        assertTrue(value.err().startsWith("pvm: bad --policy zones=sometimes: policy zones is one of phoenix, keep-one-empty"), value.err());
    }

    @Test
    void runAppliesTheCommandLinesPoliciesThenTheHeaders(@TempDir Path dir) throws IOException {
        Path s = dir.resolve("protnone.pvm");
        Files.writeString(s, """
                target i686
                spawn p
                $a = p mmap 0 1P rw private,anon
                p store 8 $a 7
                p mprotect $a 1P none
                expect p load 8 $a == 7
                """);
        assertEquals(1, run("run", s.toString()).status(), "pvm's PROT_NONE page faults");
        assertEquals(0, run("run", "--phoenix", s.toString()).status(), "Phoenix's stays readable");
        assertEquals(0, run("run", "--policy", "protnone=present", s.toString()).status());
        Files.writeString(s, Files.readString(s).replace("target i686\n", "target i686\nboot protnone=not-present\n"));
        assertEquals(1, run("run", "--phoenix", s.toString()).status(), "the header's choice comes last");
    }

    /** Freeing a 16 KiB block's pages in order 0..3: Phoenix's merge stops early, so the next 16 KiB comes from further up. */
    @Test
    void pagesReplaysEitherMergeRule(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("t.trace");
        Files.writeString(trace, "alloc 4K\nalloc 4K\nalloc 4K\nalloc 4K\nfree 0\nfree 1\nfree 2\nfree 3\nalloc 16K\n");
        Result complete = run("pages", "--ram", "64K", "--trace", trace.toString());
        assertEquals("0x00000000\n0x00001000\n0x00002000\n0x00003000\n0x00000000\n"
                + "bank    4K    8K   16K   32K   64K\n"
                + "ram      0     0     1     1     0\n", complete.out());
        Result phoenix = run("pages", "--ram", "64K", "--trace", trace.toString(), "--coalescing", "phoenix");
        assertEquals("0x00000000\n0x00001000\n0x00002000\n0x00003000\n0x00004000\n"
                + "bank    4K    8K   16K   32K   64K\n"
                + "ram      0     2     0     1     0\n", phoenix.out());
        Result bad = run("pages", "--ram", "64K", "--trace", trace.toString(), "--coalescing", "sometimes");
        assertEquals(2, bad.status());
        assertEquals("pvm: --coalescing is one of complete, phoenix, not 'sometimes'\n", bad.err());
    }
}
