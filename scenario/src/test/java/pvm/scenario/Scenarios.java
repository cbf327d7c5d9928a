package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pvm.hal.pmap.Architecture;
import pvm.hal.pmap.Architectures;

/** Test helpers: targets by name, and scenarios run from text with their printed lines kept. */
final class Scenarios {

    private Scenarios() {
    }

    static Architecture arch(String name) {
        return Architectures.named(name).getOrElseThrow(m -> new IllegalStateException(m));
    }

    static Scenario parse(String name, String text) {
        var r = ScenarioParser.parse(Path.of(name + ".pvm"), text);
        assertTrue(r.isRight(), () -> "did not parse: " + r.getLeft());
        return r.get();
    }

    /** What one run printed and counted. */
    record Ran(Summary summary, List<String> lines) {

        String output() {
            return String.join("\n", lines);
        }

        /** The printed line of the statement on source line {@code number}. */
        String line(int number) {
            String prefix = String.format("%3d  ", number);
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line " + number + " in\n" + output()));
        }
    }

    static Ran run(String arch, String text) {
        return run(arch, text, false);
    }

    static Ran run(String arch, String text, boolean keepGoing) {
        List<String> lines = new ArrayList<>();
        Summary s = Interpreter.run(parse("t", text), arch(arch), keepGoing, lines::add);
        return new Ran(s, lines);
    }
}
