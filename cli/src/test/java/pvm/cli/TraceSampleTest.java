package pvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** The sample trace of docs/views.md replays to the output written in its own comments. */
@ResourceLock(Resources.SYSTEM_OUT)
class TraceSampleTest {

    static final Path SAMPLE = Path.of("../examples/traces/split-and-merge.trace");

    @Test
    void theSampleTracePrintsWhatItsCommentsSay() throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE);
        // The expected output is the block of '#   ' lines at the end, each without its note in brackets.
        int from = lines.indexOf("# pvm prints the address each allocation returned, then the free lists:") + 1;
        List<String> expected = lines.subList(from, lines.size()).stream()
                .map(l -> l.substring(1).strip().replaceAll("\\s+\\(.*\\)$", "")).toList();

        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = Main.run("pages", "--ram", "1M", "--reserve", "64K", "--trace", SAMPLE.toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, status);
        assertEquals(expected, out.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
