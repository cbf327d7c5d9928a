package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.PageFlags;
import pvm.hal.pmap.PageFrames;
import pvm.kernel.Machine;

/** {@code pvm run --verify-each}: every checker after every statement, the failure pinned on the statement after which one fails. */
class VerifyEachTest {

    private static final String SCENARIO = "spawn p\n$a = p mmap 0 2P rw private,anon\np store 8 $a 1\nspawn q\nexit q\n";

    /** Runs {@link #SCENARIO}, breaking the buddy allocator's free lists behind the kernel's back once line {@code breakAfter} printed. */
    private static Scenarios.Ran run(String arch, boolean verifyEach, int breakAfter) {
        Machine machine = Machine.bootDefault(Scenarios.arch(arch));
        List<String> lines = new ArrayList<>();
        String prefix = String.format("%3d  ", breakAfter);
        Summary summary = Interpreter.run(Scenarios.parse("t", SCENARIO), new ScenarioRun(machine), false, verifyEach, line -> {
            lines.add(line);
            if (line.startsWith(prefix)) {
                // A free block's head frame marked allocated while it stays on its free list.
                PageFrames frames = machine.pages().frames();
                frames.markAllocated(frames.find(machine.pages().freeBlocks().getLast().addr()), 1, PageFlags.OWNER_APP);
            }
        });
        return new Scenarios.Ran(summary, lines);
    }

    @Test
    void theFirstStatementAfterWhichACheckerFailsIsTheFailure() {
        for (String arch : List.of("i686", "nommu")) {
            Scenarios.Ran ran = run(arch, true, 3);
            assertEquals(3, ran.summary().passed(), ran.output());
            assertEquals(1, ran.summary().failed(), ran.output());
            String failed = ran.line(4);
            assertTrue(failed.startsWith("  4  spawn q  -> FAILED: --verify-each: ") && failed.contains("invariant violation")
                    && failed.endsWith("after this statement (its result: pid 2)"), failed);
            assertTrue(ran.lines().get(ran.lines().indexOf(failed) + 1).startsWith("       page: "), ran.output());
            assertTrue(ran.output().contains("stopped at the first failure: 1 statement not run"), ran.output());
        }
    }

    @Test
    void withoutItTheSameBreakGoesUnseen() {
        Scenarios.Ran ran = run("i686", false, 3);
        assertEquals(5, ran.summary().passed(), ran.output());
    }

    @Test
    void aSoundRunPassesEveryCheckAfterEveryStatement() {
        Scenarios.Ran ran = run("i686", true, 0);
        assertEquals(5, ran.summary().passed(), ran.output());
    }
}
