package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pvm.kernel.KernelOptions;

/** {@code inject ENOMEM [always] after N}, {@code inject off} and {@link Sweep}. */
class InjectTest {

    @Test
    void injectParsesAndNamesWhatCouldStandThere() {
        Statement s = Scenarios.parse("t", "inject ENOMEM always after 3\n").statements().getFirst().statement();
        assertTrue(s instanceof Statement.Inject i && i.always() && i.after().isPresent(), s::toString);
        assertEquals(new Statement.Inject(Optional.empty(), false),
                Scenarios.parse("t", "inject off\n").statements().getFirst().statement());
        var bad = ScenarioParser.parse(java.nio.file.Path.of("t.pvm"), "inject EINVAL after 1\n");
        assertEquals("t.pvm:1:8: expected 'ENOMEM' (the failure to inject) or 'off', found 'EINVAL'", bad.getLeft().getFirst().text());
    }

    @Test
    void theAllocationAfterNFailsOnceAndNothingIsLeftBehind() {
        var ran = Scenarios.run("i686", """
                spawn p
                mark m
                inject ENOMEM after 0
                expect p mmap 0 1P rw private,anon -> ENOMEM
                expect unchanged m
                expect p mmap 0 1P rw private,anon -> ok
                inject ENOMEM always after 0
                expect p mmap 0 1P r private,anon -> ENOMEM
                expect p mmap 0 1P rx private,anon -> ENOMEM
                inject off
                $a = p mmap 0 1P rw private,anon
                inject ENOMEM always after 0
                expect p store 8 $a 1 -> OOM
                inject off
                p store 8 $a 1
                expect verify
                """);
        assertEquals(0, ran.summary().failed(), ran::output);
        assertTrue(ran.line(13).endsWith("-> OOM") && ran.output().contains("kernel: vm_mapForce: ENOMEM"), ran::output);
    }

    @Test
    void aSweepFailsEachAllocationOfEachStatementInTurn() {
        Scenario s = Scenarios.parse("t", "spawn p\n$a = p mmap 0 2P rw private,anon\np store 8 $a+1P 7\nexit p\n");
        for (String arch : List.of("i686", "nommu")) {
            Sweep.Result r = Sweep.run(s, Scenarios.arch(arch), KernelOptions.DEFAULT, f -> { });
            assertTrue(r.ok(), r.summary() + r.findings());
            assertEquals(r.points(), r.clean());
            assertEquals(r.points(), r.perStatement().stream().mapToLong(Long::longValue).sum());
            assertTrue(r.summary().matches("sweep t on " + arch + ": \\d+ allocation points, \\d+ clean, 0 leaked, 0 broken"), r.summary());
        }
    }

    @Test
    void aStatementThatFailsWithoutInjectionStopsTheSweepThere() {
        Scenario s = Scenarios.parse("t", "spawn p\np munmap 0x1001 1P\nspawn q\n");
        Sweep.Result r = Sweep.run(s, Scenarios.arch("i686"), KernelOptions.DEFAULT, f -> { });
        assertTrue(r.error().isPresent() && r.error().get().startsWith("line 2 fails without injection"), r.toString());
        assertEquals(1, r.perStatement().size());
    }
}
