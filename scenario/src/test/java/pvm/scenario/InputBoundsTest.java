package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input gets one clear line and a status, never a dead JVM: long, endless, non-UTF-8 and huge. */
class InputBoundsTest {

    @TempDir
    Path dir;

    private static String runFiles(int expectedStatus, Path... files) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = new ScenarioRunner().run(List.of(files), "i686", false, true,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedStatus, status, out + "\n" + err);
        return err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anEndlessInputIsRefusedAfterTheMostPvmReads() throws IOException {
        InputStream zeros = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        var r = TextFile.read(zeros, "/dev/zero");
        assertEquals("pvm: cannot read /dev/zero: longer than 16 MiB, the most pvm reads (is it a scenario or a trace?)", r.getLeft());
    }

    @Test
    void textThatIsNotUtf8NamesTheByteItsOffsetAndLine() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.pvm"), "spawn p\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("pvm: cannot read " + latin1 + ": not UTF-8 text: byte 0xe9 at offset 13 (line 2) does not decode\n",
                runFiles(ScenarioRunner.BAD_INPUT, latin1));
    }

    @Test
    void aByteOrderMarkIsSkippedInAFileAndInTheShell() throws IOException {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        Path marked = dir.resolve("marked.pvm");
        Files.write(marked, bom);
        Files.writeString(marked, "spawn p\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals("1 passed, 0 failed", runFiles(ScenarioRunner.OK, marked).lines().toList().getLast());

        Session shell = new Session(Scenarios.arch("i686"));
        shell.execute("\uFEFFspawn p");
        assertTrue(!shell.lastFailed() && shell.processNames().contains("p"), "the shell skips it on its first line");
    }

    @Test
    void aSumOfTenThousandTermsRuns() {
        var ran = Scenarios.run("i686", "spawn p\n$a = p mmap 0 " + "1+".repeat(9_999) + "1 rw private,anon\np store 8 $a+1P-1 7\n");
        assertEquals(3, ran.summary().passed(), ran.output());
    }

    @Test
    void filesOfGigabytesCostNoHeap() {
        // Eight files of almost 2 GiB: 16 GiB if held on the heap (once 32, held twice).
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            text.append("file f").append(i).append(" 2047M").append(i % 2 == 0 ? "\n" : " fill 0x5a\n");
        }
        text.append("spawn p\n")
                .append("$a = p mmap 0 2P r private file f0 2047M-2P\n").append("p checkfile $a 2P f0 2047M-2P\n")
                .append("$b = p mmap 0 1P r private file f1 1G\n").append("p check $b 1P 0x5a\n").append("p checkfile $b 1P f1 1G\n")
                .append("expect p checkfile $a 1P f1 0 -> ok\n");
        text.append("file biggest 2G\n").append("file too_big 2G+1\n");
        var ran = Scenarios.run("i686", text.toString(), true);
        assertEquals("2 GiB of pattern", ran.line(16).substring(ran.line(16).indexOf("-> ") + 3));
        assertTrue(ran.line(17).endsWith("FAILED: file size 2147483649 is out of range (0 to 2 GiB)"), ran.output());
        assertEquals(2, ran.summary().failed(), ran.output());
        assertTrue(ran.line(15).contains("FAILED: byte at ") && ran.line(15).contains("file f1 has 0x5a at offset 0x0"), ran.output());
        assertEquals(15, ran.summary().passed(), ran.output());
    }

    @Test
    void aMisspeltTargetStopsTheRunInsteadOfSkippingEverywhere() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.pvm"), "target i868\nspawn p\n");
        String said = runFiles(ScenarioRunner.BAD_INPUT, typo);
        assertTrue(said.startsWith(typo + ":1:8: expected a target (i686, nommu"), said);
        assertTrue(said.contains("found 'i868' (no target is called i868; did you mean i686?)"), said);
    }
}
