package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole files: the example of docs/scenario-language.md, header placement, every error reported. */
class ScenarioParserTest {

    static final String EXAMPLE = """
            # fork and copy-on-write, after phoenix-rtos-tests mem/test_mprotect.c
            requires mmu
            spawn parent
            $a = parent mmap 0 1P rw private,anon
            parent store 8 $a 0x42
            parent mprotect $a 1P r
            fork parent child
            parent mprotect $a 1P rw
            parent store 8 $a 0x41
            expect child load 8 $a == 0x42
            expect parent load 8 $a == 0x41
            expect child store 8 $a 1 -> SEGV
            exit child
            expect parent munmap $a 1P -> ok
            expect verify
            """;

    static Scenario parse(String path, String text) {
        var r = ScenarioParser.parse(Path.of(path), text);
        assertTrue(r.isRight(), () -> "did not parse: " + r.getLeft());
        return r.get();
    }

    static List<String> errors(String text) {
        var r = ScenarioParser.parse(Path.of("dir/e.pvm"), text);
        assertTrue(r.isLeft(), "parsed");
        return r.getLeft().stream().map(ParseError::text).toList();
    }

    @Test
    void theExampleOfTheContract() {
        Scenario s = parse("scenarios/fork_cow.pvm", EXAMPLE);
        assertEquals("fork_cow", s.name());
        assertEquals(Path.of("scenarios/fork_cow.pvm"), s.path());
        assertEquals(Optional.of(Requirement.MMU), s.header().requires());
        assertTrue(s.header().target().isEmpty());
        assertTrue(s.header().boot().isEmpty());
        assertEquals(1, s.header().lines().size());
        assertEquals(13, s.statements().size());
        Line first = s.statements().getFirst();
        assertEquals(3, first.number());
        assertEquals("spawn parent", first.text());
        assertEquals(15, s.statements().getLast().number());
        assertInstanceOf(Statement.ExpectVerify.class, s.statements().getLast().statement());
    }

    @Test
    void headersMayComeInAnyOrderBeforeTheBody() {
        Scenario s = parse("h.pvm", "# c\n\nboot ram=16M\ntarget nommu\nrequires nommu\nspawn p\n");
        assertEquals(Optional.of("nommu"), s.header().target());
        assertEquals(Optional.of(Requirement.NOMMU), s.header().requires());
        assertEquals(3, s.header().boot().orElseThrow().number());
        assertEquals(16L << 20, s.header().bootStatement().ram().orElseThrow().constant().getAsLong());
        assertEquals(1, s.statements().size());
    }

    @Test
    void anEmptyFileIsAnEmptyScenario() {
        Scenario s = parse("empty", "");
        assertEquals("empty", s.name());
        assertEquals(Header.NONE, s.header());
        assertTrue(s.statements().isEmpty());
        assertTrue(s.header().bootStatement().ram().isEmpty());
    }

    @Test
    void aHeaderAfterTheBodyIsAnError() {
        assertEquals(List.of("dir/e.pvm:3:3: expected a statement other than a header (requires, target and boot come "
                + "before the first other statement, on line 2), found 'boot'"),
                errors("requires mmu\nspawn p\n  boot ram=1M\n"));
    }

    @Test
    void aHeaderGivenTwiceIsAnError() {
        assertEquals(List.of("dir/e.pvm:2:1: expected each header statement once, found a second 'requires' "
                + "(the first is on line 1)"), errors("requires mmu\nrequires nommu\n"));
        assertEquals(List.of("dir/e.pvm:3:1: expected each header statement once, found a second 'boot' "
                + "(the first is on line 1)"), errors("boot\ntarget i686\nboot cpus=2\n"));
    }

    @Test
    void everyBadLineIsReportedInOrder() {
        assertEquals(List.of(
                "dir/e.pvm:1:6: expected a process name, found end of line",
                "dir/e.pvm:3:10: expected end of line, found 'x'",
                "dir/e.pvm:4:1: expected a statement other than a header (requires, target and boot come before the "
                        + "first other statement, on line 2), found 'target'"),
                errors("spawn\nspawn p\nexit p   x\ntarget i686\n"));
    }

    @Test
    void lineEndingsOfEveryKindCountLines() {
        assertEquals(List.of("dir/e.pvm:3:6: expected a process name, found end of line"),
                errors("spawn p\r\nspawn q\r\nspawn\r\n"));
    }

    @Test
    void skipReasons() {
        Header mmu = parse("a", "requires mmu\n").header();
        assertEquals(Optional.empty(), mmu.skipReason("i686", true));
        assertEquals(Optional.of("requires mmu; nommu has no MMU"), mmu.skipReason("nommu", false));
        Header nommu = parse("a", "requires nommu\n").header();
        assertEquals(Optional.of("requires nommu; i686 has an MMU"), nommu.skipReason("i686", true));
        Header target = parse("a", "target nommu\n").header();
        assertEquals(Optional.of("target nommu only"), target.skipReason("i686", true));
        assertEquals(Optional.empty(), target.skipReason("nommu", false));
    }

    @Test
    void scenarioNames() {
        assertEquals("cow", Scenario.nameOf(Path.of("/x/y/cow.pvm")));
        assertEquals("notes.txt", Scenario.nameOf(Path.of("notes.txt")));
    }
}
