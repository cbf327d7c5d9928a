package pvm.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import pvm.hal.pmap.Architecture;
import pvm.kernel.KernelOptions;
import pvm.scenario.Comments;
import pvm.scenario.Interpreter;
import pvm.scenario.Scenario;
import pvm.scenario.ScenarioParser;
import pvm.scenario.Summary;

/**
 * Every scenario of {@code examples/} and of this module's suite ({@code src/test/scenarios}) on
 * every discovered target: one container per target, one test per scenario. A scenario a target
 * cannot run ({@code requires mmu}, {@code target ...}) is reported as skipped, with its reason.
 * Every layer's invariant checker runs after every statement ({@code pvm run --verify-each}).
 */
class ScenarioSuiteTest {

    /** Where the scenarios are, relative to this module (Surefire runs in the module's folder). */
    static final List<Path> FOLDERS = List.of(Path.of("../examples"), Path.of("src/test/scenarios"));

    @TestFactory
    Stream<DynamicNode> everyScenarioOnEveryTarget() throws IOException {
        List<Path> files = scenarioFiles();
        assertFalse(files.isEmpty(), "no scenarios found in " + FOLDERS);
        return Targets.selected().map(arch -> DynamicContainer.dynamicContainer(arch.name(),
                files.stream().map(file -> DynamicTest.dynamicTest(Scenario.nameOf(file), file.toUri(), () -> run(file, arch)))));
    }

    static List<Path> scenarioFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : FOLDERS) {
            try (Stream<Path> found = Files.list(folder)) {
                found.filter(p -> p.toString().endsWith(".pvm")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static void run(Path file, Architecture arch) throws IOException {
        var parsed = ScenarioParser.parse(file, Files.readString(file));
        if (parsed.isLeft()) {
            fail(parsed.getLeft().stream().map(Object::toString).reduce((a, b) -> a + "\n" + b).orElse("parse error"));
        }
        StringBuilder output = new StringBuilder();
        Summary summary = Interpreter.run(parsed.get(), arch, false, true, KernelOptions.DEFAULT, false, Comments.NONE,
                line -> output.append(line).append('\n'));
        Assumptions.assumeTrue(summary.skipReason().isEmpty(),
                () -> "skipped on " + arch.name() + ": " + summary.skipReason().orElse(""));
        assertEquals(0, summary.failed(), () -> summary.line() + "\n" + output);
    }
}
