package pvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
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

        Cli.Result r = Cli.run("pages", "--ram", "1M", "--reserve", "64K", "--trace", SAMPLE.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(expected, r.out().lines().toList());
    }
}
