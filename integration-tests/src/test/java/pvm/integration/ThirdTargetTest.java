package pvm.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;
import pvm.kernel.Machine;
import pvm.scenario.Interpreter;
import pvm.scenario.ScenarioParser;
import pvm.scenario.Summary;

/**
 * A target defined in test code only ({@code bigpc}) is discovered like the real ones and runs
 * scenarios; the whole scenario suite runs on it too (see {@link ScenarioSuiteTest}).
 */
class ThirdTargetTest {

    @Test
    void aTestOnlyTargetIsDiscoveredBesideTheRealOnes() {
        List<String> names = Architectures.discover().stream().map(Architecture::name).toList();
        assertTrue(names.containsAll(List.of("bigpc", "i686", "nommu")), names::toString);
        assertEquals(names.stream().sorted().toList(), names, "discovered targets come sorted by name");
    }

    @Test
    void itBootsWithItsOwnDefaultRamAndRunsScenarios() {
        Architecture big = Architectures.named("bigpc").get();
        Machine machine = Machine.bootDefault(big);
        assertEquals(1L << 30, machine.pages().totalBytes() + holeAndBelow(machine), "1 GiB of RAM less the PC's holes");
        String text = String.join("\n",
                "spawn p",
                "$a = p mmap 0 64M rw private,anon",
                "p fill $a 1P 7",
                "p store 32 $a+63M 0x12345678",
                "fork p q",
                "q store 8 $a 8",
                "expect p load 8 $a == 7",
                "expect q load 32 $a+63M == 0x12345678",
                "exit q",
                "exit p",
                "expect verify");
        var scenario = ScenarioParser.parse(java.nio.file.Path.of("bigpc.pvm"), text).get();
        StringBuilder out = new StringBuilder();
        Summary summary = Interpreter.run(scenario, big, false, line -> out.append(line).append('\n'));
        assertEquals(0, summary.failed(), out::toString);
        assertTrue(summary.passed() > 0);
    }

    /** The bytes of the physical address space below the top of RAM that are not RAM (the PC hole). */
    private static long holeAndBelow(Machine machine) {
        var layout = machine.hal().memory().layout();
        return layout.top() - layout.ramBytes();
    }
}
